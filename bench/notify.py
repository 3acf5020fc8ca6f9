"""E-mail delivery end to end against the SMTP transport alone, into a local aiosmtpd sink (its own process).

    .venv/bin/python bench/notify.py [--messages 20000] [--batch 200] [--connections 2] [--rounds 4]

The baseline is the SMTP transport alone: one message written to bytes once,
sent ``--messages`` times over one connection per batch (and then over
``--connections`` connections at once). End to end is the real delivery path
(claim, preferences, daily budget, sandboxed rendering of text + HTML, MIME,
SMTP, statuses committed every ``TANDEM_DELIVERY_COMMIT_EVERY``) on a private
SQLite database, in batches of ``--batch`` ids as the scheduler hands them to
the delivery actor, with the same number of SMTP connections
(``TANDEM_SMTP_CONNECTIONS``). The two alternate in ``--rounds`` rounds of
``--messages / --rounds`` each, so a change of the machine's load hits both.
Prints messages/s for each, end to end / transport at the same connection
count, and ``uptime``'s load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import free_port, wait_for_port  # noqa: E402

from tandem.plugin.app import create_app  # noqa: E402
from tandem.plugin.bootstrap import initialise  # noqa: E402
from tandem.plugin.models import Notification, Person  # noqa: E402
from tandem.workflows.channels.email import Mailer, parse_smtp_url, prepare  # noqa: E402
from tandem.workflows.clock import FrozenClock  # noqa: E402
from tandem.workflows.delivery import claim_due_notifications, deliver  # noqa: E402

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def start_sink(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's discarding sink in its own process (so it does not share our interpreter lock)."""
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"]
    sink = subprocess.Popen(command)
    wait_for_port(port, 30, sink)
    return sink


def populate(app: Any, messages: int) -> None:
    """``messages`` people, one queued reminder each."""
    with app.app_context():
        session = app.appbuilder.session
        session.execute(
            insert(Person),
            [
                {"employee_id": f"B{n}", "full_name": f"Person {n}", "email": f"p{n}@example.org", "timezone": "UTC"}
                for n in range(messages)
            ],
        )
        session.flush()
        session.execute(
            insert(Notification),
            [
                {
                    "recipient_id": n + 1,
                    "channel": "email",
                    "template": "checkin/reminder",
                    "context": {"workflow": "bench", "names": {"buddy": "Grace Hopper"}, "sequence": 2},
                    "idempotency_key": f"bench:{n}",
                    "status": "queued",
                    "attempts": 0,
                    "error": "",
                    "created_at": NOW,
                }
                for n in range(messages)
            ],
        )
        session.commit()


def run(app: Any, batch: int, connections: int, messages: int) -> float:
    """Deliver ``messages`` of what is queued with ``connections`` SMTP connections a pass; returns seconds."""
    clock = FrozenClock(NOW)
    app.config["TANDEM_SMTP_CONNECTIONS"] = connections
    sent = 0
    with app.app_context():
        session = app.appbuilder.session
        started = time.perf_counter()
        while sent < messages and (ids := claim_due_notifications(session, clock, limit=min(batch, messages - sent))):
            sent += deliver(session, ids, clock).counts.get("sent", 0)
        elapsed = time.perf_counter() - started
        session.remove()
    assert sent == messages, f"{sent} of {messages} sent"
    return elapsed


def requeue(app: Any) -> None:
    """Queue every message again for the next measurement."""
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(Notification).values(status="queued", sent_at=None, lease_until=None, channel="email"))
        session.commit()
        session.remove()


def transport(url: str, messages: int, batch: int, connections: int) -> float:
    """SMTP alone: one message written once, sent ``messages`` times over ``connections`` at once; returns seconds."""
    message = prepare(
        "Tandem <tandem@localhost>",
        "Person 1234",
        "p1234@example.org",
        "A gentle nudge: check-in 2 is still open",
        "Hello\n" * 20,
        "<p>Hello</p>" * 20,
        headers={"List-Unsubscribe": "<http://127.0.0.1:8080/tandem/preferences/x>", "X-Tandem-Notification": "1"},
    )

    def lane(count: int) -> None:
        for start in range(0, count, batch):
            with Mailer(parse_smtp_url(url)) as mailer:
                for _ in range(min(batch, count - start)):
                    mailer.send(message)

    shares = [messages // connections + (1 if n < messages % connections else 0) for n in range(connections)]
    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lane, shares))
    return time.perf_counter() - started


@dataclass
class Measure:
    """Messages per second, and the CPU each message took in this process and in the sink's."""

    seconds: float = 0.0
    cpu: float = 0.0
    sink_cpu: float = 0.0

    def add(self, sink: int, measured: Callable[[], float]) -> None:
        """Run ``measured`` (which returns its seconds) and add what it took."""
        cpu, sink_cpu = time.process_time(), cpu_seconds(sink)
        self.seconds += measured()
        self.cpu += time.process_time() - cpu
        self.sink_cpu += cpu_seconds(sink) - sink_cpu

    def __call__(self, messages: int) -> str:
        return (
            f"{messages / self.seconds:,.0f} msg/s (CPU a message: {1000 * self.cpu / messages:.2f} ms here,"
            f" {1000 * self.sink_cpu / messages:.2f} ms in the sink)"
        )


def cpu_seconds(pid: int) -> float:
    """CPU seconds process ``pid`` used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compare(app: Any, url: str, sink: int, options: argparse.Namespace, connections: int) -> tuple[Measure, Measure]:
    """Transport alone and end to end, alternating in ``--rounds`` rounds (so a change of load hits both)."""
    alone, together = Measure(), Measure()
    share = options.messages // options.rounds
    for _ in range(options.rounds):
        alone.add(sink, lambda: transport(url, share, options.batch, connections))
        together.add(sink, lambda: run(app, options.batch, connections, share))
    requeue(app)
    return alone, together


def load() -> str:
    """``uptime``'s load averages."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    """Measure the transport alone and delivery end to end, with one and with several connections."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4, help="alternate the two measures this many times")
    options = parser.parse_args()
    port = free_port()
    sink = start_sink(port)
    try:
        with tempfile.TemporaryDirectory() as directory:
            url = f"smtp://127.0.0.1:{port}"
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.db",
                    "SECRET_KEY": "bench-secret-key-of-sufficient-length",
                    "TANDEM_SMTP_URL": url,
                }
            )
            with app.app_context():
                initialise(app)
            populate(app, options.messages)
            print(f"{options.messages} e-mails (text + HTML), batches of {options.batch}, into aiosmtpd on loopback")
            print(f"  before: {load()}")
            total = options.messages // options.rounds * options.rounds
            for connections in sorted({1, options.connections}):
                alone, together = compare(app, url, sink.pid, options, connections)
                print(f"  {connections} connection(s):")
                print(f"    SMTP transport alone: {alone(total)}")
                print(f"    end to end:           {together(total)}")
                print(f"    end to end / transport: {alone.seconds / together.seconds:.2f}x  ({load()})")
    finally:
        sink.terminate()
        sink.wait()


if __name__ == "__main__":
    main()
