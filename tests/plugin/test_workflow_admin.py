# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""HR's workflow editor and Operations inbox, used through the real forms (CSRF included)."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from engine_support import buddy_programme, drain
from organisation import build, login
from simple_matcher import SimpleMatcher
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import select, update

from tandem.plugin.models import Incident, Notification, Person, WorkflowDefinition, WorkflowInstance
from tandem.workflows.clock import FrozenClock, SystemClock
from tandem.workflows.jobs import MAX_ATTEMPTS
from tandem.workflows.simulate import MAX_STEPS

EDITOR = "/mentoring/workflow-editor/onboarding-buddy"


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def versions(app) -> list[int]:
    with app.app_context():
        return list(
            app.appbuilder.session.scalars(
                select(WorkflowDefinition.version).where(WorkflowDefinition.name == "onboarding-buddy")
            )
        )


def shipped_onboarding(app) -> str:
    """The text of the built-in onboarding definition, as stored by `tandem init`."""
    with app.app_context():
        return app.appbuilder.session.scalar(
            select(WorkflowDefinition.source).where(WorkflowDefinition.name == "onboarding-buddy")
        )


def submit(client, source: str, button: str, **fields):
    token = csrf(client.get(EDITOR).get_data(as_text=True))
    return client.post(EDITOR, data={"source": source, "csrf_token": token, button: "1", **fields})


def test_a_definition_with_an_error_is_refused_in_the_form_with_its_path_and_nothing_changes(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    source = client.get(EDITOR).get_data(as_text=True)
    assert "trigger: employee.hired" in source
    page = submit(
        client, "workflow: onboarding-buddy\nsteps:\n  - check_in: {between: [x], every: weekly, times: 2}\n", "save"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "steps[0].check_in.every: expected a duration such as &#34;2 weeks&#34;" in text
    assert versions(app) == [1]


def billion_laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    return text


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (billion_laughs(), "aliases (*name) expand to far more than the text itself"),
        ("[" * 5000, "nested deeper than 50 levels"),
        (
            "workflow: forever\nsteps:\n  - wait: {for: 99999999999999999999999 days}\n",
            "steps[0].wait.for: expected a duration of at most 3660 days",
        ),
    ],
    ids=["billion laughs", "5,000 nested [", "a wait too long"],
)
def test_a_hostile_definition_is_a_quick_short_400_at_preview_and_at_save(app, source, message):
    build(app)
    client = app.test_client()
    login(client, "hr")
    for button in ("preview", "save"):
        started = time.monotonic()
        page = submit(client, source, button)
        assert page.status_code == 400
        assert message in html.unescape(page.get_data(as_text=True))
        assert len(page.get_data()) < 100_000
        assert time.monotonic() - started < 5
    assert versions(app) == [1]


def test_a_preview_of_a_workflow_looping_every_second_stops_after_the_step_limit(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    spin = "workflow: spin\nsteps:\n  - id: top\n    wait: {for: 1 second}\n  - goto: top\n"
    started = time.monotonic()
    page = submit(client, spin, "preview", days="60")
    assert page.status_code == 200
    assert f"preview stopped after {MAX_STEPS:,} steps" in page.get_data(as_text=True)
    assert time.monotonic() - started < 10


def test_a_valid_change_is_saved_as_a_new_version(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    source = shipped_onboarding(app)
    response = submit(client, source.replace("times: 6", "times: 8"), "save")
    assert response.status_code == 302
    assert sorted(versions(app)) == [1, 2]


def test_the_preview_shows_the_dated_timeline_for_a_person_chosen_by_name_and_the_steps_in_words(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    source = shipped_onboarding(app)
    page = submit(client, source, "preview", person="dev1", start="2026-11-23", days="60").get_data(as_text=True)
    page = html.unescape(page)
    assert "Preview for Dev1 <small>from Mon 23 Nov 2026" in page
    assert page.count("Check-in prompt → Dev1 (newcomer)") == 6
    assert "Finds a buddy for the newcomer, within 3 business days." in page
    assert versions(app) == [1]


def test_the_preview_by_employee_id_still_works_and_an_ambiguous_name_asks_to_choose(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    source = shipped_onboarding(app)
    page = submit(client, source, "preview", person="E4", start="2026-11-23", days="60")
    assert "Preview for Dev1" in page.get_data(as_text=True)
    page = submit(client, source, "preview", person="dev", start="2026-11-23", days="60")
    assert page.status_code == 400
    assert "3 people match “dev” (Dev1 — dev1@example.org; Dev2" in html.unescape(page.get_data(as_text=True))
    found = [person["label"] for person in client.get("/mentoring/people-search/?q=sales").json["people"]]
    assert found == ["Sales Head — sales_head@example.org", "Sales1 — sales1@example.org"]


def test_staff_and_managers_cannot_open_the_editor_or_the_inbox(app):
    build(app)
    for username in ("staff", "manager"):
        client = app.test_client()
        login(client, username)
        for url in (EDITOR, "/mentoring/operations/list/", "/mentoring/workflow-runs/list/"):
            response = client.get(url)
            assert response.status_code in (302, 403)
            assert response.status_code == 403 or "/login" in response.headers["Location"]


class BrokenMatcher(SimpleMatcher):
    def find(self, *args, **kwargs):
        raise ConnectionError("matching service unreachable")


def test_hr_retries_an_incident_from_the_operations_inbox_and_the_run_completes_its_step(app):
    org = build(app)
    buddy_programme(app, org)
    # The inbox's Retry reschedules on the wall clock, so this test's clock starts there too.
    clock = FrozenClock(datetime.now(UTC))
    client = app.test_client()
    login(client, "hr")
    with app.app_context():
        from tandem.plugin.events import NewEvent
        from tandem.workflows.intake import record_event

        record_event(app.appbuilder.session, NewEvent("employee.hired", org.people["dev1"], event_id="h1"))
        app.appbuilder.session.commit()
    for _ in range(MAX_ATTEMPTS):
        drain(app, clock, matcher=BrokenMatcher())
        clock.advance(timedelta(hours=1))
    inbox = client.get("/mentoring/operations/list/").get_data(as_text=True)
    assert "failed 5 times" in inbox
    with app.app_context():
        incident_id = app.appbuilder.session.scalar(select(Incident.id))
    forged = client.post("/mentoring/operations/action_post", data={"action": "retry", "rowid": str(incident_id)})
    assert forged.status_code == 400, "an action without the CSRF token must be refused"
    response = client.post(
        "/mentoring/operations/action_post",
        data={"action": "retry", "rowid": str(incident_id), "csrf_token": csrf(inbox)},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Ran again and succeeded: event employee.hired. The incident is closed." in page
    with app.app_context():
        session = app.appbuilder.session
        assert session.scalar(select(Incident.status)) == "retried"
        assert session.scalar(select(WorkflowInstance.status)) == "running"
        assert session.scalar(select(WorkflowInstance.step)) >= 2


def test_retry_in_the_inbox_says_a_refused_message_still_fails_then_sends_it_once_the_address_is_fixed(app, mailbox):
    from tandem.workflows.delivery import deliver

    org = build(app)
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(Notification).values(status="sent"))  # the fixture's own
        dev2 = session.get(Person, org.people["dev2"])
        dev2.full_name, dev2.email = "Søren Åberg", "refused-soren@exämple.de"
        row = Notification(recipient=dev2, channel="email", template="checkin/reminder", idempotency_key="r1")
        row.context = {"workflow": "mentoring-cohort", "names": {}, "sequence": 1}
        session.add(row)
        session.commit()
        assert deliver(session, [row.id], SystemClock()).counts == {"failed": 1}
        incident_id = session.scalar(select(Incident.id).where(Incident.notification_id == row.id))
    client = app.test_client()
    login(client, "hr")

    def retry() -> str:
        inbox = client.get("/mentoring/operations/list/").get_data(as_text=True)
        response = client.post(
            "/mentoring/operations/action_post",
            data={"action": "retry", "rowid": str(incident_id), "csrf_token": csrf(inbox)},
        )
        return client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)

    assert "Still failing for Søren Åberg: SMTP 550 5.1.1 No such mailbox here. The incident stays open." in retry()
    with app.app_context():
        assert app.appbuilder.session.get(Incident, incident_id).status == "open"
        app.appbuilder.session.get(Person, org.people["dev2"]).email = "soren@exämple.de"  # HR fixed it
        app.appbuilder.session.commit()
    assert "Sent again to Søren Åberg (by e-mail). The incident is closed." in retry()
    with app.app_context():
        assert app.appbuilder.session.get(Incident, incident_id).status == "retried"
    (message,) = mailbox[1].messages
    assert str(message["To"]) == "Søren Åberg <soren@xn--exmple-cua.de>"


def test_the_preview_refuses_an_unknown_template_naming_its_step_and_nothing_is_saved(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    source = shipped_onboarding(app).replace("template: onboarding/wrap-up", "template: onboarding/wrapup")
    assert "onboarding/wrapup" in source
    for button in ("preview", "save"):
        page = submit(client, source, button, person="E4", start="2026-11-23", days="60")
        text = page.get_data(as_text=True)
        assert page.status_code == 400
        assert (
            'steps[4].notify.template: no template "onboarding/wrapup" — did you mean "onboarding/wrap-up"?'
            in html.unescape(text)
        ), button
        assert "Preview for Dev1" not in text
    assert versions(app) == [1]


def test_a_workflows_show_page_keeps_its_indentation_and_links_to_its_editor(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    with app.app_context():
        pk = app.appbuilder.session.scalar(
            select(WorkflowDefinition.id).where(WorkflowDefinition.name == "onboarding-buddy")
        )
    page = client.get(f"/mentoring/workflows/show/{pk}").get_data(as_text=True)
    source = re.search(r'<pre class="tandem-source" tabindex="0">(.*?)</pre>', page, re.S).group(1)
    assert "\n  - check_in:\n      between: [newcomer, buddy]\n" in source  # the YAML's own indentation
    assert f'href="{EDITOR}"' in page
    assert "starts when someone joins the company" in page and "employee.hired" not in page.replace(source, "")


def test_a_workflows_page_shows_its_steps_in_words_and_a_sample_timeline_and_the_list_links_to_the_editor(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    with app.app_context():
        pk = app.appbuilder.session.scalar(
            select(WorkflowDefinition.id).where(WorkflowDefinition.name == "mentoring-cohort")
        )
    page = html.unescape(client.get(f"/mentoring/workflows/show/{pk}").get_data(as_text=True))
    assert "<title>Workflow Mentoring cohort, version 1 — Tandem</title>" in page
    steps = re.findall(r'<li id="tandem-step-\d+">([^<]+)', page)
    assert steps[4] == (
        "Looks at the last answer's rating: if it is below 3, goes to step 6 (follow-up); "
        "otherwise goes to step 7 (wrap-up)."
    )
    assert "Mentoring introduction → " in page
    listing = client.get("/mentoring/workflows/list/").get_data(as_text=True)
    assert 'href="/mentoring/workflow-editor/mentoring-cohort"' in listing


def test_an_unknown_role_or_step_id_names_its_path_and_the_nearest_name(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    source = shipped_onboarding(app).replace(
        "to: [newcomer, buddy], template: onboarding/wrap-up", "to: [budy], template: onboarding/wrap-up"
    )
    source = source.replace(
        "  - notify: {to: [newcomer, buddy], template: onboarding/introduction}",
        "  - id: introduction\n"
        "    notify: {to: [newcomer, buddy], template: onboarding/introduction}\n"
        "  - goto: introduce",
    )
    page = submit(client, source, "preview")
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 400
    assert "steps[2].goto: expected a goto target among the step ids; 'introduce' is not one" in text
    assert 'is not one — did you mean "introduction"?' in text
    assert "steps[5].notify.to: expected a role the workflow fills (buddy, hr, manager, newcomer)" in text
    assert "'budy' is not one — did you mean \"buddy\"?" in text
