"""Notification pages in a real browser: HR's template editor refuses injection; the e-mail's link opens preferences."""

from __future__ import annotations

import pytest
from browser import screenshot, sign_in
from organisation import PASSWORD, build
from sqlalchemy import select

from tandem.plugin.links import make_token
from tandem.plugin.models import NotificationPreference, NotificationTemplate

pytestmark = pytest.mark.browser


def test_hr_typing_a_template_that_reaches_for_python_internals_sees_it_refused(app, live_server, page):
    build(app)
    sign_in(page, live_server, "hr", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/notification-templates/edit/checkin/reminder")
    page.fill("textarea[name=text]", "Hello {{ ''.__class__.__mro__[1].__subclasses__() }}")
    page.click("input[name=save]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Not saved.").first.is_visible()
    assert page.locator("text=reaches for Python internals").first.is_visible()
    screenshot(page, "template-editor-refuses-injection")
    with app.app_context():
        assert app.appbuilder.session.scalars(select(NotificationTemplate)).all() == []
    assert page.blocked == []


def test_the_preferences_link_from_an_email_works_without_signing_in(app, live_server, page):
    org = build(app)
    with app.app_context():
        token = make_token("preferences", {"person": org.people["dev1"]})
    page.goto(f"{live_server.url}/tandem/preferences/{token}")
    page.uncheck("input[value=email]")
    page.fill("input[name=quiet_start]", "19:00")
    page.fill("input[name=quiet_end]", "08:00")
    page.click("input[name=save]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Your notification preferences are saved.").first.is_visible()
    screenshot(page, "preferences-by-link")
    with app.app_context():
        row = app.appbuilder.session.scalars(select(NotificationPreference)).one()
        assert row.channels == ["in_app"] and row.quiet_start.hour == 19
    assert page.blocked == []
