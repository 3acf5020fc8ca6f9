"""Directory import speed on SQLite: ``import_people`` against a naive ORM import, in one run.

    .venv/bin/python bench/import_people.py [--rows 100000] [--keep DIR]

1. Generates a realistic directory CSV of ``--rows`` people (seeded, so every
   run writes the same file): a manager tree about eight reports wide and
   several levels deep, file sorted by (randomly assigned) employee id so many
   managers come after their reports, valid IANA time zones, ISO hire dates,
   mostly active people, ``;``-separated skills, interests and languages.
2. Baseline: a naive import of the first 5,000 rows of that file into its own
   fresh SQLite database -- one ``Person`` added through the ORM per row, its
   manager looked up with a query, one flush per row, and a second per-row pass
   for managers that only appear later in the file; then a commit. No validation.
3. ``import_people`` of the whole file into a fresh SQLite database (a file in
   the working directory), commit included: the first run creates everyone,
   the second imports the same file again (nothing changes: the upsert's
   no-change path), the third a copy with 1% of rows changed (new titles, and
   some people moved to another manager). Each prints wall time, rows/s and the
   ratio to the baseline's rows/s.
4. Peak RSS of the process, and whether the first whole-file import met the
   target of under 60 s (the exit status is 1 if not).

The CSV and databases go to a temporary directory that is removed at the end,
or to ``--keep DIR``, which is kept.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import available_timezones

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.plugin.app import create_app
from tandem.plugin.bootstrap import initialise
from tandem.plugin.directory import ImportResult, import_people
from tandem.plugin.directory.columns import COLUMNS
from tandem.plugin.models import Person

TARGET_SECONDS = 60.0
BASELINE_ROWS = 5_000
SEED = 20_26

# (location, country, IANA time zone)
SITES = [
    ("Berlin", "DE", "Europe/Berlin"),
    ("Munich", "DE", "Europe/Berlin"),
    ("London", "GB", "Europe/London"),
    ("Dublin", "IE", "Europe/Dublin"),
    ("Paris", "FR", "Europe/Paris"),
    ("Amsterdam", "NL", "Europe/Amsterdam"),
    ("Lisbon", "PT", "Europe/Lisbon"),
    ("Warsaw", "PL", "Europe/Warsaw"),
    ("New York", "US", "America/New_York"),
    ("Austin", "US", "America/Chicago"),
    ("San Francisco", "US", "America/Los_Angeles"),
    ("Toronto", "CA", "America/Toronto"),
    ("São Paulo", "BR", "America/Sao_Paulo"),
    ("Bengaluru", "IN", "Asia/Kolkata"),
    ("Singapore", "SG", "Asia/Singapore"),
    ("Tokyo", "JP", "Asia/Tokyo"),
    ("Sydney", "AU", "Australia/Sydney"),
    ("Auckland", "NZ", "Pacific/Auckland"),
]
DEPARTMENTS = {
    "Engineering": ["Software Engineer", "Site Reliability Engineer", "QA Engineer", "Data Engineer"],
    "Product": ["Product Manager", "Product Analyst"],
    "Design": ["Product Designer", "UX Researcher"],
    "Sales": ["Account Executive", "Sales Engineer", "Sales Development Representative"],
    "Customer Success": ["Customer Success Manager", "Support Specialist"],
    "Marketing": ["Marketing Manager", "Content Strategist"],
    "Finance": ["Financial Analyst", "Accountant"],
    "People": ["People Partner", "Recruiter"],
    "Legal": ["Counsel", "Paralegal"],
}
LEVELS = ["", "Senior ", "Staff ", "Principal "]
FIRST = [
    "Anna", "Ben", "Chloé", "Daniel", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jakub", "Kavya", "Liam", "Mei", "Nora",
    "Omar", "Priya", "Quinn", "Rafael", "Sofia", "Tomás", "Uma", "Viktor", "Wei", "Xavier", "Yara", "Zoë", "Amara",
    "Björn", "Carmen", "Dmitri", "Emma", "Felix", "Giulia", "Hannah", "Ivan", "Jun", "Kai", "Lena", "Mateo", "Noah",
]  # fmt: skip
LAST = [
    "Müller", "Smith", "Garcia", "Nguyen", "Kowalski", "Rossi", "Tanaka", "Okafor", "Silva", "Johansson", "O'Brien",
    "Dubois", "Patel", "Kim", "Novak", "Yilmaz", "Hernández", "Schmidt", "Brown", "Costa", "Ivanova", "Andersen",
    "Chen", "Murphy", "Fischer", "Santos", "Lee", "Wagner", "Moreau", "Khan",
]  # fmt: skip
SKILLS = [
    "Python", "SQL", "Kubernetes", "Go", "Rust", "TypeScript", "React", "Figma", "Negotiation", "Forecasting", "Excel",
    "Terraform", "Public speaking", "Roadmapping", "Hiring", "Coaching", "Security", "Data modelling",
    "Machine learning", "Copywriting", "Budgeting", "Research",
]  # fmt: skip
INTERESTS = [
    "chess", "running", "climbing", "cooking", "board games", "photography", "cycling", "music", "gardening", "reading",
    "yoga",
]  # fmt: skip
LANGUAGES = ["German", "French", "Spanish", "Portuguese", "Japanese", "Hindi", "Mandarin", "Polish", "Dutch"]


@dataclass
class Directory:
    """The generated rows (header excluded) and the tree behind them."""

    rows: list[list[str]]
    parent: list[int | None]  # generation index -> its manager's generation index
    children: list[list[int]]
    depth: list[int]
    line: list[int]  # generation index -> position in ``rows``


def _tree(count: int, rng: random.Random) -> tuple[list[int | None], list[int]]:
    """Managers for ``count`` people, breadth first: 5-11 reports each, some people below the top have none."""
    parent: list[int | None] = [None]
    depth = [0]
    queue = deque([0])
    while len(parent) < count:
        boss = queue.popleft()
        if depth[boss] >= 2 and len(queue) > 16 and rng.random() < 0.3:
            continue  # an individual contributor
        for _ in range(rng.randint(5, 11)):
            if len(parent) == count:
                break
            parent.append(boss)
            depth.append(depth[boss] + 1)
            queue.append(len(parent) - 1)
    return parent, depth


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("'", "").lower()


def generate(count: int, seed: int = SEED) -> Directory:
    """A directory of ``count`` people, sorted by employee id (so many managers follow their reports)."""
    rng = random.Random(seed)
    zones = available_timezones()
    assert all(zone in zones for _, _, zone in SITES), "every site needs a valid IANA zone"
    parent, depth = _tree(count, rng)
    children: list[list[int]] = [[] for _ in range(count)]
    for person, boss in enumerate(parent):
        if boss is not None:
            children[boss].append(person)
    employee_ids = [f"E{number:07d}" for number in rng.sample(range(1_000_000, 10_000_000), count)]
    department: list[str] = []
    site: list[tuple[str, str, str]] = []
    emails: dict[str, int] = {}  # first.last -> people with it so far
    today = date(2026, 6, 30)
    records: list[list[str]] = []
    for person in range(count):
        boss = parent[person]
        if boss is None:
            department.append("Executive")
        elif depth[person] == 1:
            department.append(rng.choice(list(DEPARTMENTS)))
        else:
            department.append(department[boss])
        site.append(site[boss] if boss is not None and rng.random() < 0.7 else rng.choice(SITES))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        handle = f"{_ascii(first)}.{_ascii(last)}"
        emails[handle] = emails.get(handle, 0) + 1
        email = f"{handle}{emails[handle] if emails[handle] > 1 else ''}@example.com"
        manages = bool(children[person])
        if boss is None:
            title = "Chief Executive Officer"
        elif depth[person] == 1:
            title = f"VP {department[person]}"
        elif manages:
            title = rng.choice(["Director", "Manager", "Team Lead"]) + f", {department[person]}"
        else:
            title = rng.choice(LEVELS) + rng.choice(DEPARTMENTS[department[person]])
        seniority = max(0, min(10, 10 - depth[person] + rng.randint(-1, 1) - (0 if manages else 2)))
        hired = today - timedelta(days=rng.randint(30, 20 * 365))
        status = rng.choices(["active", "on_leave", "left"], weights=[94, 4, 2])[0]
        languages = ["English", *rng.sample(LANGUAGES, k=rng.choice([0, 0, 1, 1, 2]))]
        location, country, zone = site[person]
        records.append(
            [
                employee_ids[person],
                f"{first} {last}",
                email,
                department[person],
                title,
                location,
                country,
                zone,
                employee_ids[boss] if boss is not None else "",
                hired.isoformat(),
                status,
                str(seniority),
                "yes" if rng.random() < 0.3 else "no",
                ";".join(rng.sample(SKILLS, k=rng.randint(1, 5))),
                ";".join(rng.sample(INTERESTS, k=rng.randint(0, 3))),
                ";".join(languages),
            ]
        )
    order = sorted(range(count), key=employee_ids.__getitem__)
    line = [0] * count
    for position, person in enumerate(order):
        line[person] = position
    return Directory([records[person] for person in order], parent, children, depth, line)


def modified(directory: Directory, share: float = 0.01, seed: int = SEED + 1) -> tuple[list[list[str]], int]:
    """A copy of the rows with ``share`` of people changed: most get a new title, some a new manager.

    A new manager is a peer of the old one (same depth, same grand-manager), so
    it can never be the person or one of their reports. Returns the rows and
    how many people were changed.
    """
    rng = random.Random(seed)
    rows = [list(row) for row in directory.rows]
    count = max(1, int(len(rows) * share))
    changed = 0
    for person in rng.sample(range(len(rows)), count):
        row = rows[directory.line[person]]
        boss = directory.parent[person]
        grand = directory.parent[boss] if boss is not None else None
        peers = [p for p in directory.children[grand] if p != boss] if grand is not None else []
        if peers and rng.random() < 0.3:
            row[8] = directory.rows[directory.line[rng.choice(peers)]][0]
        else:
            row[4] = "Acting " + row[4] if not row[4].startswith("Acting ") else row[4][7:]
        changed += 1
    return rows, changed


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """``rows`` under the header, as a UTF-8 CSV file."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def fresh_app(database: Path) -> Flask:
    """An initialised Tandem app on a new SQLite file."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "bench-secret-key-of-sufficient-length",
            "TESTING": True,
        }
    )
    with app.app_context():
        initialise(app)
    return app


def close(app: Flask) -> None:
    """Release the app's session and connections."""
    with app.app_context():
        app.appbuilder.session.remove()
        app.extensions["sqlalchemy"].engine.dispose()


def _split(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


def naive_import(session: Session, path: Path, limit: int) -> int:
    """The first ``limit`` rows of ``path``, one ORM object, manager query and flush at a time; rows added."""
    with path.open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        rows = [row for _, row in zip(range(limit), reader, strict=False)]
    pending: list[tuple[Person, str]] = []
    for row in rows:
        boss = row["manager_id"]
        manager = session.scalars(select(Person).where(Person.employee_id == boss)).first() if boss else None
        person = Person(
            employee_id=row["employee_id"],
            full_name=row["name"],
            email=row["email"].lower(),
            department=row["department"],
            title=row["title"],
            location=row["location"],
            country=row["country"].upper(),
            timezone=row["timezone"],
            manager=manager,
            hire_date=date.fromisoformat(row["hire_date"]) if row["hire_date"] else None,
            status=row["status"] or "active",
            seniority=int(row["seniority"] or 0),
            remote=row["remote"] == "yes",
            skills=_split(row["skills"]),
            interests=_split(row["interests"]),
            languages=_split(row["languages"]),
        )
        session.add(person)
        session.flush()
        if boss and manager is None:
            pending.append((person, boss))
    for person, boss in pending:  # managers listed after their reports
        manager = session.scalars(select(Person).where(Person.employee_id == boss)).first()
        if manager is not None:
            person.manager = manager
            session.flush()
    session.commit()
    return len(rows)


def timed(app: Flask, work: Callable[[Session], object]) -> tuple[float, object]:
    """Wall seconds for ``work`` on the app's session, and what it returned."""
    with app.app_context():
        session = app.appbuilder.session
        started = time.perf_counter()
        outcome = work(session)
        seconds = time.perf_counter() - started
        session.remove()
    return seconds, outcome


def real_import(path: Path) -> Callable[[Session], ImportResult]:
    """``import_people`` of the file at ``path``, then commit."""

    def work(session: Session) -> ImportResult:
        with path.open(newline="", encoding="utf-8") as stream:
            result = import_people(session, stream, source="bench")
        session.commit()
        return result

    return work


def summary(result: ImportResult) -> str:
    """Created, updated, unchanged and the events written."""
    events = sum(result.events.values())
    return f"{result.created} new, {result.updated} upd, {result.unchanged} same, {events} events"


def main() -> None:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="people in the generated file (default 100,000)")
    parser.add_argument("--keep", type=Path, help="write the CSV files and databases here and keep them")
    args = parser.parse_args()
    temporary = None
    if args.keep:
        work_dir: Path = args.keep
        work_dir.mkdir(parents=True, exist_ok=True)
        for stale in ("naive.db", "import.db"):
            (work_dir / stale).unlink(missing_ok=True)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="tandem-import-bench-")
        work_dir = Path(temporary.name)

    started = time.perf_counter()
    directory = generate(args.rows)
    people_csv = write_csv(work_dir / "people.csv", directory.rows)
    changed_rows, changed_count = modified(directory)
    changed_csv = write_csv(work_dir / "people-1pct.csv", changed_rows)
    managers_later = sum(
        1
        for person, boss in enumerate(directory.parent)
        if boss is not None and directory.line[boss] > directory.line[person]
    )
    print(
        f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s: {len(set(directory.parent)) - 1:,} "
        f"managers, {max(directory.depth) + 1} levels, {managers_later:,} rows before their manager's row"
    )
    print(f"files in {work_dir}{'' if args.keep else ' (removed at exit)'}")
    print()

    baseline_rows = min(BASELINE_ROWS, args.rows)
    app = fresh_app(work_dir / "naive.db")
    seconds, _ = timed(app, lambda session: naive_import(session, people_csv, baseline_rows))
    close(app)
    baseline = baseline_rows / seconds

    header = f"{'run':<38} {'rows':>8} {'wall s':>8} {'rows/s':>9} {'x naive':>8}  result"
    print(header)
    print("-" * len(header))
    label = f"naive ORM, row by row (first {baseline_rows:,})"
    print(f"{label:<38} {baseline_rows:>8,} {seconds:>8.2f} {baseline:>9,.0f} {1:>8.1f}")

    app = fresh_app(work_dir / "import.db")
    runs = [
        ("import_people, new file", people_csv),
        ("import_people, same file again", people_csv),
        (f"import_people, 1% changed ({changed_count:,})", changed_csv),
    ]
    first = 0.0
    for label, path in runs:
        seconds, result = timed(app, real_import(path))
        assert isinstance(result, ImportResult)
        rate = args.rows / seconds
        first = first or seconds
        print(f"{label:<38} {args.rows:>8,} {seconds:>8.2f} {rate:>9,.0f} {rate / baseline:>8.1f}  {summary(result)}")
    close(app)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print()
    print(f"peak RSS: {peak:,.0f} MiB")
    met = first < TARGET_SECONDS
    print(
        f"target: whole-file import of {args.rows:,} rows under {TARGET_SECONDS:.0f} s: "
        f"{'MET' if met else 'NOT MET'} ({first:.1f} s)"
    )
    if temporary is not None:
        temporary.cleanup()
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
