"""Directory import speed on SQLite: the whole file, against a naive ORM import in the same run.

    .venv/bin/python bench/import_people.py [--rows 100000]

Generates a realistic directory CSV (a manager tree eight wide, managers
listed after their reports, valid time zones and dates), then measures:
a naive import (one ORM object, one manager query and one flush per row; on
the first 5,000 rows only, it is slow), the real ``tandem import-people`` path
on the whole file, the same file again (nothing changes), and the file with
1% of rows changed. Target: the whole file in under 60 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from tandem.plugin.app import create_app
from tandem.plugin.bootstrap import initialise
from tandem.plugin.directory import import_people
from tandem.plugin.directory.columns import COLUMNS as HEADER
from tandem.plugin.models import Person

SITES = [
    ("Berlin", "DE", "Europe/Berlin"),
    ("London", "GB", "Europe/London"),
    ("New York", "US", "America/New_York"),
    ("Singapore", "SG", "Asia/Singapore"),
]
DEPARTMENTS = ["Engineering", "Product", "Design", "Sales", "Finance", "People"]


def generate(rows: int, seed: int = 1) -> list[list[str]]:
    """``rows`` directory rows; row i reports to row (i - 1) // 8, and the file is shuffled."""
    rng = random.Random(seed)
    today = date(2026, 11, 1)
    data = []
    for i in range(rows):
        location, country, zone = rng.choice(SITES)
        data.append(
            [
                f"E{i:06d}",
                f"Person {i}",
                f"person{i}@example.org",
                rng.choice(DEPARTMENTS),
                "Engineer",
                location,
                country,
                zone,
                f"E{(i - 1) // 8:06d}" if i else "",
                (today - timedelta(days=rng.randint(1, 5000))).isoformat(),
                "active",
                str(rng.randint(0, 10)),
                rng.choice(["yes", "no"]),
                "Python;SQL",
                "chess",
                "English",
            ]
        )
    rng.shuffle(data)
    return data


def as_csv(rows: list[list[str]]) -> str:
    """The rows as CSV text with the header."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def fresh_app(directory: Path, name: str):
    """An initialised app on a new SQLite file."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / name}", "SECRET_KEY": "bench" * 8})
    with app.app_context():
        initialise(app)
    return app


def naive(app, rows: list[list[str]]) -> float:
    """Rows per second, one ORM object, manager query and flush at a time (managers first)."""
    ordered = sorted(rows, key=lambda row: row[0])
    started = time.perf_counter()
    with app.app_context():
        session = app.appbuilder.session
        for row in ordered:
            values = dict(zip(HEADER, row, strict=True))
            manager = session.scalars(select(Person).where(Person.employee_id == values["manager_id"])).first()
            session.add(
                Person(
                    employee_id=values["employee_id"],
                    full_name=values["name"],
                    email=values["email"],
                    department=values["department"],
                    title=values["title"],
                    location=values["location"],
                    country=values["country"],
                    timezone=values["timezone"],
                    manager=manager,
                    hire_date=date.fromisoformat(values["hire_date"]),
                    status=values["status"],
                    seniority=int(values["seniority"]),
                    remote=values["remote"] == "yes",
                    skills=values["skills"].split(";"),
                    interests=[values["interests"]],
                    languages=[values["languages"]],
                )
            )
            session.flush()
        session.commit()
    return len(ordered) / (time.perf_counter() - started)


def timed_import(app, text: str) -> tuple[float, str]:
    """Seconds for one import of ``text`` (commit included) and its summary."""
    started = time.perf_counter()
    with app.app_context():
        session = app.appbuilder.session
        result = import_people(session, io.StringIO(text, newline=""))
        session.commit()
    return time.perf_counter() - started, f"{result.created} created, {result.updated} updated"


def main() -> None:
    """Generate, import, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="tandem-import-bench-"))
    rows = generate(args.rows)
    text = as_csv(rows)
    baseline_rows = min(5000, args.rows)
    base = naive(fresh_app(directory, "naive.db"), generate(baseline_rows))
    app = fresh_app(directory, "import.db")
    print(f"directory import, {args.rows:,} rows, SQLite")
    print(f"  {'naive ORM, per row (first ' + format(baseline_rows, ',') + ' rows)':<44}{base:10,.0f} rows/s")
    first, summary = timed_import(app, text)
    print(
        f"  {'tandem import, new file':<44}{args.rows / first:10,.0f} rows/s  {first:6.1f} s  "
        f"{args.rows / first / base:5.1f}× naive  ({summary})"
    )
    again, summary = timed_import(app, text)
    print(f"  {'tandem import, same file again':<44}{args.rows / again:10,.0f} rows/s  {again:6.1f} s  ({summary})")
    rng = random.Random(2)
    for row in rng.sample(rows, k=max(1, args.rows // 100)):
        row[4] = "Senior Engineer"
    changed, summary = timed_import(app, as_csv(rows))
    print(f"  {'tandem import, 1% changed':<44}{args.rows / changed:10,.0f} rows/s  {changed:6.1f} s  ({summary})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory {peak:,.0f} MiB; whole file {'under' if first < 60 else 'OVER'} the 60 s target")
    sys.exit(0 if first < 60 else 1)


if __name__ == "__main__":
    main()
