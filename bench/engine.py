"""Engine throughput and scheduler claim cost, on a private PostgreSQL and RabbitMQ.

    .venv/bin/python bench/engine.py [--steps 50000] [--workers 2] [--threads 4] [--scaling | --profile]

1. Baseline: the raw Dramatiq rate of no-op messages through the same RabbitMQ
   broker, consumed by the same number of worker processes.
2. Engine: ``--steps`` due check-in steps, from due to notification row
   written, through ``tandem scheduler`` and ``--workers`` ``tandem worker``
   processes (started beforehand), on a fresh copy of the prepared database;
   prints steps/s and the ratio to the baseline. Each message carries a batch
   of timer ids, run set-based in one transaction (``workflows/batch.py``).
3. Claim cost: the time for one scheduler pass to claim 1,000 due timers with
   10,000 and with 1,000,000 timers pending (not yet due).

``--scaling`` measures 1 and 2 for 1, 2 and 4 worker processes instead, each
step rate against the no-op rate with as many processes, in the same run.
``--profile`` runs the steps in one thread of this process under cProfile
(PostgreSQL only, no broker) and prints the rate and the top costs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from sqlalchemy import create_engine, func, insert, select, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import PostgresServer, RabbitServer  # noqa: E402

from tandem.plugin.app import create_app  # noqa: E402
from tandem.plugin.bootstrap import initialise  # noqa: E402
from tandem.plugin.models import Notification, Person, Programme, Timer, WorkflowDefinition, WorkflowInstance  # noqa: E402
from tandem.workflows.clock import FrozenClock, SystemClock  # noqa: E402
from tandem.workflows.jobs import run_orm_timers, run_timers  # noqa: E402
from tandem.workflows.runtime import WorkflowRunner  # noqa: E402
from tandem.workflows.scheduler import claim_due  # noqa: E402
from tandem.workflows.service import tune_garbage_collector  # noqa: E402
from tandem.workflows.store import save_definition  # noqa: E402

TANDEM = [sys.executable, "-m", "tandem.plugin.cli"]
TIMER_COLUMNS = "dedupe_key, key, due_at, status, attempts, claimed_by, last_error"
BENCH_DEFINITION = """
workflow: bench-checkin
subject: person
steps:
  - check_in: {between: [person], every: 1 second, times: 1}
"""


def queue_size(broker: RabbitmqBroker, queue: str) -> int:
    """Messages ready in ``queue``."""
    return sum(broker.get_queue_message_counts(queue)[:1])


def baseline(url: str, messages: int, workers: int, threads: int) -> float:
    """No-op messages per second through ``workers`` bare Dramatiq processes."""
    broker = RabbitmqBroker(url=url)
    noop = dramatiq.actor(lambda: None, broker=broker, actor_name="noop", queue_name="bench-noop", max_retries=0)
    for _ in range(messages):
        noop.send()
    procs = [
        subprocess.Popen([sys.executable, str(ROOT / "bench" / "noop_worker.py"), url, str(threads)])
        for _ in range(workers)
    ]
    try:
        # As for the engine, process start-up is not counted: the clock starts with the first message taken.
        while queue_size(broker, "bench-noop") >= messages:
            time.sleep(0.01)
        started = time.perf_counter()
        while queue_size(broker, "bench-noop"):
            time.sleep(0.1)
        broker.join("bench-noop", timeout=600_000)
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()
        broker.close()
    return messages / elapsed


def prepare_steps(app, steps: int) -> None:
    """``steps`` people, each with a bench-checkin instance whose first prompt is due now."""
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(WorkflowDefinition).values(active=False))
        row, _ = save_definition(session, BENCH_DEFINITION)
        session.add(Programme(name="Bench", slug="bench", kind="mentoring", status="active"))
        people = [
            {"employee_id": f"B{i}", "full_name": f"Bench {i}", "email": f"b{i}@example.org", "timezone": "UTC"}
            for i in range(steps)
        ]
        for start in range(0, steps, 5000):
            session.execute(insert(Person), people[start : start + 5000])
        session.commit()
        engine = WorkflowRunner(session, FrozenClock(datetime.now(UTC) - timedelta(seconds=5)))
        template = engine.start(row, session.scalars(select(Person).order_by(Person.id)).first())
        session.commit()
        ids = session.scalars(select(Person.id).order_by(Person.id).offset(1)).all()
        state = template.state
        for start in range(0, len(ids), 5000):
            batch = ids[start : start + 5000]
            session.execute(
                insert(WorkflowInstance),
                [
                    {
                        "definition_id": row.id,
                        "subject_id": pid,
                        "status": "running",
                        "step": 0,
                        "state": {**state, "roles": {"person": {**state["roles"]["person"], "id": pid}}},
                    }
                    for pid in batch
                ],
            )
        session.commit()
        timer = session.scalars(select(Timer).where(Timer.instance_id == template.id)).one()
        session.execute(
            text(
                f"INSERT INTO tandem_timer ({TIMER_COLUMNS}, instance_id) "
                "SELECT 'wf:' || id || ':' || :key, :key, now(), 'pending', 0, '', '', id "
                "FROM tandem_workflow_instance WHERE id <> :template"
            ),
            {"key": timer.key, "template": template.id},
        )
        session.execute(update(Timer).values(due_at=func.now() + text("interval '1 day'")))
        session.commit()


def run_steps(url: str, env: dict[str, str], steps: int, workers: int, threads: int) -> float:
    """Steps per second from due to notification row, through scheduler and worker processes on ``url``.

    The processes start first, with every step a day away; the clock starts when the steps become due.
    """
    env = {**env, "TANDEM_DATABASE_URL": url}
    procs = [subprocess.Popen([*TANDEM, "worker", "--threads", str(threads)], env=env) for _ in range(workers)]
    procs.append(subprocess.Popen([*TANDEM, "scheduler"], env=env))
    time.sleep(5)
    database = create_engine(url)
    try:
        with database.connect() as connection:
            connection.execute(update(Timer).values(due_at=func.now()))
            connection.commit()
            started = time.perf_counter()
            while connection.scalar(select(func.count(Notification.id))) < steps:
                connection.rollback()
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
    finally:
        database.dispose()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()
    return steps / elapsed


def measure(
    pg: PostgresServer, rabbit: RabbitServer, env: dict[str, str], args: Any, workers: int
) -> tuple[float, float]:
    """The no-op and the step rate with ``workers`` processes, the steps on a fresh copy of the prepared database."""
    noop_rate = baseline(rabbit.url, args.steps, workers, args.threads)
    url = pg.clone_database("tandem_bench", "tandem_bench_run")
    return noop_rate, run_steps(url, env, args.steps, workers, args.threads)


def run_in_thread(url: str, steps: int, run: Any, profiler: cProfile.Profile | None = None, batch: int = 200) -> float:
    """Steps/s of one thread of this process running every due step on ``url``, a message's batch at a time
    (``run(session, ids, clock)``), optionally under ``profiler``."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-long-enough"})
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(Timer).values(due_at=func.now()))
        session.commit()
        clock = SystemClock()
        ids = claim_due(session, clock, "profile", limit=steps)
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        for start in range(0, len(ids), batch):
            run(session, ids[start : start + batch], clock)
            session.remove()
        if profiler is not None:
            profiler.disable()
        elapsed = time.perf_counter() - started
        session.remove()
        app.extensions["sqlalchemy"].engine.dispose()
    return len(ids) / elapsed


def top_costs(profiler: cProfile.Profile, top: int = 12) -> str:
    """The functions with the most own time, and the share of the rollups' refresh at commit."""
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt  # type: ignore[attr-defined]
    refresh = sum(
        row[3]
        for (path, _, name), row in stats.stats.items()
        if name == "refresh" and path.endswith("maintain.py")  # type: ignore[attr-defined]
    )
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()][-(top + 1) :]
    return "\n".join(
        [f"    {total:.2f} s profiled, {refresh / total:.0%} of it in the rollups' refresh at commit", *lines]
    )


def claim_cost(app, pending: int, repeat: int = 7) -> float:
    """Median milliseconds to claim 1,000 due timers with ``pending`` not-yet-due timers present."""
    with app.app_context():
        session = app.appbuilder.session
        session.execute(text("DELETE FROM tandem_timer"))
        session.execute(
            text(
                f"INSERT INTO tandem_timer ({TIMER_COLUMNS}) "
                "SELECT 'p' || g, 'p', now() + interval '30 days', 'pending', 0, '', '' FROM generate_series(1, :n) g"
            ),
            {"n": pending},
        )
        session.execute(
            text(
                f"INSERT INTO tandem_timer ({TIMER_COLUMNS}) "
                "SELECT 'd' || g, 'd', now() - interval '1 minute', 'pending', 0, '', '' "
                "FROM generate_series(1, 1000) g"
            )
        )
        session.commit()
        session.execute(text("ANALYZE tandem_timer"))
        session.commit()
        timings = []
        for _ in range(repeat):
            session.execute(text("UPDATE tandem_timer SET status = 'pending' WHERE key = 'd'"))
            session.commit()
            started = time.perf_counter()
            claimed = claim_due(session, SystemClock(), "bench", limit=1000)
            timings.append((time.perf_counter() - started) * 1000)
            assert len(claimed) == 1000, len(claimed)
        session.remove()
    return statistics.median(timings)


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--scaling",
        nargs="*",
        type=int,
        metavar="PROCESSES",
        help="the rates with 1, 2 and 4 worker processes, or those given (no claim cost)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="only profile one in-process thread running the steps (cProfile)"
    )
    args = parser.parse_args()
    if args.profile:
        return profile(args.steps)
    pg, rabbit = PostgresServer(), RabbitServer()
    pg.start()
    rabbit.start()
    try:
        url = pg.create_database("tandem_bench")
        workdir = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
        env = {
            **os.environ,
            "TANDEM_BROKER_URL": rabbit.url,
            "TANDEM_DATA_DIR": str(workdir),
            "TANDEM_SECRET_KEY": "bench-secret-key-long-enough",
            "TANDEM_SCHEDULER_INTERVAL": "0.1",
            # The engine alone: delivering the outbox is bench/notify.py's measure.
            "TANDEM_DELIVERY_PAUSED": "true",
        }
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-long-enough"})
        with app.app_context():
            initialise(app)
        prepare_steps(app, args.steps)
        with app.app_context():  # the prepared database is the template of every run: nobody may stay connected
            app.appbuilder.session.remove()
            app.extensions["sqlalchemy"].engine.dispose()
        if args.scaling is not None:
            print(f"engine scaling: {args.steps:,} steps per run, worker processes × {args.threads} threads")
            print("  processes   no-op messages/s   engine steps/s   ratio")
            for workers in args.scaling or (1, 2, 4):
                noop_rate, step_rate = measure(pg, rabbit, env, args, workers)
                print(f"  {workers:9}   {noop_rate:16,.0f}   {step_rate:14,.0f}   {step_rate / noop_rate:5.2f}×")
            return
        print(f"engine benchmark: {args.steps:,} steps, {args.workers} worker processes × {args.threads} threads")
        noop_rate, step_rate = measure(pg, rabbit, env, args, args.workers)
        print(f"  raw Dramatiq no-op messages/s      {noop_rate:10,.0f}")
        print(
            f"  engine check-in steps/s            {step_rate:10,.0f}   ({step_rate / noop_rate:.2f}× the no-op rate)"
        )
        small, large = claim_cost(app, 10_000), claim_cost(app, 1_000_000)
        print(f"  claim 1,000 due, 10,000 pending    {small:10.1f} ms")
        print(f"  claim 1,000 due, 1,000,000 pending {large:10.1f} ms   ({large / small:.2f}× the 10,000 case)")
    finally:
        rabbit.stop()
        pg.stop()
        rabbit.remove()
        pg.remove()


def profile(steps: int) -> None:
    """Run ``steps`` due check-in steps in this thread, on the ORM path and on the batch path, each on a fresh copy
    of one prepared database: each rate without the profiler, then its top costs under cProfile."""
    pg = PostgresServer()
    pg.start()
    try:
        url = pg.create_database("tandem_bench")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-long-enough"})
        with app.app_context():
            initialise(app)
        prepare_steps(app, steps)
        with app.app_context():
            app.appbuilder.session.remove()
            app.extensions["sqlalchemy"].engine.dispose()
        tune_garbage_collector()  # as `tandem worker` does
        print(f"engine profile: {steps:,} steps, one thread, batches of 200")
        paths = {"ORM path (run_orm_timers)": run_orm_timers, "batch path (run_timers)": run_timers}
        rates, reports = {}, {}
        for name, run in paths.items():
            rates[name] = run_in_thread(pg.clone_database("tandem_bench", "tandem_bench_run"), steps, run)
            profiler = cProfile.Profile()
            run_in_thread(pg.clone_database("tandem_bench", "tandem_bench_run"), steps, run, profiler)
            reports[name] = top_costs(profiler)
        for name in paths:
            print(f"  {name:28} {rates[name]:8,.0f} steps/s")
        for name in paths:
            print(f"\n  {name}, top costs by own time:\n{reports[name]}")
    finally:
        pg.stop()
        pg.remove()


if __name__ == "__main__":
    main()
