"""The weekly agent report: figures checked against values computed by hand on a small warehouse."""
from __future__ import annotations

import csv
import warnings
from datetime import datetime

import pytest

from insights import render, report
from insights.warehouse import (
    agents,
    comment_events,
    create_all,
    engine_for,
    satisfaction_ratings,
    ticket_metrics,
    tickets,
)

ADA, BO, CY, REQUESTER = 1, 2, 3, 900


def t(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute)


def solved_ticket(tid: int, assignee: int, solved_at: datetime, first: int | None, full: int, replies: int,
                  *, deleted: bool = False, status: str = "solved") -> tuple[dict, dict]:
    ticket = {"id": tid, "created_at": t(2), "updated_at": solved_at, "status": status, "channel": "email",
              "requester_id": REQUESTER, "assignee_id": assignee, "group_id": None, "priority": None,
              "tags": "", "deleted": deleted}
    metric = {"ticket_id": tid, "id": tid + 5000, "replies": replies, "reopens": 0, "first_reply_min": first,
              "full_resolution_min": full, "solved_at": solved_at, "updated_at": solved_at}
    return ticket, metric


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Week 2026-W46 is Monday 9 to Sunday 15 November; rows around its edges must be left out."""
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('wh') / 'report.db'}")
    create_all(engine)
    pairs = [
        solved_ticket(1, ADA, t(10), 10, 100, 1),
        solved_ticket(2, ADA, t(11), 30, 300, 3),
        solved_ticket(3, ADA, t(12), 20, 200, 1, status="closed"),
        solved_ticket(4, BO, t(13), 60, 600, 2),
        solved_ticket(5, BO, t(15, 23, 59), None, 50, 1),      # no first reply measured
        solved_ticket(6, BO, t(16, 0, 0), 5, 5, 1),             # next week
        solved_ticket(7, ADA, t(10), 1, 1, 1, deleted=True),     # deleted
        solved_ticket(8, ADA, t(8, 23, 59), 1, 1, 1),           # previous week
        solved_ticket(9, ADA, t(10), 1, 1, 1, status="open"),    # reopened since
    ]
    comments = [(ADA, True, t(9, 0, 0))] * 3 + [
        (ADA, True, t(15, 23, 59)), (ADA, False, t(10)),            # the private one is not a reply
        (BO, True, t(11)), (BO, True, t(12)), (BO, True, t(16, 0, 0)),
        (REQUESTER, True, t(11))]                                    # not an agent
    ratings = [(ADA, "good", t(10)), (ADA, "good", t(11)), (ADA, "bad", t(12)), (ADA, "good", t(20)),
               (BO, "bad", t(13)), (BO, "offered", t(13))]
    with engine.begin() as conn:
        conn.execute(agents.insert(), [
            {"id": a, "name": n, "role": "agent", "active": True, "updated_at": t(1)}
            for a, n in ((ADA, "Ada"), (BO, "Bo"), (CY, "Cy"))])
        conn.execute(tickets.insert(), [p[0] for p in pairs])
        conn.execute(ticket_metrics.insert(), [p[1] for p in pairs])
        conn.execute(comment_events.insert(), [
            {"id": i, "ticket_id": 1, "author_id": a, "public": pub, "created_at": when}
            for i, (a, pub, when) in enumerate(comments)])
        conn.execute(satisfaction_ratings.insert(), [
            {"id": i, "ticket_id": 1, "assignee_id": a, "score": s, "created_at": when, "updated_at": when}
            for i, (a, s, when) in enumerate(ratings)])
        # On the deleted ticket 7: a public reply and a rating that the report leaves out.
        conn.execute(comment_events.insert(), [
            {"id": 100, "ticket_id": 7, "author_id": ADA, "public": True, "created_at": t(10)}])
        conn.execute(satisfaction_ratings.insert(), [
            {"id": 100, "ticket_id": 7, "assignee_id": ADA, "score": "bad", "created_at": t(10),
             "updated_at": t(10)}])
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def built(warehouse) -> report.Report:
    with warehouse.connect() as conn:
        return report.build(conn, "2026-W46")


def test_week_bounds_follow_iso_weeks():
    assert report.week_bounds("2026-W46") == (datetime(2026, 11, 9), datetime(2026, 11, 16))
    assert report.week_bounds("2026-W01") == (datetime(2025, 12, 29), datetime(2026, 1, 5))


@pytest.mark.parametrize("week", ["2026-46", "2026-W4", "2026-W54", "W46", ""])
def test_malformed_weeks_are_refused(week):
    with pytest.raises(ValueError):
        report.week_bounds(week)


def test_only_agents_with_activity_are_listed(built):
    assert [(r.agent_id, r.name) for r in built.rows] == [(ADA, "Ada"), (BO, "Bo")]


def test_per_agent_figures_match_hand_computed_values(built):
    ada, bo = built.rows
    assert (ada.solved, ada.public_replies) == (3, 4)
    assert (ada.median_first_reply_min, ada.median_resolution_min) == (20, 200)
    assert ada.satisfaction == pytest.approx(2 / 3)
    assert ada.one_touch_rate == pytest.approx(2 / 3)
    assert (bo.solved, bo.public_replies) == (2, 2)
    assert (bo.median_first_reply_min, bo.median_resolution_min) == (60, 325)
    assert bo.satisfaction == 0.0
    assert bo.one_touch_rate == pytest.approx(0.5)


def test_team_median_is_the_median_over_agents(built):
    assert built.team_median == pytest.approx({
        "solved": 2.5, "public_replies": 3, "median_first_reply_min": 40, "median_resolution_min": 262.5,
        "satisfaction": 1 / 3, "one_touch_rate": (2 / 3 + 1 / 2) / 2})


def test_an_agent_without_ratings_has_no_satisfaction_score():
    data = report.WeekData(agent_names={1: "Ada"}, solved=[(1, 5, 10, 2)])
    row = report.compute("2026-W46", data).rows[0]
    assert row.satisfaction is None and row.one_touch_rate == 0.0


def test_csv_and_html_carry_the_figures_and_team_medians(built, tmp_path):
    html_path, csv_path = render.write(built, tmp_path / "out")
    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["agent"] for r in rows] == ["Ada", "Bo"]
    assert rows[1]["median_resolution_min"] == "325"
    assert rows[1]["median_resolution_min_team_median"] == "262.5"
    assert rows[0]["satisfaction"] == "0.6667"
    page = html_path.read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,iVBOR') == 1  # one figure, a panel per metric
    assert "<td>Bo</td>" in page and "67%" in page
    assert not list((tmp_path / "out").glob("*.tmp"))


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"])
def test_names_that_look_like_formulas_are_defused_in_the_csv(name):
    assert render.safe_cell(name) == "'" + name


def test_ordinary_names_are_written_as_they_are():
    assert [render.safe_cell(n) for n in ("Ada", "O'Neil", "Zoë 1=1", "")] == ["Ada", "O'Neil", "Zoë 1=1", ""]


def two_agents(first: str, second: str) -> report.Report:
    data = report.WeekData(agent_names={1: first, 2: second}, solved=[(1, 5, 10, 1), (2, 7, 20, 2)],
                           reply_authors=[1, 2])
    return report.compute("2026-W46", data)


def test_names_with_dollar_signs_are_drawn_as_text_not_mathtext(tmp_path):
    html_path, _ = render.write(two_agents("A $\\frac$ B", "Jo $x^"), tmp_path)
    assert "A $\\frac$ B" in html_path.read_text(encoding="utf-8")


def test_chinese_names_are_drawn_with_a_cjk_font_when_one_is_installed():
    family = render.font_family()
    assert family[0] == "DejaVu Sans" and set(family) <= set(render.FONTS)
    if len(family) == 1:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render.charts(two_agents("王伟", "李娜"))
    assert not [w for w in caught if "missing from font" in str(w.message)]
