"""HR's import page through the real forms: errors by row and column, a summary, confirmation, the outcome."""

from __future__ import annotations

import html
import io
import re
import time

from organisation import build, login
from sqlalchemy import func, select

from tandem.plugin.models import ImportUpload, Person

PAGE = "/mentoring/import-people/"
WORKING = ("queued", "running")
GOOD = (
    "employee_id,name,email,timezone,manager_id,status\n"
    "E5,Dev2,dev2@example.org,Europe/London,E3,\n"
    "E6,Dev3,dev3@example.org,Europe/Berlin,E2,left\n"
    "N1,Nova Newcomer,nova@example.org,Europe/Lisbon,E3,\n"
)
BAD = (
    "employee_id,name,email,timezone,manager_id\n"
    "N1,Nova Newcomer,nova@example.org,Mars/Olympus,E3\n"
    "N2,Second,not-an-address,Europe/Berlin,\n"
)


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def send(client, text: str, name: str = "people.csv"):
    token = csrf(client.get(PAGE).get_data(as_text=True))
    data = {"csrf_token": token, "check": "1", "file": (io.BytesIO(text.encode()), name)}
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def people(app) -> int:
    with app.app_context():
        return app.appbuilder.session.scalar(select(func.count(Person.id)))


def uploads(app) -> int:
    with app.app_context():
        return app.appbuilder.session.scalar(select(func.count(ImportUpload.id)))


def text_of(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_a_file_with_errors_is_a_422_listing_each_row_and_column_and_nothing_is_kept_or_written(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    before = people(app)
    response = send(client, BAD)
    assert response.status_code == 422
    rows = re.findall(
        r"<tr><td>(\d+)</td><td><code>(\w+)</code></td><td>([^<]+)</td></tr>", response.get_data(as_text=True)
    )
    assert [(row, column) for row, column, _ in rows] == [("2", "timezone"), ("3", "email")]
    assert "is not an IANA time zone" in html.unescape(rows[0][2])
    assert "Nothing was imported" in text_of(response)
    assert (people(app), uploads(app)) == (before, 0)


def test_a_valid_file_shows_what_will_change_then_imports_in_the_background_when_confirmed(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    before = people(app)
    response = send(client, GOOD)
    assert response.status_code == 302
    review = response.headers["Location"]
    page = client.get(review)
    words = " ".join(text_of(page).split())
    assert "New to the directory 1 Nova Newcomer (row 4)" in words
    assert "Updated 1 Dev2 (row 2: timezone)" in words
    assert "Leaving (status becomes left) 1 Dev3 (row 3: status)" in words
    assert people(app) == before, "nothing is written before the confirmation"
    confirmed = client.post(review + "/confirm", data={"csrf_token": csrf(page.get_data(as_text=True))})
    assert confirmed.status_code == 302
    deadline = time.monotonic() + 30
    while (state := client.get(review + "/status").json)["status"] in WORKING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state["status"] == "done"
    assert state["result"]["created"] == 1 and state["result"]["updated"] == 2
    assert people(app) == before + 1
    done = " ".join(text_of(client.get(review)).split())
    assert "is imported. 1 new, 2 updated, 0 unchanged." in done
    assert "1 person joined the company" in done and "1 person left the company" in done
    again = client.post(review + "/confirm", data={"csrf_token": csrf(page.get_data(as_text=True))})
    assert again.status_code == 302 and people(app) == before + 1, "a second confirmation imports nothing twice"


def test_a_file_over_the_limit_is_a_413_naming_the_limit(app):
    app.config["TANDEM_IMPORT_MAX_BYTES"] = 100
    build(app)
    client = app.test_client()
    login(client, "hr")
    response = send(client, GOOD)
    assert response.status_code == 413
    assert "more than the limit of 100 (TANDEM_IMPORT_MAX_BYTES)" in text_of(response)
    assert uploads(app) == 0


def test_a_kept_file_is_found_only_by_the_login_that_sent_it_and_not_without_the_form_token(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    review = send(client, GOOD).headers["Location"]
    assert client.post(review + "/confirm", data={}).status_code == 400
    assert client.get(PAGE + "not-the-token").status_code == 404
    staff = app.test_client()
    login(staff, "staff")
    assert staff.get(review).status_code in (302, 403)
    assert staff.get(PAGE).status_code in (302, 403)
    assert client.get(review + "/status").json["status"] == "previewed"


def test_a_kept_file_expires_after_an_hour_and_is_gone_for_everyone_then(app):
    from datetime import UTC, datetime, timedelta

    from tandem.plugin.directory.uploads import KEEP_FOR, find_upload, preview_upload

    build(app)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with app.app_context():
        session = app.appbuilder.session
        kept = preview_upload(session, 1, "people.csv", GOOD, now)
        assert find_upload(session, kept.token, 1, now + KEEP_FOR - timedelta(minutes=1)) is not None
        assert find_upload(session, kept.token, 2, now) is None, "another login never finds it"
        assert find_upload(session, kept.token, 1, now + KEEP_FOR + timedelta(minutes=1)) is None
        preview_upload(session, 1, "again.csv", GOOD, now + 2 * KEEP_FOR)
    assert uploads(app) == 1, "an upload clears the expired ones"


def test_an_import_whose_worker_is_gone_is_failed_in_words_and_hr_can_try_it_again(app):
    from datetime import UTC, datetime, timedelta

    build(app)
    client = app.test_client()
    login(client, "hr")
    before = people(app)
    review = send(client, GOOD).headers["Location"]
    page = client.get(review).get_data(as_text=True)
    with app.app_context():  # as a worker killed mid-import leaves it: running, its lease long run out
        session = app.appbuilder.session
        upload = session.scalars(select(ImportUpload)).one()
        upload.queue()
        upload.start(datetime.now(UTC) - timedelta(hours=1))
        session.commit()
    state = client.get(review + "/status").json
    assert state["status"] == "failed"
    assert (
        state["result"]["stopped"] == "the worker importing this file stopped once before it ended; nothing was written"
    )
    words = " ".join(text_of(client.get(review)).split())
    assert "Nothing was imported: the worker importing this file stopped once" in words
    assert "Try the import again" in words and people(app) == before
    assert client.post(review + "/confirm", data={"csrf_token": csrf(page)}).status_code == 302
    deadline = time.monotonic() + 30
    while (state := client.get(review + "/status").json)["status"] in WORKING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state["status"] == "done" and people(app) == before + 1
    with app.app_context():
        assert app.appbuilder.session.scalars(select(ImportUpload.attempt)).one() == 2
