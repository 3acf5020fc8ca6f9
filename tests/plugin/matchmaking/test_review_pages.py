"""HR's matching screen and API: run, review by mentor, edit, publish; nobody else may touch it."""

from __future__ import annotations

import re
from collections import Counter

from organisation import jwt_headers, login
from selfservice_support import csrf
from sqlalchemy import select

from tandem.plugin.models import MatchRun, Pairing


def hr_runs_matching(app, office):
    client = app.test_client()
    login(client, "hr")
    token = csrf(client, "/mentoring/matching/")
    response = client.post(
        f"/mentoring/matching/programme/{office.programmes['cohort']}/run", data={"csrf_token": token}
    )
    assert response.status_code == 302
    return client, response.headers["Location"], token


def test_hr_runs_matching_and_sees_proposals_by_mentor_with_load_and_reasons(app, office):
    client, run_page, _ = hr_runs_matching(app, office)
    page = client.get(run_page).get_data(as_text=True)
    assert "Proposals by mentor" in page
    assert "Dev3" in page and "Dev1" in page and "Dev2" in page
    with app.app_context():
        run = app.appbuilder.session.scalars(select(MatchRun)).one()
        loads = Counter(p.mentor_id for p in run.proposals)
    assert loads[office.people["dev3"]] >= 1  # Dev1 wants python: only Dev3 has it
    for mentor, places in (("dev3", 2), ("hrp", 1)):
        if not loads[office.people[mentor]]:
            assert f'id="mentor-{office.people[mentor]}"' not in page
            continue
        shown = re.search(rf'id="mentor-{office.people[mentor]}".*?load (\d+) of (\d+)', page, re.S)
        assert shown and (int(shown[1]), int(shown[2])) == (loads[office.people[mentor]], places)
    assert re.search(r"mentee&#39;s goals met by mentor&#39;s skills: \d+ points", page)  # Dev1's python, from Dev3
    fits = [int(points) for points in re.findall(r'class="tandem-score">(\d+) of 100<', page)]
    assert fits and all(0 < points <= 100 for points in fits), "every proposal's fit is out of 100"
    assert '<span class="label label-warning" id="run-status">draft</span>' in page


def test_hr_accepts_all_and_publishes_and_the_pairs_are_proposed(app, office):
    client, run_page, token = hr_runs_matching(app, office)
    run_id = int(run_page.rstrip("/").rsplit("/", 1)[1])
    assert client.post(f"/mentoring/matching/run/{run_id}/accept-all", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/mentoring/matching/run/{run_id}/publish", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        session = app.appbuilder.session
        pairs = session.scalars(select(Pairing).where(Pairing.programme_id == office.programmes["cohort"])).all()
        assert {(p.mentee_id, p.status) for p in pairs} == {
            (office.people["dev1"], "proposed"),
            (office.people["dev2"], "proposed"),
        }
        assert session.get(MatchRun, run_id).status == "published"
    again = client.post(f"/mentoring/matching/run/{run_id}/publish", data={"csrf_token": token})
    assert again.status_code == 409 and "not a draft" in again.get_data(as_text=True)
    published = client.get(run_page).get_data(as_text=True)
    loads = [(int(a), int(b)) for a, b in re.findall(r"load (\d+) of (\d+)", published)]
    assert loads and all(load <= places for load, places in loads), f"a published pair counts once: {loads}"


def test_a_rerun_with_a_weight_out_of_range_is_refused_naming_the_weight(app, office):
    client, _, token = hr_runs_matching(app, office)
    response = client.post(
        f"/mentoring/matching/programme/{office.programmes['cohort']}/run",
        data={"csrf_token": token, "custom": "on", "weight_goals": "12"},
    )
    assert response.status_code == 400
    assert "weights.goals" in response.get_data(as_text=True)
    bad = client.post(
        f"/mentoring/matching/programme/{office.programmes['cohort']}/run",
        data={"csrf_token": token, "custom": "on", "weight_goals": "lots"},
    )
    assert bad.status_code == 400 and "weight_goals" in bad.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(app, office):
    client = app.test_client()
    login(client, "hr")
    response = client.post(f"/mentoring/matching/programme/{office.programmes['cohort']}/run", data={})
    assert response.status_code == 400
    with app.app_context():
        assert app.appbuilder.session.scalars(select(MatchRun)).all() == []


def test_staff_and_managers_cannot_open_or_use_matching(app, office):
    for username in ("staff", "manager"):
        client = app.test_client()
        login(client, username)
        assert client.get("/mentoring/matching/").status_code in (302, 403)
        headers = jwt_headers(client, username)
        response = client.post("/api/v1/matching/programmes/mentoring-cohort/runs", json={}, headers=headers)
        assert response.status_code in (401, 403)


def test_the_api_runs_reviews_and_publishes_with_the_same_rules(app, office):
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    created = client.post("/api/v1/matching/programmes/mentoring-cohort/runs", json={}, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    run = created.json
    proposals = [p for group in run["mentors"] for p in group["proposals"]]
    assert len(proposals) == 2 and all(p["breakdown"]["goals"] > 0 for p in proposals)
    assert all(group["load"] <= group["capacity"] for group in run["mentors"])
    first = proposals[0]["id"]
    accepted = client.post(f"/api/v1/matching/runs/{run['id']}/proposals/{first}/accept", headers=headers)
    assert accepted.status_code == 200
    published = client.post(f"/api/v1/matching/runs/{run['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.json["status"] == "published"
    bad = client.post(
        "/api/v1/matching/programmes/mentoring-cohort/runs",
        json={"settings": {"weights": {"charisma": 3}}},
        headers=headers,
    )
    assert bad.status_code == 400 and "weights.charisma" in bad.json["message"]
    listed = client.get("/api/v1/matching/", headers=headers).json["programmes"]
    assert {
        "programme": "mentoring-cohort",
        "kind": "mentoring",
        "latest_run": {"id": run["id"], "status": "published"},
    } in listed
    missing = client.get("/api/v1/matching/runs/999", headers=headers)
    assert missing.status_code == 404 and "run" in missing.json["message"]


def test_a_browser_session_cannot_ride_into_the_matching_api(app, office):
    client = app.test_client()
    login(client, "hr")
    response = client.post("/api/v1/matching/programmes/mentoring-cohort/runs", json={})
    assert response.status_code == 401
    with app.app_context():
        assert app.appbuilder.session.scalars(select(MatchRun)).all() == []
