"""Each page's own cost, without load: SQL statements, p50/p95 and HTML size per page of `bench/web.py`'s mix.

    .venv/bin/python bench/pages.py [--people 10000] [--requests 20] [--mails 3000] [--sql PAGE]

Starts a private PostgreSQL (``tests/servers.py``), seeds the demo organisation
scaled like ``bench/web.py`` (its own ``seed``), then, in this process, signs in
as staff, manager and HR through the login form with Flask's test client and
requests every page those users play ``--requests`` times (after one warm-up
request). Prints per page the SQL statements one request runs, p50/p95 in ms
and the HTML size, and p50 as a multiple of the sign-in form's p50 measured in
the same run (the baseline: a page that reads no data).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from servers import PostgresServer  # noqa: E402
from web import PASSWORD, seed  # noqa: E402

from tandem.plugin.app import create_app  # noqa: E402
from tandem.plugin.models import Programme  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
TEAM = re.compile(r"[?&]team=(\d+)")
RUN = re.compile(r"/mentoring/matching/run/(\d+)")
CHECKIN = re.compile(r"/tandem/check-ins/(\d+)")


@contextmanager
def counted() -> Iterator[list[tuple[str, float]]]:
    """The SQL statements run inside the block (by any engine of this process), each with its ms."""
    statements: list[tuple[str, float]] = []
    started: list[float] = []

    def before(*_args: object) -> None:
        started.append(time.perf_counter())

    def after(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append((statement, (time.perf_counter() - started.pop()) * 1000))

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A test client signed in as ``username`` through the login form."""
    client = app.test_client()
    token = TOKEN.search(client.get("/login/").get_data(as_text=True))
    data = {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    client.post("/login/", data=data)
    return client


def measure(request: Callable[[], object], times: int, show: bool) -> tuple[int, list[float], int, int]:
    """Statements of one request (printed when ``show``), the wall time of each of ``times`` requests (ms),
    HTML bytes, and status."""
    with counted() as statements:
        response = request()
    for statement, ms in statements if show else []:
        print(f"    {ms:7.1f} ms  " + " ".join(statement.split())[:240])
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    return len(statements), timings, len(response.get_data()), response.status_code  # type: ignore[attr-defined]


def answering(client: FlaskClient) -> Callable[[], object]:
    """Open one of my check-ins and post an answer to it (notes added once it is answered), as staff would."""
    found = CHECKIN.findall(client.get("/tandem/check-ins/").get_data(as_text=True))
    pk = found[0] if found else "0"

    def answer() -> object:
        form = client.get(f"/tandem/check-ins/{pk}").get_data(as_text=True)
        token = TOKEN.search(form)
        data = {"csrf_token": token.group(1) if token else "", "rating": "4", "shared_note": "Good."}
        if 'name="mode" value="details"' in form:  # answered already: add to the notes
            data["mode"] = "details"
        return client.post(f"/tandem/check-ins/{pk}/answer", data=data)

    return answer


def pages(app: Flask) -> list[tuple[str, FlaskClient | None, str | Callable[[], object]]]:
    """(name, client, path or request) for every page of the mix, the sign-in form first."""
    staff, manager, hr = (signed_in(app, name) for name in ("staff", "manager", "hr"))
    anonymous = app.test_client()
    teams = TEAM.findall(manager.get("/mentoring/reports/").get_data(as_text=True)) or ["0"]
    runs = RUN.findall(hr.get("/mentoring/matching/").get_data(as_text=True))
    with app.app_context():
        programme = app.appbuilder.session.scalar(select(Programme.id).where(Programme.kind == "mentoring"))
    return [
        ("sign-in form (baseline)", anonymous, "/login/"),
        ("staff: My mentoring", staff, "/tandem/mentoring/"),
        ("staff: check-ins", staff, "/tandem/check-ins/"),
        ("staff: answering (GET+POST)", None, answering(staff)),
        ("staff: inbox", staff, "/tandem/inbox/"),
        ("staff: timeline", staff, "/tandem/timeline/"),
        ("manager: report", manager, "/mentoring/reports/"),
        ("manager: drill-down", manager, f"/mentoring/reports/?team={teams[0]}"),
        ("HR: home", hr, "/"),
        ("HR: programme dashboard", hr, "/mentoring/reports/"),
        ("HR: matching", hr, "/mentoring/matching/"),
        *([("HR: matching review", hr, f"/mentoring/matching/run/{runs[0]}")] if runs else []),
        ("HR: Mail outbox", hr, "/tandem/mail-outbox/"),
        ("HR: people search", hr, "/mentoring/people/list/?_flt_2_full_name=Person 42"),
        ("HR: programme show", hr, f"/mentoring/programmes/show/{programme}"),
        ("HR: programme edit", hr, f"/mentoring/programmes/edit/{programme}"),
    ]


def main() -> None:
    """Seed, sign in, time every page, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--mails", type=int, default=3_000)
    parser.add_argument("--sql", default="", help="print the statements of the pages whose name contains this")
    options = parser.parse_args()
    pg = PostgresServer()
    pg.start()
    try:
        with tempfile.TemporaryDirectory() as directory:
            url = pg.create_database("tandem_pages")
            seconds = seed(url, Path(directory), options.people, options.mails)
            os.environ["TANDEM_DATA_DIR"] = directory
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": url,
                    "SECRET_KEY": "bench-secret-key-of-sufficient-length",
                    "TANDEM_MAIL_SINK_DIR": str(Path(directory) / "mail"),
                }
            )
            print(
                f"{options.people:,} people, a year of history, {options.mails:,} e-mails (seeded in {seconds:.0f} s);"
                f" {options.requests} requests a page, Flask's test client, one process; load average"
                f" {os.getloadavg()[0]:.1f} before"
            )
            print(f"  {'page':30s} {'status':>6s} {'SQL':>4s} {'p50':>7s} {'p95':>7s} {'× base':>7s} {'HTML':>8s}")
            baseline = None
            for name, client, target in pages(app):
                request = target if callable(target) else (lambda c=client, t=target: c.get(t, follow_redirects=True))  # type: ignore[misc]
                show = bool(options.sql) and options.sql in name
                statements, timings, size, status = measure(request, options.requests, show)
                p50 = statistics.median(timings)
                p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
                baseline = baseline or p50
                print(
                    f"  {name:30s} {status:>6d} {statements:>4d} {p50:>7.1f} {p95:>7.1f} {p50 / baseline:>6.1f}×"
                    f" {size / 1024:>6.0f} KiB"
                )
            print(f"load average after {os.getloadavg()[0]:.1f}")
            with app.app_context():
                app.appbuilder.session.remove()
                app.appbuilder.session.get_bind().dispose()
    finally:
        pg.stop()
        pg.remove()


if __name__ == "__main__":
    main()
