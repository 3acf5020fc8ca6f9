"""The demo's Mail outbox: paged and searched on the server, quick with many messages, times in the viewer's zone."""

from __future__ import annotations

import mailbox
import os
import re
import time
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from organisation import build, login


def fill(directory, count: int) -> None:
    """``count`` real messages in a maildir, as the SMTP sink stores them (the newest has the highest number)."""
    box = mailbox.Maildir(directory, create=True)
    for number in range(count):
        message = EmailMessage(policy=SMTP)
        message["From"] = "Tandem <tandem@example.org>"
        message["To"] = f"{'Chloé Costa' if number % 10 == 0 else 'Dev One'} <person{number}@example.org>"
        message["Subject"] = f"Check-in {number} with Zoë: how did it go?"
        message.set_content("How did it go?\n" * 200)
        stamp = 1_790_000_000 + number * 60
        os.utime(directory / "new" / box.add(message), (stamp, stamp))


@pytest.fixture
def outbox(app, tmp_path):
    build(app)
    app.config["TANDEM_MAIL_SINK_DIR"] = str(tmp_path / "mail")
    fill(tmp_path / "mail", 158)
    client = app.test_client()
    login(client, "hr")
    return client


def subjects(page: str) -> list[int]:
    return [int(n) for n in re.findall(r">Check-in (\d+) with Zoë: how did it go\?</a>", page)]


def test_the_outbox_pages_every_message_newest_first(outbox):
    first = outbox.get("/tandem/mail-outbox/").get_data(as_text=True)
    assert subjects(first) == list(range(157, 107, -1))
    assert "Messages 1–50 of 158" in first and "Page 1 of 4" in first
    last = outbox.get("/tandem/mail-outbox/?page=4").get_data(as_text=True)
    assert subjects(last) == list(range(7, -1, -1))
    assert "Messages 151–158 of 158" in last
    assert subjects(outbox.get("/tandem/mail-outbox/?page=99").get_data(as_text=True)) == list(range(7, -1, -1))


def test_the_outbox_searches_subjects_and_recipients(outbox):
    page = outbox.get("/tandem/mail-outbox/?q=chlo%C3%A9").get_data(as_text=True)
    assert subjects(page) == list(range(150, -1, -10))
    assert "Messages 1–16 of 16 matching “chloé”" in page
    page = outbox.get("/tandem/mail-outbox/?q=Check-in+42+with").get_data(as_text=True)
    assert subjects(page) == [42]
    assert "No message matches" in outbox.get("/tandem/mail-outbox/?q=nobody").get_data(as_text=True)


def test_the_outbox_lists_in_the_viewers_zone_without_seconds(outbox):
    page = outbox.get("/tandem/mail-outbox/").get_data(as_text=True)
    assert "Mon 21 Sep 2026, 18:50 CEST" in page  # the newest, 16:50 UTC, for an HR person in Europe/Berlin


def test_the_outbox_stays_quick_with_many_messages(outbox):
    outbox.get("/tandem/mail-outbox/")  # the first read of each file's headers
    started = time.perf_counter()
    for query in ("", "?page=3", "?q=chlo%C3%A9"):
        assert outbox.get(f"/tandem/mail-outbox/{query}").status_code == 200
    assert (time.perf_counter() - started) / 3 < 0.5, "a page of the outbox takes well under half a second"


def test_a_message_opens_in_full(outbox):
    page = outbox.get("/tandem/mail-outbox/").get_data(as_text=True)
    link = re.search(r'href="(/tandem/mail-outbox/[^"?]+)"', page).group(1)
    message = outbox.get(link).get_data(as_text=True)
    assert "Check-in 157 with Zoë" in message and "How did it go?" in message
