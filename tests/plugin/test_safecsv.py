"""Every CSV export neutralises a cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from flask import Flask
from organisation import login
from report_data import PASSWORD, build

from tandem.plugin.models import Person, Programme
from tandem.plugin.safecsv import csv_text, neutralised

PLANTED = '=HYPERLINK("http://evil.example/","prog")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_starting_a_formula_gets_a_leading_apostrophe(start: str) -> None:
    assert neutralised(f"{start}1+1") == f"'{start}1+1"


def test_numbers_and_plain_text_are_written_as_they_are() -> None:
    assert neutralised(-3) == -3 and neutralised(0.5) == 0.5 and neutralised("Mentoring") == "Mentoring"
    assert list(csv.reader(io.StringIO(csv_text([["@x", -1, "a-b"]])))) == [["'@x", "-1", "a-b"]]


@pytest.fixture
def planted(app: Flask) -> Any:
    """The report data set, with a formula planted in a programme name."""
    seeded = build(app)
    with app.app_context():
        session = app.appbuilder.session
        session.get(Programme, seeded.programmes["mentoring"]).name = PLANTED
        session.get(Programme, seeded.programmes["campaign"]).name = "@" + PLANTED  # a campaign: in both reports
        session.get(Person, seeded.people["a1"]).title = "@" + PLANTED  # in the "staff" login's own data
        session.commit()
    return seeded


# Every CSV export of the product, and who may download it.
EXPORTS = [("hr", "/mentoring/reports/programmes.csv"), ("manager", "/mentoring/reports/manager.csv")]


@pytest.mark.parametrize(("login_name", "url"), EXPORTS)
def test_every_export_writes_the_planted_formula_as_text(app: Flask, planted: Any, login_name: str, url: str) -> None:
    client = app.test_client()
    login(client, login_name, PASSWORD)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    cells = [cell for row in csv.reader(io.StringIO(answer.get_data(as_text=True))) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'@" + PLANTED in cells


def test_download_my_data_writes_the_planted_formula_as_text_in_its_csv_files(app: Flask, planted: Any) -> None:
    client = app.test_client()
    login(client, "staff", PASSWORD)
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/tandem/my-data/download").data))
    cells = [
        cell
        for name in bundle.namelist()
        if name.endswith(".csv")
        for row in csv.reader(io.StringIO(bundle.read(name).decode()))
        for cell in row
    ]
    assert "'@" + PLANTED in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
