"""A message in the inbox opens to its full text and links; only its recipient can open it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import Notification


def add(app, person_id, key, template="checkin/prompt", deliver_after=None):
    with app.app_context():
        session = app.appbuilder.session
        row = Notification(
            recipient_id=person_id,
            channel="in_app",
            template=template,
            context={"sequence": 2, "names": {"newcomer": "Dev1", "buddy": "Sales Head"}},
            idempotency_key=key,
            status="sent",
            deliver_after=deliver_after,
        )
        session.add(row)
        session.commit()
        return row.id


def test_a_message_opens_to_its_full_text_and_links_and_counts_as_read(app):
    org = build(app)
    pk = add(app, org.people["dev1"], "full")
    client = app.test_client()
    login(client, "staff")
    inbox = client.get("/tandem/inbox/").get_data(as_text=True)
    assert f'href="/tandem/inbox/{pk}"' in inbox, "each row opens the message"
    before = int(re.search(r'id="tandem-unread">(\d+)<', inbox).group(1))
    response = client.get(f"/tandem/inbox/{pk}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Check-in 2 with Sales Head: how did it go? — Inbox" in page
    text = re.search(r'id="tandem-message-text">(.*?)</div>', page, re.S).group(1)
    assert "Sales Head" in text and len(text.strip()) > 40, "the whole text, not only the subject"
    links = re.findall(r'<li><a href="([^"]+)">', page.split('id="tandem-message-links"')[1])
    assert any("/tandem/preferences/" in link for link in links), "the footer link to my preferences, clickable"
    after = re.search(r'id="tandem-unread">(\d+)<', client.get("/tandem/inbox/").get_data(as_text=True))
    assert (int(after.group(1)) if after else 0) == before - 1, "opening a message reads it"


def test_nobody_opens_another_persons_message_or_one_still_to_come(app):
    org = build(app)
    theirs = add(app, org.people["sales1"], "theirs")
    later = add(app, org.people["dev1"], "later", deliver_after=datetime.now(UTC) + timedelta(days=2))
    client = app.test_client()
    login(client, "staff")
    for pk in (theirs, later, 999_999):
        response = client.get(f"/tandem/inbox/{pk}")
        assert response.status_code == 404, pk
        assert "There is no such message in your inbox." in response.get_data(as_text=True)
    with app.app_context():
        rows = app.appbuilder.session.scalars(select(Notification).where(Notification.id.in_((theirs, later))))
        assert all(row.read_at is None for row in rows), "a refused open reads nothing"


def test_mark_all_as_read_leaves_messages_still_to_come_unread(app):
    org = build(app)
    later = add(app, org.people["dev1"], "later", deliver_after=datetime.now(UTC) + timedelta(days=2))
    client = app.test_client()
    login(client, "staff")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/tandem/inbox/").get_data(as_text=True))
    client.post("/tandem/inbox/read-all", data={"csrf_token": token.group(1)})
    with app.app_context():
        assert app.appbuilder.session.get(Notification, later).read_at is None
