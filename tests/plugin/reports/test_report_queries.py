"""Every number of the manager report and the HR dashboard equals an independent SQL count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from report_data import NOW, TREE, build
from sqlalchemy import text

from tandem.plugin.reports import hr_dashboard, manager_report
from tandem.plugin.reports.manager import OTHER_DIRECT_REPORTS
from tandem.plugin.reports.privacy import Suppressed

THRESHOLD = 5

SUBTREE = """
WITH RECURSIVE sub(id) AS (
    SELECT id FROM tandem_person WHERE id = :root
    UNION SELECT p.id FROM tandem_person p JOIN sub ON p.manager_id = sub.id
)
"""
PEOPLE = " FROM tandem_person p WHERE p.id IN (SELECT id FROM sub) AND p.status <> 'left'"


def count(app: Flask, sql: str, **params: Any) -> Any:
    """One number from raw SQL."""
    with app.app_context():
        return app.appbuilder.session.execute(text(sql), params).scalar()


@pytest.fixture
def seeded(app: Flask) -> Any:
    """The report data set."""
    return build(app)


def report(app: Flask, root: int, **kwargs: Any) -> dict[str, Any]:
    """The manager report as the page computes it."""
    with app.app_context():
        return manager_report(app.appbuilder.session, root, NOW, THRESHOLD, **kwargs)


def test_team_numbers_equal_independent_counts(app: Flask, seeded: Any) -> None:
    boss = seeded.people["boss"]
    result = report(app, boss)
    labels = {row["label"]: row for row in result["teams"]}
    assert set(labels) == {"Person lead_a", "Person lead_b", "Person lead_c", OTHER_DIRECT_REPORTS}
    for name in ("lead_a", "lead_b"):
        row = labels[f"Person {name}"]
        lead = seeded.people[name]
        assert row["team_id"] == lead
        assert row["people"] == count(app, SUBTREE + "SELECT count(*)" + PEOPLE, root=lead)
        assert row["enrolled"] == count(
            app,
            SUBTREE + "SELECT count(DISTINCT p.id)" + PEOPLE + " AND EXISTS (SELECT 1 FROM tandem_enrolment e"
            " JOIN tandem_programme g ON g.id = e.programme_id WHERE e.person_id = p.id"
            " AND e.status IN ('active', 'completed') AND g.kind <> 'campaign')",
            root=lead,
        )
        assert row["participating"] == count(
            app,
            SUBTREE + "SELECT count(DISTINCT p.id)" + PEOPLE + " AND EXISTS (SELECT 1 FROM tandem_checkin c"
            " WHERE c.respondent_id = p.id AND c.status = 'completed')",
            root=lead,
        )
        assert row["enrolment_rate"] == pytest.approx(row["enrolled"] / row["people"])
    total = result["total"]
    assert total["people"] == count(app, SUBTREE + "SELECT count(*)" + PEOPLE + " AND p.id <> :root", root=boss)


def test_direct_reports_who_lead_nobody_are_one_group_and_the_teams_add_up_to_the_total(
    app: Flask, seeded: Any
) -> None:
    result = report(app, seeded.people["outsider"])
    (others,) = result["teams"]
    assert (others["label"], others["team_id"], others["people"]) == (OTHER_DIRECT_REPORTS, None, 8)
    assert result["total"]["people"] == 8


def test_a_small_team_reads_fewer_than_five_and_a_second_team_hides_it_from_the_total(app: Flask, seeded: Any) -> None:
    result = report(app, seeded.people["boss"])
    labels = {row["label"]: row for row in result["teams"]}
    assert isinstance(labels["Person lead_c"]["people"], Suppressed)  # lead_c and three reports
    assert str(labels["Person lead_c"]["enrolled"]) == "fewer than 5"
    # The two direct reports who lead nobody are a small group too, so total minus the shown teams
    # never gives either group.
    assert isinstance(labels[OTHER_DIRECT_REPORTS]["people"], Suppressed)
    assert labels["Person lead_a"]["people"] == 7


def test_checkins_by_month_equal_independent_counts(app: Flask, seeded: Any) -> None:
    boss = seeded.people["boss"]
    for row in report(app, boss)["checkins_by_month"]:
        if isinstance(row["due"], Suppressed):
            continue
        where = (
            " FROM tandem_checkin c WHERE c.respondent_id IN (SELECT id FROM sub) AND c.status <> 'cancelled'"
            " AND c.due_at >= :start AND c.due_at < :end"
        )
        year, month = map(int, row["label"].split("-"))
        start = f"{year:04d}-{month:02d}-01"
        end = f"{year + month // 12:04d}-{month % 12 + 1:02d}-01"
        params = {"root": boss, "start": start, "end": end}
        assert row["due"] == count(app, SUBTREE + "SELECT count(*)" + where, **params)
        assert row["completed"] == count(
            app, SUBTREE + "SELECT count(*)" + where + " AND c.status = 'completed'", **params
        )
        assert row["missed"] == count(app, SUBTREE + "SELECT count(*)" + where + " AND c.status = 'missed'", **params)
        assert row["people"] == count(app, SUBTREE + "SELECT count(DISTINCT c.respondent_id)" + where, **params)


def test_average_rating_quiet_pairs_and_campaign_reach_equal_independent_counts(app: Flask, seeded: Any) -> None:
    boss = seeded.people["boss"]
    result = report(app, boss, quiet_weeks=4)
    average = count(
        app,
        SUBTREE + "SELECT avg(rating * 1.0) FROM tandem_checkin WHERE respondent_id IN (SELECT id FROM sub)"
        " AND status = 'completed' AND rating IS NOT NULL",
        root=boss,
    )
    assert result["rating"]["average"] == pytest.approx(float(average))
    cutoff = NOW - timedelta(weeks=4)
    quiet = count(
        app,
        SUBTREE + "SELECT count(*) FROM tandem_pairing p WHERE p.mentee_id IN (SELECT id FROM sub)"
        " AND p.status IN ('accepted', 'active') AND p.proposed_at < :cutoff AND NOT EXISTS ("
        " SELECT 1 FROM tandem_checkin c WHERE c.pairing_id = p.id AND c.status = 'completed'"
        " AND c.completed_at >= :cutoff)",
        root=boss,
        cutoff=cutoff,
    )
    pairs = count(
        app,
        SUBTREE + "SELECT count(*) FROM tandem_pairing p WHERE p.mentee_id IN (SELECT id FROM sub)"
        " AND p.status IN ('accepted', 'active')",
        root=boss,
    )
    assert (result["quiet_pairs"]["quiet"], result["quiet_pairs"]["pairs"]) == (quiet, pairs)
    (campaign,) = result["campaigns"]
    reached = count(
        app,
        SUBTREE + "SELECT count(DISTINCT e.person_id) FROM tandem_enrolment e JOIN tandem_programme g"
        " ON g.id = e.programme_id WHERE g.kind = 'campaign' AND e.person_id IN (SELECT id FROM sub)",
        root=boss,
    )
    acknowledged = count(
        app,
        SUBTREE + "SELECT count(DISTINCT a.person_id) FROM tandem_acknowledgement a"
        " JOIN tandem_enrolment e ON e.person_id = a.person_id JOIN tandem_programme g ON g.id = e.programme_id"
        " WHERE g.kind = 'campaign' AND a.person_id IN (SELECT id FROM sub)",
        root=boss,
    )
    assert (campaign["people"], campaign["acknowledged"]) == (reached, acknowledged)


def test_drill_down_to_one_team_counts_only_that_team_and_its_total_equals_the_teams_row(
    app: Flask, seeded: Any
) -> None:
    lead_b = seeded.people["lead_b"]
    result = report(app, seeded.people["boss"], team_id=lead_b)
    (team,) = result["teams"]
    assert team["label"] == "Person lead_b and direct reports who lead no team"
    assert team["people"] == 1 + sum(1 for boss in TREE.values() if boss == "lead_b")
    assert result["root_id"] == lead_b
    row = next(row for row in report(app, seeded.people["boss"])["teams"] if row["team_id"] == lead_b)
    assert result["total"]["people"] == row["people"] == 8


def test_the_report_never_carries_a_name_below_the_manager_or_a_note(app: Flask, seeded: Any) -> None:
    printed = repr(report(app, seeded.people["boss"]))
    assert "private sentence" not in printed
    for name in TREE:
        if not name.startswith("lead_") and name != "boss":
            assert f"Person {name}'" not in printed


def dashboard(app: Flask, **filters: Any) -> dict[str, Any]:
    """HR's dashboard as the page computes it."""
    from tandem.plugin.reports.hr import Filters

    with app.app_context():
        return hr_dashboard(app.appbuilder.session, THRESHOLD, Filters(**filters))


FUNNEL_SQL = {
    "enrolled": "SELECT count(DISTINCT e.person_id) FROM tandem_enrolment e {people}"
    " WHERE e.programme_id = :g AND e.role IN ('mentee', 'participant') AND e.status <> 'withdrawn' {where}",
    "matched": "SELECT count(DISTINCT e.person_id) FROM tandem_enrolment e {people}"
    " WHERE e.programme_id = :g AND e.role IN ('mentee', 'participant') AND e.status <> 'withdrawn' {where}"
    " AND EXISTS (SELECT 1 FROM tandem_pairing p WHERE p.programme_id = :g AND p.mentee_id = e.person_id"
    " AND p.status IN ('accepted', 'active', 'closed'))",
    "first_checkin": "SELECT count(DISTINCT e.person_id) FROM tandem_enrolment e {people}"
    " WHERE e.programme_id = :g AND e.role IN ('mentee', 'participant') AND e.status <> 'withdrawn' {where}"
    " AND (SELECT count(*) FROM tandem_checkin c LEFT JOIN tandem_pairing p ON p.id = c.pairing_id"
    " LEFT JOIN tandem_enrolment ce ON ce.id = c.enrolment_id WHERE c.respondent_id = e.person_id"
    " AND c.status = 'completed' AND (p.programme_id = :g OR ce.programme_id = :g)) >= 1",
    "three_checkins": "SELECT count(DISTINCT e.person_id) FROM tandem_enrolment e {people}"
    " WHERE e.programme_id = :g AND e.role IN ('mentee', 'participant') AND e.status <> 'withdrawn' {where}"
    " AND (SELECT count(*) FROM tandem_checkin c LEFT JOIN tandem_pairing p ON p.id = c.pairing_id"
    " LEFT JOIN tandem_enrolment ce ON ce.id = c.enrolment_id WHERE c.respondent_id = e.person_id"
    " AND c.status = 'completed' AND (p.programme_id = :g OR ce.programme_id = :g)) >= 3",
    "completed": "SELECT count(DISTINCT e.person_id) FROM tandem_enrolment e {people}"
    " WHERE e.programme_id = :g AND e.role IN ('mentee', 'participant') AND e.status = 'completed' {where}",
}


@pytest.mark.parametrize("filters", [{}, {"department": "Engineering"}, {"location": "Lisbon"}])
def test_funnel_equals_independent_counts_under_each_filter(app: Flask, seeded: Any, filters: dict[str, str]) -> None:
    people = "JOIN tandem_person pe ON pe.id = e.person_id"
    where = "".join(f" AND pe.{key} = :{key}" for key in filters)
    for row in dashboard(app, **filters)["funnel"]:
        for step, sql in FUNNEL_SQL.items():
            expected = count(app, sql.format(people=people, where=where), g=row["programme_id"], **filters)
            if isinstance(row["enrolled"], Suppressed):
                assert isinstance(row[step], Suppressed)
                assert row["programme_id"] is not None
            else:
                assert row[step] == expected, (row["label"], step)


def test_matching_health_incidents_and_delivery_equal_independent_counts(app: Flask, seeded: Any) -> None:
    result = dashboard(app)
    mentoring = next(row for row in result["matching"] if row["programme_id"] == seeded.programmes["mentoring"])
    assert mentoring["unmatched"] == count(
        app,
        "SELECT count(DISTINCT e.person_id) FROM tandem_enrolment e WHERE e.programme_id = :g AND e.role = 'mentee'"
        " AND e.status = 'active' AND NOT EXISTS (SELECT 1 FROM tandem_pairing p WHERE p.programme_id = :g"
        " AND p.mentee_id = e.person_id AND p.status IN ('proposed', 'accepted', 'active'))",
        g=seeded.programmes["mentoring"],
    )
    assert mentoring["mentors"] == count(
        app,
        "SELECT count(*) FROM tandem_enrolment WHERE programme_id = :g AND role = 'mentor' AND status = 'active'",
        g=seeded.programmes["mentoring"],
    )
    assert mentoring["mentored"] == count(
        app,
        "SELECT count(*) FROM tandem_pairing WHERE programme_id = :g AND status IN ('accepted', 'active')",
        g=seeded.programmes["mentoring"],
    )
    assert sum(row["open"] for row in result["incidents"]) == count(
        app, "SELECT count(*) FROM tandem_incident WHERE status = 'open'"
    )
    for row in result["delivery"]:
        assert row["notifications"] == count(
            app, "SELECT count(*) FROM tandem_notification WHERE status = :s", s=row["label"]
        )
