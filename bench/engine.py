"""Engine throughput and scheduler claim cost, on a private PostgreSQL and RabbitMQ.

    .venv/bin/python bench/engine.py [--steps 100000] [--workers 2] [--threads 4]

1. Baseline: the raw Dramatiq rate of no-op messages through the same RabbitMQ
   broker, consumed by the same number of worker processes.
2. Engine: ``--steps`` due check-in steps, from due to notification row
   written, through ``tandem scheduler`` and ``--workers`` ``tandem worker``
   processes (started beforehand); prints steps/s and the ratio to the baseline.
   Each message carries a batch of timer ids, run set-based in one transaction.
3. Claim cost: the time for one scheduler pass to claim 1,000 due timers with
   10,000 and with 1,000,000 timers pending (not yet due).
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

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from sqlalchemy import func, insert, select, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import PostgresServer, RabbitServer  # noqa: E402

from tandem.plugin.app import create_app  # noqa: E402
from tandem.plugin.bootstrap import initialise  # noqa: E402
from tandem.plugin.models import Notification, Person, Programme, Timer, WorkflowDefinition, WorkflowInstance  # noqa: E402
from tandem.workflows.clock import FrozenClock, SystemClock  # noqa: E402
from tandem.workflows.jobs import run_timers  # noqa: E402
from tandem.workflows.runtime import WorkflowRunner  # noqa: E402
from tandem.workflows.scheduler import claim_due  # noqa: E402
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


def run_steps(app, env: dict[str, str], steps: int, workers: int, threads: int) -> float:
    """Steps per second from due to notification row, through scheduler and worker processes.

    The processes start first, with every step a day away; the clock starts when the steps become due.
    """
    procs = [subprocess.Popen([*TANDEM, "worker", "--threads", str(threads)], env=env) for _ in range(workers)]
    procs.append(subprocess.Popen([*TANDEM, "scheduler"], env=env))
    time.sleep(5)
    try:
        with app.app_context():
            session = app.appbuilder.session
            session.execute(update(Timer).values(due_at=func.now()))
            session.commit()
            started = time.perf_counter()
            while session.scalar(select(func.count(Notification.id))) < steps:
                session.rollback()
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
            session.remove()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()
    return steps / elapsed


def profile_batches(app, steps: int, batch: int = 200, top: int = 15) -> tuple[float, str]:
    """One thread, in this process, runs every due step a message's batch at a time under cProfile.

    Returns steps/s (with the profiler on) and the top functions by own time.
    """
    profiler = cProfile.Profile()
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(Timer).values(due_at=func.now()))
        session.commit()
        clock = SystemClock()
        ids = claim_due(session, clock, "profile", limit=steps)
        started = time.perf_counter()
        profiler.enable()
        for start in range(0, len(ids), batch):
            run_timers(session, ids[start : start + batch], clock)
            session.remove()
        profiler.disable()
        elapsed = time.perf_counter() - started
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return len(ids) / elapsed, out.getvalue()


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
    """Run all three measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
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
            "TANDEM_DATABASE_URL": url,
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
        print(f"engine benchmark: {args.steps:,} steps, {args.workers} worker processes × {args.threads} threads")
        noop_rate = baseline(rabbit.url, args.steps, args.workers, args.threads)
        print(f"  raw Dramatiq no-op messages/s      {noop_rate:10,.0f}")
        prepare_steps(app, args.steps)
        step_rate = run_steps(app, env, args.steps, args.workers, args.threads)
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
    """Run ``steps`` due check-in steps in this thread under cProfile; print the rate and the top costs."""
    pg = PostgresServer()
    pg.start()
    try:
        url = pg.create_database("tandem_bench")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-long-enough"})
        with app.app_context():
            initialise(app)
        prepare_steps(app, steps)
        rate, report = profile_batches(app, steps)
        print(f"engine profile: {steps:,} steps, one thread, batches of 200: {rate:,.0f} steps/s under cProfile")
        print(report)
    finally:
        pg.stop()
        pg.remove()


if __name__ == "__main__":
    main()
