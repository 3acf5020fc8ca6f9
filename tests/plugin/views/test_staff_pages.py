"""Every staff page names itself in its title, labels every field, and the staff menu shows only what works."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from organisation import build, login
from selfservice_support import onboarding_with_an_open_check_in, open_checkin

TITLES = {
    "/tandem/mentoring/": "My mentoring",
    "/tandem/check-ins/": "My check-ins",
    "/tandem/timeline/": "My timeline",
    "/tandem/campaign/": "My campaign items",
    "/tandem/inbox/": "Inbox",
    "/tandem/my-data/": "My data",
    "/tandem/preferences/": "Notification preferences",
}
ME_MENU = re.compile(r"\sMe<b class=\"caret\">")
STAFF_LINKS = ("/tandem/mentoring/", "/tandem/inbox/", "/tandem/preferences/", "/tandem/check-ins/")


class Fields(HTMLParser):
    """The form fields of a page that a person fills, and the ids that have a <label for>."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str]] = []
        self.labelled: set[str] = set()
        self.in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "label":
            self.in_label += 1
            if attributes.get("for"):
                self.labelled.add(attributes["for"])
        elif tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit", "button"):
            self.fields.append({**attributes, "wrapped": "yes" if self.in_label else ""})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1


def unlabelled(page: str) -> list[str]:
    parser = Fields()
    parser.feed(page)
    return [
        field.get("name", "?")
        for field in parser.fields
        if not (field["wrapped"] or field.get("id") in parser.labelled or field.get("aria-label"))
    ]


@pytest.fixture
def staff(app):
    org, _clock = onboarding_with_an_open_check_in(app)
    client = app.test_client()
    login(client, "staff")
    return org, client


def test_every_staff_page_names_itself_in_its_title_and_labels_every_field(app, staff):
    org, client = staff
    checkin_id = open_checkin(app, org.people["dev1"])
    pages = {**TITLES, f"/tandem/check-ins/{checkin_id}": "Check-in 1 — My check-ins"}
    for path, title in pages.items():
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert f"<title>{title} — Tandem</title>" in page, (path, re.search(r"<title>(.*?)</title>", page))
        assert unlabelled(page) == [], path
        assert '<html lang="en">' in page


def test_other_topics_and_the_not_working_out_reason_have_real_labels(app, staff):
    org, client = staff
    checkin_id = open_checkin(app, org.people["dev1"])
    page = client.get(f"/tandem/check-ins/{checkin_id}").get_data(as_text=True)
    assert re.search(r'<label for="other_topics"[^>]*>Other topics', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/tandem/check-ins/{checkin_id}/answer", data={"csrf_token": token, "rating": "3"})
    mentoring = client.get("/tandem/mentoring/").get_data(as_text=True)
    assert "Not working out?" in mentoring, "a pair that met once may end as not a fit"
    assert re.search(r'<label for="end-reason-\d+">What did not fit\?', mentoring)


def menu_links(page: str) -> set[str]:
    navbar = page.split('class="navbar-collapse', 1)[1].split("</div>", 1)[0]
    return {link for link in re.findall(r'href="([^"#]+)"', navbar) if link.startswith("/tandem/")}


def test_an_admin_outside_the_directory_sees_no_staff_entries_and_every_tandem_entry_works(app):
    build(app)
    client = app.test_client()
    login(client, "admin")
    home = client.get("/", follow_redirects=True).get_data(as_text=True)  # an admin runs programmes: "Today"
    links = menu_links(home)
    assert not set(STAFF_LINKS) & links, links
    assert not ME_MENU.search(home), "no empty Me menu"
    for link in links:
        assert client.get(link).status_code == 200, link


def test_staff_see_their_own_menu_and_every_entry_works(app, staff):
    _org, client = staff
    links = menu_links(client.get("/").get_data(as_text=True))
    assert set(STAFF_LINKS) <= links, links
    assert ME_MENU.search(client.get("/").get_data(as_text=True))
    for link in links:
        assert client.get(link).status_code == 200, link
