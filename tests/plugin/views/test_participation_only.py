"""Managers and HR see participation in check-ins (who, which pair, when, whether it happened), never content."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from organisation import build, jwt_headers, login
from selfservice_support import onboarding_with_an_open_check_in, open_checkin
from sqlalchemy import select

from tandem.plugin.events import NewEvent
from tandem.plugin.models import CheckIn, Enrolment, Pairing
from tandem.plugin.selfservice.content import HIDDEN
from tandem.workflows.intake import record_event

TOPIC = "salary negotiation"
SHARED = "shared note for the pair alone"
GOAL = "leave for a competitor next spring"


@pytest.fixture
def content(app: Flask) -> Any:
    """The small organisation, with topics, a shared note and goals planted on dev1's records."""
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        checkin = session.scalars(select(CheckIn).where(CheckIn.respondent_id == org.people["dev1"])).one()
        checkin.topics, checkin.shared_note, checkin.rating = [TOPIC], SHARED, 2
        enrolment = session.scalars(select(Enrolment).where(Enrolment.person_id == org.people["dev1"])).one()
        enrolment.goals = [GOAL]
        session.commit()
        return org, checkin.id, enrolment.id


@pytest.mark.parametrize("username", ["manager", "hr"])
def test_the_check_in_pages_show_person_pair_due_date_and_status_but_no_content(
    app: Flask, content: Any, username: str
) -> None:
    _org, checkin_id, enrolment_id = content
    client = app.test_client()
    login(client, username)
    listing = client.get("/mentoring/check-ins/list/").get_data(as_text=True)
    shown = client.get(f"/mentoring/check-ins/show/{checkin_id}").get_data(as_text=True)
    for page in (listing, shown):
        assert "Dev1" in page, "who it is about is shown"
        assert "completed" in page, "whether it happened is shown"
        assert TOPIC not in page and SHARED not in page
        assert "Rating" not in page and "Topics" not in page and "Shared Note" not in page
    enrolment = client.get(f"/mentoring/enrolments/show/{enrolment_id}").get_data(as_text=True)
    assert GOAL not in enrolment and "Goals" not in enrolment


@pytest.mark.parametrize("username", ["manager", "hr"])
def test_the_api_answers_with_participation_only(app: Flask, content: Any, username: str) -> None:
    _org, checkin_id, enrolment_id = content
    client = app.test_client()
    headers = jwt_headers(client, username)
    listing = client.get("/api/v1/checkin/?q=(page_size:100)", headers=headers)
    one = client.get(f"/api/v1/checkin/{checkin_id}", headers=headers)
    assert listing.status_code == one.status_code == 200
    assert one.json["result"]["status"] == "completed" and one.json["result"]["due_at"]
    for row in [*listing.json["result"], one.json["result"]]:
        assert not {"rating", "topics", "shared_note", "private_note"} & set(row)
    for answer in (listing, one):
        assert TOPIC not in answer.get_data(as_text=True) and SHARED not in answer.get_data(as_text=True)
    enrolment = client.get(f"/api/v1/enrolment/{enrolment_id}", headers=headers)
    assert enrolment.status_code == 200 and GOAL not in enrolment.get_data(as_text=True)
    refused = client.get("/api/v1/checkin/?q=(filters:!((col:rating,opr:eq,value:2)))", headers=headers)
    assert refused.status_code == 400, "nobody can even search by rating"


def test_the_check_in_form_says_beside_each_field_who_reads_it(app: Flask) -> None:
    org, _clock = onboarding_with_an_open_check_in(app)
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    page = " ".join(client.get(f"/tandem/check-ins/{checkin_id}").get_data(as_text=True).split())
    assert "Who reads it: only you; not your pair, your manager or HR." in page  # private note
    assert "Who reads it: you and your pair (or your circle); not your manager or HR." in page  # shared note
    assert "HR and managers, only as an average over a group of at least 5 people" in page  # rating
    assert "HR and managers, only counted over a group of at least 5 people" in page  # topics


def test_hr_reads_a_check_in_event_without_the_rating_it_carries(app: Flask, content: Any) -> None:
    org, checkin_id, _enrolment_id = content
    with app.app_context():
        session = app.appbuilder.session
        stored, _ = record_event(
            session,
            NewEvent("checkin.completed", org.people["dev1"], payload={"checkin_id": checkin_id, "rating": 2}),
        )
        session.commit()
        event_id = stored.id
    client = app.test_client()
    answer = client.get(f"/api/v1/event/{event_id}", headers=jwt_headers(client, "hr"))
    assert answer.status_code == 200
    assert answer.json["result"]["payload"] == {"checkin_id": checkin_id, "rating": HIDDEN}
    login(client, "hr")
    page = client.get(f"/mentoring/events/show/{event_id}").get_data(as_text=True)
    assert "shown only in aggregate" in page and "&#39;rating&#39;: 2" not in page and "'rating': 2" not in page


@pytest.mark.parametrize("username", ["manager", "hr"])
def test_a_pairings_end_reason_in_the_persons_own_words_is_shown_nowhere(app: Flask, username: str) -> None:
    org = build(app)
    reason = "my mentor kept talking about my salary"
    pairing_id = org.pairings["sales_head>dev1"]
    with app.app_context():
        session = app.appbuilder.session
        session.get(Pairing, pairing_id).end_reason = reason
        session.commit()
    client = app.test_client()
    answer = client.get(f"/api/v1/pairing/{pairing_id}", headers=jwt_headers(client, username))
    assert answer.status_code == 200 and reason not in answer.get_data(as_text=True)
    login(client, username)
    page = client.get(f"/mentoring/pairings/show/{pairing_id}")
    assert page.status_code == 200 and reason not in page.get_data(as_text=True)
