"""HR writes a message template as plain text: a live preview from the sandbox, then a saved version."""

from __future__ import annotations

import re

from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import NotificationTemplate

EDITOR = "/mentoring/notification-templates/edit/onboarding/wrap-up"
PREVIEW = "/mentoring/notification-templates/preview"


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def form(client, **fields):
    token = csrf(client.get(EDITOR).get_data(as_text=True))
    return {
        "csrf_token": token,
        "name": "onboarding/wrap-up",
        "subject": "Six weeks, {{ person.first_name }}",
        **fields,
    }


def saved(app) -> list[NotificationTemplate]:
    with app.app_context():
        return list(app.appbuilder.session.scalars(select(NotificationTemplate)))


def test_the_live_preview_renders_a_plain_text_message_in_both_parts_without_saving(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    page = client.get(EDITOR).get_data(as_text=True)
    assert "<title>Edit notification template: Onboarding wrap up — Tandem</title>" in page
    assert 'data-insert="{{ person.first_name }}"' in page and '<td style="overflow-wrap: anywhere">Ada</td>' in page
    message = "Hello {{ person.first_name }},\n\nthank you <3. Your timeline: {{ links.timeline }}"
    answer = client.post(PREVIEW, data=form(client, mode="plain", message=message))
    assert answer.status_code == 200, answer.json
    assert answer.json["subject"] == "Six weeks, Ada"
    assert answer.json["text"].startswith("Hello Ada,\n\nthank you <3.")
    assert "<p>thank you &lt;3. Your timeline: <a href=" in answer.json["html"]
    assert saved(app) == []


def test_the_live_preview_refuses_what_the_sandbox_refuses_and_a_missing_token(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    attack = client.post(PREVIEW, data=form(client, mode="full", text="{{ cycler.__init__.__globals__ }}", html="x"))
    assert attack.status_code == 400
    assert "reaches for Python internals" in attack.json["problems"]["text"]
    jinja = client.post(PREVIEW, data=form(client, mode="plain", message="{% for x in range(9) %}{% endfor %}"))
    assert jinja.status_code == 400 and "placeholders only" in jinja.json["problems"]["message"]
    assert client.post(PREVIEW, data={"mode": "plain", "message": "hi", "subject": "s"}).status_code == 400
    assert saved(app) == []


def test_saving_a_plain_text_message_stores_both_parts_and_reopens_in_plain_text(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    response = client.post(EDITOR, data=form(client, mode="plain", message="Thank you, {{ others }}!", save="1"))
    assert response.status_code == 302
    (row,) = saved(app)
    assert row.text.startswith("Thank you, {{ others }}!\n") and "<p>Thank you, {{ others }}!</p>" in row.html
    page = client.get(EDITOR).get_data(as_text=True)
    assert '<input checked id="mode-0" name="mode" type="radio" value="plain">' in page
    assert ">Thank you, {{ others }}!</textarea>" in page


def test_staff_and_managers_reach_neither_the_live_preview_nor_anyone_outside_their_scope_by_the_people_search(app):
    build(app)
    for username in ("staff", "manager"):
        client = app.test_client()
        login(client, username)
        token = csrf(client.get("/tandem/preferences/").get_data(as_text=True))  # a form of their own
        preview = client.post(PREVIEW, data={"csrf_token": token, "mode": "plain", "subject": "s", "message": "m"})
        assert preview.status_code in (302, 403)
        search = client.get("/mentoring/people-search/?q=sales")  # the one people search, scoped like People
        assert search.status_code == 200 and search.json["people"] == []
        assert b"sales1@example.org" not in search.data
