"""The reports in a real browser (Debian's chromium) with the outside network blocked: the charts draw."""

from __future__ import annotations

import pytest
from browser import screenshot, sign_in
from report_data import PASSWORD, build

pytestmark = pytest.mark.browser


def drawn_bars(page) -> int:
    """How many bars the chart renderer drew on the page."""
    return page.locator("svg.tandem-chart rect").count()


def test_a_manager_sees_charts_of_their_teams_drawn_offline(app, live_server, page):
    build(app)
    sign_in(page, live_server, "manager", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/reports/")
    page.wait_for_selector("#chart-teams[data-drawn=true] svg")
    assert drawn_bars(page) > 10
    assert page.locator("#section-teams").get_by_text("fewer than 5").count() > 0
    screenshot(page, "manager-report")
    assert page.blocked == [], f"the page tried to load from outside: {page.blocked}"


def test_hr_sees_the_programme_dashboard_charts_drawn_offline(app, live_server, page):
    build(app)
    sign_in(page, live_server, "hr", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/reports/")
    page.wait_for_selector("#chart-funnel[data-drawn=true] svg")
    assert page.locator("#chart-funnel svg rect").count() >= 5
    assert page.locator("#chart-delivery svg rect").count() >= 1
    screenshot(page, "hr-dashboard")
    assert page.blocked == [], f"the page tried to load from outside: {page.blocked}"
