"""Staff pages in chromium at a phone's 390 px and a laptop's 1280 px: no sideways scroll, named titles, axe-core."""

from __future__ import annotations

import re

import pytest
from browser import axe_source, screenshot, serious_violations, sideways, sign_in
from organisation import PASSWORD
from selfservice_support import onboarding_with_an_open_check_in, open_checkin

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
PAGES = {
    "mentoring": ("/tandem/mentoring/", "My mentoring"),
    "check-ins": ("/tandem/check-ins/", "My check-ins"),
    "check-in": ("/tandem/check-ins/{checkin}", "Check-in 1 — My check-ins"),
    "timeline": ("/tandem/timeline/", "My timeline"),
    "campaign": ("/tandem/campaign/", "My campaign items"),
    "inbox": ("/tandem/inbox/", "Inbox"),
    "my-data": ("/tandem/my-data/", "My data"),
    "preferences": ("/tandem/preferences/", "Notification preferences"),
}


def test_staff_pages_fit_a_phone_and_a_laptop_name_themselves_and_pass_axe(app, live_server, page):
    org, _clock = onboarding_with_an_open_check_in(app)
    checkin = open_checkin(app, org.people["dev1"])
    source = axe_source()
    sign_in(page, live_server, "staff", PASSWORD)
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, (path, title) in PAGES.items():
            page.goto(live_server.url + path.format(checkin=checkin))
            if page.title() != f"{title} — Tandem":
                problems.append(f"{width}px {path}: title {page.title()!r}")
            scroll, client = sideways(page)
            if scroll > client:
                problems.append(f"{width}px {path}: scrolls sideways ({scroll} > {client})")
            problems += [f"{width}px {path}: {v}" for v in serious_violations(page, source)]
            if name in ("inbox", "timeline", "check-in", "mentoring"):
                screenshot(page, f"staff-{name}-{width}")
    assert problems == [], "\n".join(problems)
    assert page.blocked == []


def test_the_collapsed_navbar_opens_on_a_phone_and_reaches_my_pages_by_keyboard(app, live_server, page):
    onboarding_with_an_open_check_in(app)
    sign_in(page, live_server, "staff", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/tandem/inbox/")
    toggle = page.locator("button.navbar-toggle")
    assert toggle.is_visible()
    toggle.click()
    me = page.locator("a.dropdown-toggle", has_text=re.compile(r"^\s*Me\s*$"))
    me.wait_for(state="visible")
    me.focus()
    page.keyboard.press("Enter")
    entry = page.locator(".dropdown-menu a", has_text="My timeline")
    entry.wait_for(state="visible")
    entry.focus()
    outline = entry.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline.startswith("solid"), f"keyboard focus is visible ({outline})"
    scroll, client = sideways(page)
    assert scroll <= client
    screenshot(page, "staff-navbar-390")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.title() == "My timeline — Tandem"
