"""Self-match through the staff pages and the API: find a mentor, ask, the mentor answers, a pair ends."""

from __future__ import annotations

from organisation import jwt_headers, login
from selfservice_support import csrf
from sqlalchemy import select

from tandem.plugin.models import MatchRequest, Pairing


def test_a_mentee_finds_a_mentor_asks_and_the_mentor_accepts_on_their_page(app, office):
    cohort = office.programmes["cohort"]
    mentee = app.test_client()
    login(mentee, "staff")
    home = mentee.get("/tandem/mentoring/").get_data(as_text=True)
    assert f"/tandem/matching/find/{cohort}" in home
    page = mentee.get(f"/tandem/matching/find/{cohort}").get_data(as_text=True)
    assert "Dev3" in page and "Dev3 can help with python, which you want to learn." in page
    token = csrf(mentee, f"/tandem/matching/find/{cohort}")
    asked = mentee.post(
        f"/tandem/matching/find/{cohort}/ask",
        data={"csrf_token": token, "mentor": str(office.people["dev3"]), "message": "Python, please!"},
    )
    assert asked.status_code == 302
    mentor = app.test_client()
    login(mentor, "mentor")
    inbox = mentor.get("/tandem/mentoring/").get_data(as_text=True)
    assert "Dev1" in inbox and "asks you to be their mentor" in inbox and "Python, please!" in inbox
    with app.app_context():
        request_id = app.appbuilder.session.scalars(select(MatchRequest.id)).one()
    token = csrf(mentor, "/tandem/mentoring/")
    assert mentor.post(f"/tandem/matching/request/{request_id}/accept", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        pairing = app.appbuilder.session.scalars(
            select(Pairing).where(Pairing.programme_id == cohort, Pairing.mentee_id == office.people["dev1"])
        ).one()
        assert (pairing.mentor_id, pairing.status) == (office.people["dev3"], "proposed")


def test_nobody_can_answer_a_request_made_to_someone_else(app, office):
    cohort = office.programmes["cohort"]
    mentee = app.test_client()
    login(mentee, "staff")
    token = csrf(mentee, f"/tandem/matching/find/{cohort}")
    mentee.post(
        f"/tandem/matching/find/{cohort}/ask",
        data={"csrf_token": token, "mentor": str(office.people["dev3"])},
    )
    with app.app_context():
        request_id = app.appbuilder.session.scalars(select(MatchRequest.id)).one()
    answered = mentee.post(f"/tandem/matching/request/{request_id}/accept", data={"csrf_token": token})
    assert answered.status_code == 404
    with app.app_context():
        assert app.appbuilder.session.get(MatchRequest, request_id).status == "pending"


def test_asking_for_a_mentor_who_is_not_one_names_the_field(app, office):
    cohort = office.programmes["cohort"]
    mentee = app.test_client()
    login(mentee, "staff")
    token = csrf(mentee, f"/tandem/matching/find/{cohort}")
    response = mentee.post(
        f"/tandem/matching/find/{cohort}/ask", data={"csrf_token": token, "mentor": str(office.people["dev2"])}
    )
    assert response.status_code == 400
    assert "not a mentor with a free place" in response.get_data(as_text=True)


def test_the_self_match_api_suggests_and_takes_a_request(app, office):
    cohort = office.programmes["cohort"]
    client = app.test_client()
    headers = jwt_headers(client, "staff")
    found = client.get(f"/api/v1/selfmatch/programmes/{cohort}/suggestions", headers=headers)
    assert found.status_code == 200
    assert found.json["suggestions"][0]["mentor"] == "Dev3"
    asked = client.post(
        f"/api/v1/selfmatch/programmes/{cohort}/requests",
        json={"mentor_id": office.people["dev3"]},
        headers=headers,
    )
    assert asked.status_code == 201 and asked.json["status"] == "pending"
    bad = client.post(f"/api/v1/selfmatch/programmes/{cohort}/requests", json={"mentor_id": "x"}, headers=headers)
    assert bad.status_code == 400 and "mentor_id" in bad.json["message"]
    elsewhere = client.get(f"/api/v1/selfmatch/programmes/{office.programmes['draft']}/suggestions", headers=headers)
    assert elsewhere.status_code == 404


def test_the_self_match_api_lists_my_requests_on_both_sides(app, office):
    cohort = office.programmes["cohort"]
    mentee = app.test_client()
    headers = jwt_headers(mentee, "staff")
    mentee.post(
        f"/api/v1/selfmatch/programmes/{cohort}/requests", json={"mentor_id": office.people["dev3"]}, headers=headers
    )
    mine = mentee.get("/api/v1/selfmatch/", headers=headers).json
    assert cohort in mine["programmes"]
    assert [(r["side"], r["mentor"], r["status"]) for r in mine["requests"]] == [("mentee", "Dev3", "pending")]
    mentor = app.test_client()
    theirs = mentor.get("/api/v1/selfmatch/", headers=jwt_headers(mentor, "mentor")).json
    assert [(r["side"], r["mentee"]) for r in theirs["requests"]] == [("mentor", "Dev1")]
