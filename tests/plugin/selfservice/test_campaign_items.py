"""Campaign items for staff: read, acknowledge with the quiz (once), and the prompt lands on the pair's check-in."""

from __future__ import annotations

import pytest
from engine_support import count
from organisation import build, login
from selfservice_support import csrf, onboarding_with_an_open_check_in, open_checkin
from sqlalchemy import select

from tandem.plugin.content import load_builtin_campaigns
from tandem.plugin.models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Event, Programme

SLUG = "career-advice-beyond-the-feed"


def campaign_for_staff(app, org) -> list[int]:
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(name="Career advice beyond the feed", slug=SLUG, kind="campaign", status="active")
        session.add(programme)
        session.flush()
        session.add(Enrolment(programme=programme, person_id=org.people["dev1"], role="participant"))
        load_builtin_campaigns(session)
        session.commit()
        return list(session.scalars(select(CampaignItem.id).order_by(CampaignItem.position)))


@pytest.fixture
def items(app):
    org = build(app)
    return org, campaign_for_staff(app, org)


def test_staff_read_the_items_and_acknowledge_one_with_the_right_quiz_answer(app, items):
    org, ids = items
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/campaign/").get_data(as_text=True)
    assert "Advice for everyone, or advice for you?" in page and "Build your own circle of support" in page
    token = csrf(client, "/tandem/campaign/")
    response = client.post(f"/tandem/campaign/{ids[0]}/acknowledge", data={"csrf_token": token, "quiz_answer": "1"})
    assert response.status_code == 302
    with app.app_context():
        ack = app.appbuilder.session.scalars(select(Acknowledgement)).one()
        assert (ack.person_id, ack.quiz_correct) == (org.people["dev1"], True)
        event = app.appbuilder.session.scalars(select(Event).where(Event.type == "campaign.acknowledged")).one()
        assert event.payload["item"] == "generic-versus-personal"
    assert "— right." in client.get("/tandem/campaign/").get_data(as_text=True)


def test_an_item_is_acknowledged_once_and_a_quiz_needs_an_answer(app, items):
    _, ids = items
    client = app.test_client()
    login(client, "staff")
    token = csrf(client, "/tandem/campaign/")
    missing = client.post(f"/tandem/campaign/{ids[1]}/acknowledge", data={"csrf_token": token})
    page = missing.get_data(as_text=True)
    assert "Quick question: choose an answer to the question first." in page, "a sentence naming the field"
    assert 'id="tandem-refused"' not in page, "the form comes back, not an error page"
    assert f'action="/tandem/campaign/{ids[1]}/acknowledge"' in page and 'name="quiz_answer"' in page
    bogus = client.post(f"/tandem/campaign/{ids[1]}/acknowledge", data={"csrf_token": token, "quiz_answer": "9"})
    assert bogus.status_code == 400
    client.post(f"/tandem/campaign/{ids[1]}/acknowledge", data={"csrf_token": token, "quiz_answer": "0"})
    twice = client.post(f"/tandem/campaign/{ids[1]}/acknowledge", data={"csrf_token": token, "quiz_answer": "1"})
    assert twice.status_code == 409
    assert count(app, Acknowledgement) == 1
    assert count(app, Event, Event.type == "campaign.acknowledged") == 1


def test_items_of_a_campaign_i_am_not_in_are_not_found(app, items):
    org, ids = items
    with app.app_context():
        session = app.appbuilder.session
        session.query(Enrolment).filter(Enrolment.person_id == org.people["dev1"]).delete()
        session.commit()
    client = app.test_client()
    login(client, "staff")
    assert "Advice for everyone" not in client.get("/tandem/campaign/").get_data(as_text=True)
    token = csrf(client, "/tandem/inbox/")
    assert client.post(f"/tandem/campaign/{ids[0]}/acknowledge", data={"csrf_token": token}).status_code == 404


def test_an_item_read_before_the_check_in_adds_its_prompt_to_the_pairs_check_in(app):
    org, _ = onboarding_with_an_open_check_in(app)
    ids = campaign_for_staff(app, org)
    with app.app_context():
        session = app.appbuilder.session
        checkin_due = session.get(CheckIn, open_checkin(app, org.people["dev1"])).due_at
        session.add(Acknowledgement(item_id=ids[2], person_id=org.people["dev1"], acknowledged_at=checkin_due))
        session.commit()
    client = app.test_client()
    login(client, "staff")
    page = client.get(f"/tandem/check-ins/{open_checkin(app, org.people['dev1'])}").get_data(as_text=True)
    assert "Something to discuss this time" in page and "Depth beats soundbites" in page
