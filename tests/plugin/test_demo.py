"""``tandem seed-demo``: an organisation that looks like a real one, and logins that show the scoping."""

from __future__ import annotations

from datetime import date, timedelta

from flask_appbuilder.security.sqla.models import User
from organisation import jwt_headers
from smtp_capture import mailbox  # noqa: F401 - a fixture
from sqlalchemy import func, select

from tandem.plugin.demo import seed_demo
from tandem.plugin.models import CheckIn, Enrolment, Person, Programme
from tandem.workflows.clock import SystemClock
from tandem.workflows.delivery import claim_due_notifications, deliver

PASSWORD = "demo-password"


def seeded(app):
    with app.app_context():
        return seed_demo(app.appbuilder, PASSWORD)


def test_the_demo_organisation_has_the_promised_shape(app):
    seeded(app)
    with app.app_context():
        people = app.appbuilder.session.scalars(select(Person)).all()
        assert len(people) >= 300
        assert len({p.department for p in people}) >= 6
        assert len({p.location for p in people}) >= 4
        assert len({p.timezone for p in people}) >= 4
        depth = max(p.manager_chain().count("›") + 1 for p in people if p.manager)
        assert depth >= 3, "a chain of three managers above someone makes four levels"
        assert any(p.hire_date >= date.today() - timedelta(days=90) for p in people)
        assert any(p.hire_date <= date.today() - timedelta(days=3650) for p in people)
        assert 0.2 <= sum(p.remote for p in people) / len(people) <= 0.4
        names = set(app.appbuilder.session.scalars(select(Programme.name)))
        assert names == {
            "Onboarding buddies",
            "Mentoring cohort",
            "Peer support circles",
            "Career advice beyond the feed",
        }


def test_seeding_twice_leaves_the_first_seed_alone(app):
    seeded(app)
    message = seeded(app)
    assert "already has people" in message
    with app.app_context():
        assert app.appbuilder.session.scalar(select(func.count(Person.id))) < 400


def test_the_demo_logins_see_what_their_role_allows(app):
    seeded(app)
    client = app.test_client()
    seen = {}
    for username in ("hr", "manager", "staff"):
        response = client.get("/api/v1/person/?q=(page_size:1)", headers=jwt_headers(client, username, PASSWORD))
        seen[username] = response.json["count"]
    assert seen["hr"] >= 300
    assert 8 <= seen["manager"] < seen["hr"]
    assert seen["staff"] == 1


def test_the_demo_staff_user_is_a_recent_hire_enrolled_as_a_mentee(app):
    seeded(app)
    with app.app_context():
        session = app.appbuilder.session
        staff = session.scalars(select(Person).join(Person.user).where(Person.user.has(username="staff"))).one()
        assert staff.hire_date >= date.today() - timedelta(days=90)
        roles = set(session.scalars(select(Enrolment.role).where(Enrolment.person_id == staff.id)))
        assert "mentee" in roles


def test_the_demo_staff_login_has_a_pairing_an_open_check_in_campaign_items_and_unread_messages(app):
    from organisation import login

    seeded(app)
    client = app.test_client()
    login(client, "staff", PASSWORD)
    mentoring = client.get("/tandem/mentoring/").get_data(as_text=True)
    assert "Why you were matched" in mentoring and "Career advice beyond the feed" in mentoring
    checkins = client.get("/tandem/check-ins/").get_data(as_text=True)
    assert "Answer check-in 2" in checkins
    assert "Advice for everyone, or advice for you?" in client.get("/tandem/campaign/").get_data(as_text=True)
    inbox = client.get("/tandem/inbox/").get_data(as_text=True)
    highlighted = inbox.count("tandem-unread-row")
    assert highlighted >= 2, "the demo gives staff unread messages"
    assert f'id="tandem-unread">{highlighted}<' in client.get("/").get_data(as_text=True), "the bell counts them all"


def test_the_demo_staff_users_introduction_and_first_prompt_arrive_by_mail_and_the_rating_link_answers(
    app,
    mailbox,  # noqa: F811
):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    seeded(app)
    clock = SystemClock()
    with app.app_context():
        session = app.appbuilder.session
        staff = session.scalars(
            select(Person).join(User, User.id == Person.user_id).where(User.username == "staff")
        ).one()
        staff_address, staff_id = staff.email, staff.id
        deliver(session, claim_due_notifications(session, clock, limit=5000), clock)
        session.remove()
    received = [m for m in mailbox[1].messages if staff_address in m["To"]]
    templates = [m["Subject"] for m in received]
    introduction = [m for m in received if m.get_body(("plain",)) and "buddy" in m["Subject"].lower()]
    prompts = [m for m in received if any(p.get_content_type() == "text/calendar" for p in m.walk())]
    assert introduction, f"the staff user's buddy introduction arrives by mail: {templates}"
    assert prompts, f"the first check-in prompt arrives with a calendar invite: {templates}"
    text = prompts[0].get_body(("plain",)).get_content()
    link = next(line.split()[-1] for line in text.splitlines() if "/tandem/answer/" in line)
    response = app.test_client().get(link.split("8080", 1)[1])
    assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        answered = app.appbuilder.session.scalars(
            select(CheckIn).where(CheckIn.respondent_id == staff_id, CheckIn.rating.is_not(None))
        ).all()
        assert any(c.instance_id is not None and c.status == "completed" for c in answered)
