"""The fan-out's share of the deadline: a reserve is kept back for assembling and auditing the answer."""
from __future__ import annotations

import pytest

from backend.fanout import ANSWER_RESERVE_MS, fanout_budget_ms


def test_the_default_deadline_keeps_the_full_reserve_for_the_answer():
    assert fanout_budget_ms(2500) == 2500 - ANSWER_RESERVE_MS


@pytest.mark.parametrize("deadline_ms", [1, 100, 300, 499])
def test_a_short_deadline_keeps_most_of_itself_for_the_systems(deadline_ms):
    budget = fanout_budget_ms(deadline_ms)
    assert 0.9 * deadline_ms <= budget < deadline_ms


@pytest.mark.parametrize("deadline_ms", [500, 1000, 2500, 30000])
def test_the_reserve_never_grows_beyond_its_constant(deadline_ms):
    assert deadline_ms - fanout_budget_ms(deadline_ms) == ANSWER_RESERVE_MS
