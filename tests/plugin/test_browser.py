"""The intranet in a real browser (Debian's chromium): it signs people in and needs no internet."""

from __future__ import annotations

import pytest
from browser import screenshot, sign_in
from organisation import PASSWORD, build

pytestmark = pytest.mark.browser


def test_staff_sign_in_and_the_pages_load_nothing_from_outside(app, live_server, page):
    build(app)
    sign_in(page, live_server, "staff", PASSWORD)
    assert "/login" not in page.url, "a correct password signs staff in"
    assert page.locator("a.dropdown-toggle", has_text="Me").first.is_visible(), "the Me menu is shown to staff"
    assert page.locator("a.dropdown-toggle", has_text="Programmes").first.is_visible(), "menus grouped by task"
    screenshot(page, "staff-home")
    assert page.blocked == [], f"the page tried to load from outside: {page.blocked}"


def test_a_wrong_password_keeps_the_person_on_the_login_page(app, live_server, page):
    build(app)
    sign_in(page, live_server, "staff", "not the password")
    assert "/login" in page.url


def test_the_home_page_greets_a_person_without_a_title_in_a_plain_sentence(app, live_server, page):
    build(app)
    sign_in(page, live_server, "staff", PASSWORD)
    greeting = page.locator("text=Signed in as").inner_text()
    assert greeting == "Signed in as Dev1.", greeting
