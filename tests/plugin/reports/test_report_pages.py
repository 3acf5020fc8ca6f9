"""The report pages, the REST API and the CSV export: who sees what, and the privacy threshold in all three."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from organisation import jwt_headers, login
from report_data import PASSWORD, build


@pytest.fixture
def seeded(app: Flask) -> Any:
    """The report data set."""
    return build(app)


def csv_rows(text: str) -> list[list[str]]:
    """The non-empty rows of a CSV export."""
    return [row for row in csv.reader(io.StringIO(text)) if row]


def test_a_manager_sees_their_teams_with_the_small_team_suppressed_on_the_page(app: Flask, seeded: Any) -> None:
    client = app.test_client()
    login(client, "manager", PASSWORD)
    page = client.get("/mentoring/reports/", follow_redirects=True).get_data(as_text=True)
    assert "Participation in your teams" in page
    assert "Person lead_a" in page and "Person lead_c" in page
    assert "fewer than 5" in page
    assert "Person c1" not in page and "Person a1" not in page
    assert "private sentence" not in page
    assert "tandem-charts.js" in page


def test_the_csv_export_matches_the_page_and_keeps_the_threshold(app: Flask, seeded: Any) -> None:
    client = app.test_client()
    login(client, "manager", PASSWORD)
    exported = client.get("/mentoring/reports/manager.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = csv_rows(exported.get_data(as_text=True))
    lead_c = next(row for row in rows if row[1] == "Person lead_c")
    assert lead_c[2:] == ["fewer than 5"] * 5
    lead_a = next(row for row in rows if row[1] == "Person lead_a")
    assert lead_a[2] == "7"  # lead_a and six reports
    page = client.get("/mentoring/reports/manager").get_data(as_text=True)
    for value in lead_a[2:]:
        shown = f"{float(value) * 100:.0f}%" if "." in value else value  # the page prints a rate as a percentage
        assert f"<td>{shown}</td>" in page


def test_the_api_gives_the_same_numbers_and_the_same_threshold(app: Flask, seeded: Any) -> None:
    client = app.test_client()
    answer = client.get("/api/v1/reports/manager", headers=jwt_headers(client, "manager", PASSWORD))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    teams = {row["label"]: row for row in answer.json["tables"]["teams"]["rows"]}
    assert teams["Person lead_c"]["people"] == "fewer than 5"
    assert teams["Person lead_a"]["people"] == 7  # lead_a and six reports
    assert answer.json["threshold"] == 5


def test_hr_sees_the_dashboard_for_every_programme_and_bad_dates_name_the_field(app: Flask, seeded: Any) -> None:
    client = app.test_client()
    login(client, "hr", PASSWORD)
    page = client.get("/mentoring/reports/", follow_redirects=True).get_data(as_text=True)
    for name in ("Mentoring", "Peer circle", "Career advice", "Participation funnel per programme"):
        assert name in page
    refused = client.get("/mentoring/reports/programmes?since=yesterday")
    assert refused.status_code == 400
    assert "since" in refused.get_data(as_text=True)
    headers = jwt_headers(client, "hr", PASSWORD)
    assert client.get("/api/v1/reports/programmes?until=31-01-2026", headers=headers).json["message"] == {
        "until": ["expected a date like 2026-01-31"]
    }
    exported = client.get("/mentoring/reports/programmes.csv?department=Sales")
    assert exported.status_code == 200


def test_staff_see_no_report_at_all(app: Flask, seeded: Any) -> None:
    client = app.test_client()
    login(client, "staff", PASSWORD)
    assert client.get("/mentoring/reports/manager").status_code in (302, 403)
    assert client.get("/mentoring/reports/manager.csv").status_code in (302, 403)
    answer = client.get("/api/v1/reports/manager", headers=jwt_headers(client, "staff", PASSWORD))
    assert answer.status_code == 403


def test_a_manager_cannot_drill_into_a_team_outside_their_line(app: Flask, seeded: Any) -> None:
    client = app.test_client()
    login(client, "manager", PASSWORD)
    assert client.get(f"/mentoring/reports/manager?team={seeded.people['outsider']}").status_code == 404
    inside = client.get(f"/mentoring/reports/manager?team={seeded.people['lead_a']}")
    assert inside.status_code == 200
    assert "shown for your whole reporting line only" in inside.get_data(as_text=True)
    assert client.get("/mentoring/reports/manager?weeks=lots").status_code == 400
    assert client.get("/api/v1/reports/programmes", headers=jwt_headers(client, "manager", PASSWORD)).status_code == 403


def test_the_chart_renderer_is_served_from_the_package_with_its_licence(app: Flask) -> None:
    client = app.test_client()
    with client.get("/tandem-static/tandem-charts.js") as script:
        assert script.status_code == 200 and b"createElementNS" in script.data
    with client.get("/tandem-static/LICENSE-tandem-charts.txt") as licence:
        assert licence.status_code == 200 and b"Apache" in licence.data
