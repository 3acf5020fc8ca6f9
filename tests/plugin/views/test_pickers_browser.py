"""A person picker in chromium: it carries no directory, finds a person as HR types, and the choice is saved.

The same picker filters the People list by manager (FAB adds that field only when HR clicks the filter).
"""

from __future__ import annotations

import pytest
from browser import sign_in
from organisation import PASSWORD, build
from playwright.sync_api import expect
from sqlalchemy import select

from tandem.plugin.models import Person

pytestmark = pytest.mark.browser


def test_hr_picks_a_manager_by_typing_part_of_a_name_and_filters_people_by_manager(app, live_server, page):
    org = build(app)
    sign_in(page, live_server, "hr", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/people/add")
    assert page.locator("select#manager option").count() == 1, "the form carries no directory"
    for name, value in {
        "employee_id": "NEW1",
        "full_name": "New Hire",
        "email": "new.hire@example.org",
        "title": "Engineer",
        "department": "Engineering",
        "location": "Berlin",
        "country": "DE",
        "timezone": "Europe/Berlin",
        "hire_date": "2026-11-02",
    }.items():
        page.fill(f"#{name}", value)
    page.click("select#manager + span.select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill("lea")
    page.locator(".select2-results__option:has-text('Lead — lead@example.org')").click()
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url("**/mentoring/people/show/**")
    with app.app_context():
        saved = app.appbuilder.session.scalar(select(Person).where(Person.employee_id == "NEW1"))
        assert saved.manager_id == org.people["lead"]

    page.goto(f"{live_server.url}/mentoring/people/list/")
    page.click("a.accordion-toggle[href='#accordion1_href']")
    page.click("#filter_form button.dropdown-toggle")
    page.click("#filter_form a.filter[name=manager]")
    page.locator("#filter_form select.tandem-person-picker").dispatch_event("mousedown")
    page.locator(".select2-container--open .select2-search__field").fill("lea")
    page.locator(".select2-results__option:has-text('Lead — lead@example.org')").click()
    page.click("#filter_form button[type=submit]")
    page.wait_for_url("**_flt_0_manager=**")
    listed = page.locator("table.table tr")
    expect(listed.filter(has_text="New Hire")).to_have_count(1)
    expect(listed.filter(has_text="Dev2")).to_have_count(1)
    expect(listed.filter(has_text="Sales1")).to_have_count(0)
