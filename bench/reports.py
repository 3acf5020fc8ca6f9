"""Report latency on PostgreSQL: 100,000 people and 1,000,000 check-ins, each report's p50/p95 over 20 runs.

One command: ``.venv/bin/python bench/reports.py`` (add ``--people``/``--checkins`` to scale).
It starts a private PostgreSQL server (tests/services.py), creates the schema
with ``tandem init``'s code, bulk-generates the data with ``INSERT … SELECT
generate_series``, then times the SQL reports (tandem.plugin.reports) and, in
the same run, a naive ORM implementation of the manager report that loads the
subtree's rows and counts in Python. Target: every report at most 200 ms p95.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import PostgresServer  # noqa: E402

from tandem.plugin.app import create_app  # noqa: E402
from tandem.plugin.bootstrap import initialise  # noqa: E402
from tandem.plugin.models import CheckIn, Enrolment, Person  # noqa: E402
from tandem.plugin.reports import hr_dashboard, manager_report  # noqa: E402
from tandem.plugin.reports.hr import Filters  # noqa: E402
from tandem.plugin.rollups import rebuild  # noqa: E402
from tandem.plugin.rollups.tracking import BUSY  # noqa: E402

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
FAN_OUT = 8


def generate(session: Any, people: int, checkins: int) -> None:
    """Bulk-generate an organisation (fan-out 8), programmes, enrolments, pairings, check-ins and more."""
    pairs = max(1, people // 2)
    per_pair = max(1, checkins // pairs)
    mentors = max(1, people // 10)
    statements = [
        f"""INSERT INTO tandem_person (id, employee_id, full_name, email, department, title, location, country,
            timezone, manager_id, status, seniority, remote, skills, interests, languages, created_at, updated_at)
            SELECT g, 'E' || g, 'Person ' || g, 'p' || g || '@example.org', 'Dept ' || (g % 20), '',
                   'Site ' || (g % 5), 'DE', 'Europe/Berlin',
                   CASE WHEN g = 1 THEN NULL ELSE (g - 2) / {FAN_OUT} + 1 END,
                   CASE WHEN g % 97 = 0 THEN 'left' ELSE 'active' END, g % 10, g % 3 = 0, '[]', '[]', '[]', now(), now()
            FROM generate_series(1, {people}) g""",
        """INSERT INTO tandem_programme (id, name, slug, kind, status, description, enrolment_rules,
            matching_settings, created_at) VALUES
            (1, 'Mentoring', 'mentoring', 'mentoring', 'active', '', '{}', '{}', now()),
            (2, 'Peer circle', 'circle', 'peer_circle', 'active', '', '{}', '{}', now()),
            (3, 'Career advice', 'advice', 'campaign', 'active', '', '{}', '{}', now())""",
        f"""INSERT INTO tandem_enrolment (programme_id, person_id, role, capacity, goals, status, enrolled_at)
            SELECT 1, g, 'mentor', 3, '[]', 'active', now() - (g % 300) * interval '1 day'
            FROM generate_series(1, {mentors}) g""",
        f"""INSERT INTO tandem_enrolment (programme_id, person_id, role, capacity, goals, status, enrolled_at)
            SELECT 1, g, 'mentee', 1, '[]', CASE WHEN g % 5 = 0 THEN 'completed' ELSE 'active' END,
                   now() - (g % 300) * interval '1 day'
            FROM generate_series({mentors + 1}, {people}) g WHERE g % 4 <> 0""",
        f"""INSERT INTO tandem_enrolment (programme_id, person_id, role, capacity, goals, status, enrolled_at)
            SELECT 3, g, 'participant', 1, '[]', 'active', now() - (g % 200) * interval '1 day'
            FROM generate_series(1, {people}) g WHERE g % 3 <> 0""",
        f"""INSERT INTO tandem_pairing (programme_id, mentor_id, mentee_id, status, score, score_breakdown,
            proposed_at, end_reason)
            SELECT 1, (g % {mentors}) + 1, g, (ARRAY['proposed','accepted','active','active','closed'])[g % 5 + 1],
                   0.5, '{{}}', now() - (g % 200) * interval '1 day', ''
            FROM generate_series({mentors + 1}, {people}) g WHERE g % 4 <> 0 LIMIT {pairs}""",
        f"""INSERT INTO tandem_checkin (pairing_id, respondent_id, sequence, due_at, status, rating, topics,
            private_note, shared_note, completed_at, prompts)
            SELECT p.id, p.mentee_id, s,
                   timestamptz '{NOW.isoformat()}' - ((p.id * 7 + s * 13) % 330) * interval '1 day',
                   (ARRAY['completed','completed','completed','missed','open','cancelled'])[(p.id + s) % 6 + 1],
                   CASE WHEN (p.id + s) % 6 < 3 THEN (p.id + s) % 5 + 1 END, '[]', 'private', '',
                   CASE WHEN (p.id + s) % 6 < 3
                        THEN timestamptz '{NOW.isoformat()}' - ((p.id * 7 + s * 13) % 330) * interval '1 day' END,
                   '[]'
            FROM tandem_pairing p CROSS JOIN generate_series(1, {per_pair}) s""",
        """INSERT INTO tandem_campaign_item (id, programme_id, position, slug, title, body, reflection_question,
            checkin_prompt, quiz)
            VALUES (1, 3, 1, 'one', 'One', '', '', '', '{}'), (2, 3, 2, 'two', 'Two', '', '', '', '{}')""",
        f"""INSERT INTO tandem_acknowledgement (item_id, person_id, acknowledged_at, quiz_answer)
            SELECT 1 + g % 2, g, now(), '' FROM generate_series(1, {people}) g WHERE g % 3 = 1""",
        f"""INSERT INTO tandem_notification (recipient_id, channel, template, context, idempotency_key, status,
            attempts, error, created_at)
            SELECT (g % {people}) + 1, 'email', 'checkin/prompt', '{{}}', 'bench-' || g,
                   (ARRAY['queued','sent','sent','sent','failed','digested','suppressed'])[g % 7 + 1], 1, '',
                   now() - (g % 200) * interval '1 day'
            FROM generate_series(1, {people * 2}) g""",
    ]
    for statement in statements:
        session.execute(text(statement))
    for table in ("tandem_person", "tandem_programme", "tandem_campaign_item"):
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    session.commit()
    analyse(session)


def analyse(session: Any) -> None:
    """What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need."""
    with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def naive_manager_report(session: Any, root_id: int) -> dict[str, Any]:
    """The same team numbers the ORM way: walk the tree in Python, load rows, count in Python."""
    everyone = session.scalars(select(Person)).all()
    below: dict[int | None, list[Person]] = {}
    for person in everyone:
        below.setdefault(person.manager_id, []).append(person)
    subtree, frontier = [], [root_id]
    while frontier:
        boss = frontier.pop()
        for person in below.get(boss, []):
            if person.status != "left":
                subtree.append(person)
                frontier.append(person.id)
    ids = {person.id for person in subtree}
    enrolled = {e.person_id for e in session.scalars(select(Enrolment)) if e.person_id in ids}
    checkins = [c for c in session.scalars(select(CheckIn)) if c.respondent_id in ids]
    active = {c.respondent_id for c in checkins if c.status == "completed"}
    teams: Counter[int] = Counter(person.manager_id for person in subtree)
    months = Counter(c.due_at.strftime("%Y-%m") for c in checkins if c.status != "cancelled")
    return {"teams": teams, "enrolled": len(enrolled), "active": len(active), "months": months}


def statement_kind(sql: str) -> str:
    """A short name for a statement: its verb and the tables it writes or reads first (for the profile)."""
    words = " ".join(sql.split())
    verb = words.split(" ", 1)[0].upper()
    writes = re.findall(r"(?:INSERT INTO|(?<!DO )(?<!KEY )UPDATE|DELETE FROM) (\w+)", words)
    if verb == "WITH" and writes:
        return "WITH … " + " + ".join(dict.fromkeys(table.removeprefix("tandem_") for table in writes))
    tables = writes or re.findall(r"FROM (\w+)", words)[:2]
    locked = " FOR NO KEY UPDATE" if "FOR NO KEY UPDATE" in words else ""
    return f"{verb} {' '.join(dict.fromkeys(table.removeprefix('tandem_') for table in tables))}{locked}"


class StatementProfile:
    """Wall time per statement kind, from SQLAlchemy's cursor events (driver round trip included)."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.times, self.started = engine, defaultdict(list), 0.0
        self.on = False
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_: Any) -> None:
        self.started = time.perf_counter()

    def _after(self, _connection: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if self.on:
            self.times[statement_kind(sql)].append((time.perf_counter() - self.started) * 1000)

    def report(self, runs: int) -> None:
        """Print each kind's median and how many times an answer ran it."""
        for kind, times in sorted(self.times.items(), key=lambda item: -sum(item[1])):
            print(f"      {statistics.median(times):6.2f} ms median  ×{len(times) / runs:4.2f} an answer   {kind}")
        total = sum(sum(times) for times in self.times.values()) / runs
        print(f"      {total:6.2f} ms of SQL an answer in all")
        self.times.clear()


def answer_cost(session: Any, runs: int, profile: bool = False) -> None:
    """What keeping the rollups costs a transaction that answers one check-in, against the same without them;
    with ``profile``, each statement's time as well (SQLAlchemy's cursor events)."""
    ids = session.scalars(
        select(CheckIn.id).where(CheckIn.status == "open").order_by(CheckIn.id).limit(2 * (runs + 1))
    ).all()
    timings = {}
    profiler = StatementProfile(session.get_bind()) if profile else None
    for label, skip, batch in (("without rollups", True, ids[::2]), ("with rollups", False, ids[1::2])):
        batch = iter(batch)

        def answer(skip: bool = skip, batch: Any = batch) -> None:
            checkin = session.get(CheckIn, next(batch))
            checkin.status, checkin.rating, checkin.completed_at = "completed", 4, NOW
            session.info[BUSY] = skip  # the tracking's own "already refreshing" switch: no refresh at commit
            session.commit()
            session.info[BUSY] = False

        timings[label] = measure(answer, runs, profiler)
        if profiler:
            print(f"    statements {label} (per answer, {runs} answers):")
            profiler.report(runs)
    (base50, _), (with50, with95) = timings.values()
    print(
        f"  {'answering a check-in, one transaction':45s} p50 {with50:8.1f} ms   p95 {with95:8.1f} ms"
        f"   ({with50 / base50:.1f}× the {base50:.1f} ms without rollups)"
    )
    # The baseline's answers were never counted, so the kept sums are now off by them: nothing reads the sums after
    # this (the naive report counts the raw tables), so no rebuild (two minutes at the default size) follows.


def measure(call: Callable[[], Any], runs: int, profiler: Any = None) -> tuple[float, float]:
    """p50 and p95 of ``runs`` calls, in milliseconds (one warm-up call first, never profiled)."""
    call()
    if profiler:
        profiler.on = True
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    if profiler:
        profiler.on = False
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def main() -> None:
    """Generate the data, time every report, print p50/p95 and the ratio to the naive ORM report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--answers-only", action="store_true", help="only the cost of answering a check-in")
    parser.add_argument("--profile", action="store_true", help="time each statement of an answer too")
    args = parser.parse_args()
    pg = PostgresServer()
    pg.start()
    try:
        url = pg.create_database("tandem_reports")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-long-enough"})
        with app.app_context():
            initialise(app)
            session = app.appbuilder.session
            started = time.perf_counter()
            generate(session, args.people, args.checkins)
            counted = session.execute(text("SELECT count(*) FROM tandem_checkin")).scalar()
            generated = time.perf_counter() - started
            started = time.perf_counter()
            rebuild(session)  # the data came in as raw SQL, which the rollups never see: build them once
            session.commit()
            analyse(session)
            print(
                f"report benchmark on PostgreSQL: {args.people:,} people, {counted:,} check-ins "
                f"(generated in {generated:.0f} s, rollups rebuilt in {time.perf_counter() - started:.1f} s), "
                f"{args.runs} runs each"
            )
            middle = 2  # a second-level manager: about an eighth of the organisation below them
            size = session.execute(
                text(
                    "WITH RECURSIVE s(id) AS (SELECT CAST(:r AS integer) UNION SELECT p.id FROM tandem_person p JOIN s"
                    " ON p.manager_id = s.id) SELECT count(*) FROM s"
                ),
                {"r": middle},
            ).scalar()
            reports = {
                f"manager report, subtree of {size:,}": lambda: manager_report(session, middle, NOW, 5),
                f"manager report, whole company ({args.people:,})": lambda: manager_report(session, 1, NOW, 5),
                "manager report, drill-down from the top": lambda: manager_report(session, 1, NOW, 5, team_id=middle),
                "HR dashboard, all programmes": lambda: hr_dashboard(session, 5),
                "HR dashboard, one department and dates": lambda: hr_dashboard(
                    session, 5, Filters(department="Dept 3", since=datetime(2026, 3, 1, tzinfo=UTC))
                ),
            }
            if args.answers_only:
                answer_cost(session, args.runs, args.profile)
                return
            results = {}
            for name, call in reports.items():
                p50, p95 = measure(call, args.runs)
                results[name] = (p50, p95)
                verdict = "ok" if p95 <= 200 else "over 200 ms"
                print(f"  {name:45s} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   {verdict}")
            answer_cost(session, args.runs, args.profile)
            naive50, naive95 = measure(lambda: naive_manager_report(session, middle), args.naive_runs)
            sql50, _ = results[next(iter(reports))]
            print(
                f"  {'naive ORM manager report, same subtree':45s} p50 {naive50:8.1f} ms   p95 {naive95:8.1f} ms"
                f"   ({naive50 / sql50:.0f}× the SQL report; {args.naive_runs} runs)"
            )
            session.remove()
    finally:
        pg.stop()
        pg.remove()


if __name__ == "__main__":
    main()
