"""Pages under load: Locust (headless) against gunicorn with 4 workers on PostgreSQL, p50/p95/p99 per page.

    .venv/bin/python bench/web.py [--people 10000] [--users 100] [--seconds 60] [--workers 4]

Needs the `bench` extra (`.venv/bin/pip install -e '.[postgres,bench]'`: Locust and gunicorn).
Starts a private PostgreSQL (``tests/servers.py``), seeds the demo organisation
and scales it to ``--people`` people with a year of history (pairings, monthly
check-ins, notifications, e-mails in the Mail outbox's maildir), rebuilds the
report data, runs ``gunicorn -w 4 'tandem.plugin.app:create_app()'`` on it and
plays ``--users`` concurrent users (``bench/web_users.py``: staff, managers and
HR in a mix) for ``--seconds``. Prints p50/p95/p99 per page and the error count.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import PostgresServer, free_port, wait_for_port  # noqa: E402

from tandem.plugin.app import create_app  # noqa: E402
from tandem.plugin.bootstrap import initialise  # noqa: E402
from tandem.plugin.demo import seed_demo  # noqa: E402
from tandem.plugin.rollups import rebuild  # noqa: E402
from tandem.workflows.channels.email import build_message  # noqa: E402

PASSWORD = "bench-demo-password"
NOW = datetime.now(UTC).replace(microsecond=0)


def scale(session, people: int) -> None:
    """Add people (under the demo's own managers) up to ``people``, with a year of pairings and check-ins."""
    have = session.execute(text("SELECT count(*), max(id) FROM tandem_person")).one()
    extra, first = max(0, people - have[0]), have[1] + 1
    last = first + extra - 1
    mentoring = session.execute(text("SELECT id FROM tandem_programme WHERE kind = 'mentoring' LIMIT 1")).scalar()
    statements = [
        f"""INSERT INTO tandem_person (id, employee_id, full_name, email, department, title, location, country,
            timezone, manager_id, status, seniority, remote, skills, interests, languages, created_at, updated_at)
            SELECT g, 'W' || g, 'Person ' || g, 'person' || g || '@example.org', 'Dept ' || (g % 12), 'Engineer',
                   'Site ' || (g % 5), 'DE', 'Europe/Berlin',
                   CASE WHEN g < {first + 40} THEN (SELECT min(id) FROM tandem_person)
                        ELSE {first} + ((g - {first}) / 8) END,
                   'active', g % 7, g % 3 = 0, '[]', '[]', '[]', now(), now()
            FROM generate_series({first}, {last}) g""",
        f"""INSERT INTO tandem_enrolment (programme_id, person_id, role, capacity, goals, status, enrolled_at)
            SELECT {mentoring}, g, CASE WHEN g % 5 = 0 THEN 'mentor' ELSE 'mentee' END, 2, '[]', 'active',
                   now() - (g % 365) * interval '1 day'
            FROM generate_series({first}, {last}) g WHERE g % 2 = 0""",
        f"""INSERT INTO tandem_pairing (programme_id, mentor_id, mentee_id, status, score, score_breakdown,
            proposed_at, end_reason)
            SELECT {mentoring}, g - (g % 10), g, 'active', 0.5, '{{}}', now() - interval '365 days', ''
            FROM generate_series({first + 10}, {last}) g WHERE g % 10 = 2""",
        """INSERT INTO tandem_checkin (pairing_id, respondent_id, sequence, due_at, status, rating, topics,
            private_note, shared_note, completed_at, prompts)
            SELECT p.id, p.mentee_id, s, now() - (365 - s * 30) * interval '1 day',
                   (ARRAY['completed','completed','missed','completed'])[(p.id + s) % 4 + 1],
                   CASE WHEN (p.id + s) % 4 <> 2 THEN (p.id + s) % 5 + 1 END, '[]', '', '',
                   CASE WHEN (p.id + s) % 4 <> 2 THEN now() - (365 - s * 30) * interval '1 day' END, '[]'
            FROM tandem_pairing p CROSS JOIN generate_series(1, 12) s
            WHERE p.proposed_at < now() - interval '300 days'""",
        f"""INSERT INTO tandem_notification (recipient_id, channel, template, context, idempotency_key, status,
            attempts, error, created_at, sent_at)
            SELECT {first} + (g % {max(extra, 1)}), 'email', 'checkin/reminder', '{{}}', 'web-bench-' || g, 'sent',
                   1, '', now() - (g % 365) * interval '1 day', now() - (g % 365) * interval '1 day'
            FROM generate_series(1, {2 * max(extra, 1)}) g""",
    ]
    if extra:
        for statement in statements:
            session.execute(text(statement))
    session.execute(
        text("SELECT setval(pg_get_serial_sequence('tandem_person', 'id'), (SELECT max(id) FROM tandem_person))")
    )
    rebuild(session)
    session.commit()


def fill_maildir(directory: Path, count: int) -> None:
    """``count`` e-mails in the Mail outbox's maildir, as the local sink would have kept them."""
    target = directory / "new"
    target.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        message = build_message(
            "Tandem <tandem@localhost>",
            f"Person {n}",
            f"person{n}@example.org",
            f"Check-in {n % 12 + 1} is open",
            "Hello\n" * 10,
            "<p>Hello</p>" * 10,
        )
        (target / f"{1700000000 + n}.M{n}.bench").write_bytes(message.as_bytes())


def seed(url: str, directory: Path, people: int, mails: int) -> float:
    """The demo organisation in the database at ``url``, scaled to ``people`` with a year of history and report
    data, and ``mails`` e-mails in the Mail outbox's maildir under ``directory``; returns the seconds it took."""
    started = time.perf_counter()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-seed-key-of-sufficient-length"})
    with app.app_context():
        initialise(app)
        seed_demo(app.appbuilder, PASSWORD)
        scale(app.appbuilder.session, people)
        app.appbuilder.session.remove()
        # What autovacuum does within a minute of a bulk load: without statistics the planner takes a 5,000-row
        # anti-join for one row and HR's home page reads 340 ms of SQL instead of 3 ms.
        with app.appbuilder.session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
            raw.exec_driver_sql("ANALYZE")
    fill_maildir(directory / "mail", mails)
    return time.perf_counter() - started


def ready(url: str, workers: int, timeout: float = 300.0) -> None:
    """Wait until the workers answer (each loads the app after gunicorn binds its port)."""
    deadline, answered = time.monotonic() + timeout, 0
    while answered < 4 * workers:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                answered += response.status == 200
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def percentiles(prefix: Path) -> list[dict[str, str]]:
    """Locust's per-page statistics (its ``_stats.csv``)."""
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    """Seed, scale, serve, load, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--mails", type=int, default=3_000)
    options = parser.parse_args()
    pg = PostgresServer()
    pg.start()
    server = None
    try:
        with tempfile.TemporaryDirectory() as directory:
            url = pg.create_database("tandem_web")
            environment = {
                **os.environ,
                "TANDEM_DATABASE_URL": url,
                "TANDEM_SECRET_KEY": "bench-secret-key-of-sufficient-length",
                "TANDEM_DATA_DIR": directory,
                "TANDEM_DEMO_PASSWORD": PASSWORD,
                # 100 simulated people share four logins: the sign-in throttle would (rightly) stop them.
                "TANDEM_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
                "TANDEM_LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
            }
            seconds = seed(url, Path(directory), options.people, options.mails)
            print(
                f"{options.people:,} people, a year of history, {options.mails:,} e-mails in the outbox "
                f"(seeded in {seconds:.0f} s)"
            )
            port = free_port()
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(options.workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "tandem.plugin.app:create_app()",
            ]
            server = subprocess.Popen(command, env=environment)
            wait_for_port(port, 60, server)
            ready(f"http://127.0.0.1:{port}/login/", options.workers)
            prefix = Path(directory) / "locust"
            load = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "web_users.py"),
                "--headless",
                "-u",
                str(options.users),
                "-r",
                str(max(1, options.users // 10)),
                "-t",
                f"{options.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ]
            load_before = os.getloadavg()[0]
            subprocess.run(load, env=environment, check=False, stdout=subprocess.DEVNULL)
            server.terminate()  # before its data directory goes: requests still in flight would find no maildir
            server.wait()
            server = None
            print(
                f"{options.users} users for {options.seconds} s, gunicorn -w {options.workers} on PostgreSQL;"
                f" load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f}"
            )
            print(f"  {'page':28s} {'requests':>8s} {'errors':>6s} {'p50':>7s} {'p95':>7s} {'p99':>7s}  (ms)")
            for row in percentiles(prefix):
                name = row["Name"] if row["Name"] != "Aggregated" else "all pages"
                print(
                    f"  {name:28s} {row['Request Count']:>8s} {row['Failure Count']:>6s} {row['50%']:>7s}"
                    f" {row['95%']:>7s} {row['99%']:>7s}"
                )
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        pg.stop()
        pg.remove()


if __name__ == "__main__":
    main()
