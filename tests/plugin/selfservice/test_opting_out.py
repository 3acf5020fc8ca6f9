"""Opting out stops a programme's prompts cleanly; opting back in is possible."""

from __future__ import annotations

from datetime import timedelta

from engine_support import count, drain
from organisation import login
from selfservice_support import csrf, onboarding_with_an_open_check_in
from sqlalchemy import select

from tandem.plugin.models import CheckIn, Enrolment, InstanceHistory, Notification, Pairing, WorkflowInstance


def test_opting_out_stops_new_prompts_closes_the_pairing_and_can_be_undone(app):
    org, clock = onboarding_with_an_open_check_in(app)
    with app.app_context():
        session = app.appbuilder.session
        instance = session.scalars(select(WorkflowInstance)).one()
        enrolment = Enrolment(programme_id=instance.programme_id, person_id=org.people["dev1"], role="mentee")
        session.add(enrolment)
        session.commit()
        enrolment_id, instance_id = enrolment.id, instance.id
        session.expunge(instance)
    client = app.test_client()
    login(client, "staff")
    assert "Onboarding buddies" in client.get("/tandem/mentoring/").get_data(as_text=True)
    token = csrf(client, "/tandem/mentoring/")
    response = client.post(f"/tandem/mentoring/enrolment/{enrolment_id}/opt-out", data={"csrf_token": token})
    assert response.status_code == 302
    prompts_before = count(app, Notification, Notification.template == "checkin/prompt")
    clock.advance(timedelta(days=30))
    drain(app, clock)
    assert count(app, Notification, Notification.template == "checkin/prompt") == prompts_before
    with app.app_context():
        session = app.appbuilder.session
        assert session.get(WorkflowInstance, instance_id).status == "cancelled"
        assert session.get(Enrolment, enrolment_id).status == "opted_out"
        onboarding = Pairing.programme_id == instance.programme_id
        assert session.scalars(select(Pairing.status).where(onboarding)).all() == ["closed"]
        assert not session.scalars(
            select(CheckIn).where(CheckIn.instance_id == instance_id, CheckIn.status == "open")
        ).all()
        history = session.scalars(select(InstanceHistory.signal).where(InstanceHistory.instance_id == instance_id))
        assert any("opted out" in signal for signal in history)
    again = client.post(f"/tandem/mentoring/enrolment/{enrolment_id}/opt-out", data={"csrf_token": token})
    assert again.status_code == 409
    back = client.post(f"/tandem/mentoring/enrolment/{enrolment_id}/opt-in", data={"csrf_token": token})
    assert back.status_code == 302
    with app.app_context():
        assert app.appbuilder.session.get(Enrolment, enrolment_id).status == "active"


def test_my_mentoring_shows_who_my_buddy_is_how_to_reach_them_and_why_we_were_matched(app):
    _ = onboarding_with_an_open_check_in(app)
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/mentoring/").get_data(as_text=True)
    with app.app_context():
        pairing = app.appbuilder.session.scalars(select(Pairing)).first()
        buddy, reasons = pairing.mentor, pairing.score_breakdown
        assert buddy.full_name in page and buddy.email in page
    assert "Why you were matched" in page
    assert all(criterion.replace("_", " ") in page for criterion in reasons)


def test_staff_cannot_opt_someone_else_out(app):
    org, _ = onboarding_with_an_open_check_in(app)
    with app.app_context():
        other = app.appbuilder.session.scalars(
            select(Enrolment.id).where(Enrolment.person_id != org.people["dev1"])
        ).first()
    client = app.test_client()
    login(client, "staff")
    token = csrf(client, "/tandem/inbox/")
    assert client.post(f"/tandem/mentoring/enrolment/{other}/opt-out", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert app.appbuilder.session.get(Enrolment, other).status == "active"
