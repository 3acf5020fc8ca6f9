"""``make demo``'s reports: the manager sees their own teams with small groups suppressed; HR every programme."""

from __future__ import annotations

import pytest
from browser import screenshot, sign_in

from tandem.plugin.demo import seed_demo

PASSWORD = "demo-password"
pytestmark = pytest.mark.browser


def test_in_the_demo_the_manager_sees_their_teams_and_hr_every_programme(app, live_server, page):
    with app.app_context():
        seed_demo(app.appbuilder, PASSWORD)
    sign_in(page, live_server, "manager", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/reports/")
    page.wait_for_selector("#chart-checkins[data-drawn=true] svg")
    teams = page.locator("#section-teams tbody th").all_inner_texts()
    assert len(teams) >= 4, teams
    assert page.locator("#section-teams").get_by_text("fewer than 5").count() > 0
    assert page.locator("#chart-checkins svg rect").count() > 6
    screenshot(page, "demo-manager-report")
    page.goto(f"{live_server.url}/logout/")
    sign_in(page, live_server, "hr", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/reports/")
    page.wait_for_selector("#chart-funnel[data-drawn=true] svg")
    programmes = page.locator("#section-funnel tbody th").all_inner_texts()
    assert len(programmes) == 4, programmes
    screenshot(page, "demo-hr-dashboard")
    assert page.blocked == []
