"""Me → My data: a person downloads everything Tandem holds about them, and only about them."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

import pytest
from flask import Flask
from organisation import login
from personal_support import GOAL, MESSAGE, OWN_NOTE, QUIZ, SHARED, plant
from report_data import PASSWORD


@pytest.fixture
def planted(app: Flask) -> Any:
    """a1's records."""
    return plant(app)


def download(app: Flask, username: str) -> zipfile.ZipFile:
    client = app.test_client()
    login(client, username, PASSWORD)
    page = client.get("/tandem/my-data/")
    assert page.status_code == 200 and "Download my data" in page.get_data(as_text=True)
    answer = client.get("/tandem/my-data/download")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(answer.data))


def test_a_person_downloads_every_record_about_them_as_json_and_csv(app: Flask, planted: Any) -> None:
    bundle = download(app, "staff")
    assert "data.json" in bundle.namelist()
    data = json.loads(bundle.read("data.json"))
    (me,) = data["person"]
    assert (me["full_name"], me["email"]) == ("Person a1", "a1@example.org")
    assert any(GOAL in row["goals"] for row in data["enrolments"])
    pairing = next(row for row in data["pairings"] if row["other_person"] == "Person lead_a")
    assert pairing["my_role"] == "mentee" and set(pairing) >= {"status", "proposed_at"}
    answer = next(row for row in data["checkins"] if row["private_note"] == OWN_NOTE)
    assert answer["shared_note"] == SHARED and answer["rating"] == 3
    assert data["match_requests"][0]["message"] == MESSAGE
    assert any(row["quiz_answer"] == QUIZ for row in data["acknowledgements"])
    assert any(row["template"] == "introduction" for row in data["notifications"])
    assert data["notification_preferences"][0]["webhook_url"] == "https://hooks.example.org/a1"
    assert [row["type"] for row in data["events"]] == ["employee.hired"]
    for section, rows in data.items():
        table = list(csv.reader(io.StringIO(bundle.read(f"{section}.csv").decode())))
        assert len(table) == len(rows) + (1 if rows else 0), section
    checkins = bundle.read("checkins.csv").decode()
    assert OWN_NOTE in checkins


def test_the_download_holds_nothing_of_anyone_else_but_the_other_persons_name(app: Flask, planted: Any) -> None:
    bundle = download(app, "staff")
    text = "\n".join(bundle.read(name).decode() for name in bundle.namelist())
    assert set(re.findall(r"[\w.]+@example\.org", text)) == {"a1@example.org"}, "no one else's e-mail"
    for other in ("b1", "c1", "o1"):  # neither a1's pair nor their manager
        assert f"Person {other}" not in text
    managers_own = json.loads(download(app, "manager").read("data.json"))
    assert managers_own["person"][0]["full_name"] == "Person boss"
    assert OWN_NOTE not in json.dumps(managers_own)


def test_someone_without_a_login_of_their_own_cannot_download_anything(app: Flask, planted: Any) -> None:
    assert app.test_client().get("/tandem/my-data/download").status_code in (302, 401, 403)
