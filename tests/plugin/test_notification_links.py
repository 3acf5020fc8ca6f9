"""Every link in every notification is built from TANDEM_BASE_URL and opens a page for its recipient (no 404)."""

from __future__ import annotations

import re

from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import CheckIn
from tandem.templates import root
from tandem.workflows import templating
from tandem.workflows.notification_context import preferences_url, rating_links, sample_context

BASE = "http://intranet.example.test:18311"
URL = re.compile(r"https?://[^\s\"'<>]+")
# Who receives each template (the login that follows its links); everyone else's are staff's.
AUDIENCE = {
    "checkin/escalation": "hr",
    "mentoring/low-rating": "hr",
    "operations/match-failed": "hr",
    "operations/match-overdue": "hr",
    "manager/digest": "manager",
}


def template_names() -> list[str]:
    folder = root() / "notifications"
    return sorted(str(path.relative_to(folder)).removesuffix(".subject.j2") for path in folder.rglob("*.subject.j2"))


def links_by_login(app, org) -> dict[str, set[str]]:
    """Render every template with sample data (and real signed links of staff's own) and collect its links."""
    found: dict[str, set[str]] = {}
    with app.app_context():
        checkin = app.appbuilder.session.scalars(select(CheckIn).where(CheckIn.respondent_id == org.people["dev1"]))
        context = {
            **sample_context(),
            "rating_links": rating_links(checkin.first().id),
            "preferences_url": preferences_url(org.people["dev1"]),
        }
        for name in template_names():
            rendered = templating.render(None, name, context)
            links = set(URL.findall(rendered.text)) | set(URL.findall(rendered.html))
            assert links, f"{name} links to nothing"
            found.setdefault(AUDIENCE.get(name, "staff"), set()).update(links)
    return found


def test_every_link_in_every_notification_starts_at_the_base_url_and_opens_a_page_for_its_recipient(app):
    org = build(app)
    app.config["TANDEM_BASE_URL"] = BASE + "/"
    found = links_by_login(app, org)
    assert len(template_names()) >= 20
    broken = []
    for username, links in sorted(found.items()):
        client = app.test_client()
        login(client, username)
        for link in sorted(links):
            assert link.startswith(BASE + "/"), f"{link} is not built from TANDEM_BASE_URL"
            response = client.get(link.removeprefix(BASE), follow_redirects=True)
            if response.status_code != 200:
                broken.append(f"{username}: {link} answers {response.status_code}")
    assert broken == []
    assert any(link.endswith("/tandem/check-ins/") for link in found["staff"])


def test_the_quiet_pair_warning_links_to_the_check_ins_page():
    rendered = templating.render(None, "matching/quiet-warning", sample_context("http://intranet"))
    assert 'href="http://intranet/tandem/check-ins/"' in rendered.html
    assert "http://intranet/tandem/check-ins/" in rendered.text
