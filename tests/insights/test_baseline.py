"""Spike math: a baseline robust to past spikes, thresholds scaled for a partial hour, the cooldown."""
from __future__ import annotations

from datetime import datetime

import pytest

from insights.baseline import Rule, baseline, cooling_down, evaluate, hour_start, threshold

RULE = Rule(sensitivity=5.0, min_count=20, min_elapsed_min=10, cooldown_min=180)


def test_a_past_spike_barely_moves_the_baseline():
    quiet = baseline([30, 32, 28, 31, 29, 30, 33, 27])
    with_spike = baseline([30, 32, 28, 310, 29, 30, 33, 27])
    assert quiet.median == 30 and with_spike.median == 30
    assert (quiet.mad, with_spike.mad) == (1.5, 2.0)  # a mean±sd rule would move by ~90


def test_sigma_is_floored_by_poisson_noise_when_history_is_flat():
    flat = baseline([16] * 8)
    assert flat.mad == 0 and flat.sigma == 4.0


def test_no_history_never_alerts():
    decision = evaluate(500, baseline([]), 60, RULE)
    assert not decision.alert and "no history" in decision.reason


def test_full_hour_threshold_is_median_plus_k_sigma():
    base = baseline([30, 32, 28, 31, 29, 30, 33, 27])  # median 30, sigma max(1.4826*2, sqrt 30) = 5.477
    assert threshold(base, 1.0, 5.0) == pytest.approx(30 + 5 * 30 ** 0.5)
    assert not evaluate(57, base, 60, RULE).alert
    assert evaluate(58, base, 60, RULE).alert


def test_partial_hour_scales_expectation_and_threshold():
    base = baseline([60] * 8)  # sigma sqrt(60)
    decision = evaluate(40, base, 20, RULE)
    assert decision.expected == pytest.approx(20)
    assert decision.threshold == pytest.approx((60 + 5 * 60 ** 0.5) / 3)
    assert decision.alert


def test_too_early_or_too_small_counts_do_not_alert():
    base = baseline([2] * 8)
    assert evaluate(19, base, 60, RULE).reason == "below the minimum count"
    assert evaluate(100, base, 5, RULE).reason == "too early in the hour to judge"
    assert evaluate(20, base, 60, RULE).alert


def test_cooldown_covers_the_configured_minutes_only():
    last = datetime(2026, 11, 16, 9, 5)
    assert not cooling_down(None, last, 180)
    assert cooling_down(last, datetime(2026, 11, 16, 12, 4), 180)
    assert not cooling_down(last, datetime(2026, 11, 16, 12, 5), 180)


def test_hour_start_truncates():
    assert hour_start(datetime(2026, 11, 16, 9, 59, 59, 9)) == datetime(2026, 11, 16, 9)
