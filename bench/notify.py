"""E-mail delivery throughput, with and without SMTP connection reuse, into a local aiosmtpd sink (its own process).

    .venv/bin/python bench/notify.py [--messages 20000] [--batch 50]

Both runs go through the real delivery path (claim, preferences, budget,
sandboxed rendering of text + HTML, SMTP, status written) on a private SQLite
database, in batches of ``--batch`` notification ids as the delivery actor
receives them. The baseline opens one SMTP connection per message; the reuse
run one connection per batch. Prints messages/s for both and their ratio;
then the same comparison for the SMTP transport alone (one pre-built message).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
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
from tandem.workflows.channels.email import Mailer, build_message, parse_smtp_url  # noqa: E402
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


def run(app: Any, url: str, batch: int, reuse: bool) -> tuple[int, float]:
    """Deliver everything queued; returns (messages sent, seconds)."""
    clock = FrozenClock(NOW)
    sent = 0
    with app.app_context():
        session = app.appbuilder.session
        started = time.perf_counter()
        while ids := claim_due_notifications(session, clock, limit=batch):
            outcome = deliver(session, ids, clock, mailer=Mailer(parse_smtp_url(url), reuse=reuse))
            sent += outcome.counts.get("sent", 0)
        elapsed = time.perf_counter() - started
        session.execute(update(Notification).values(status="queued", sent_at=None, lease_until=None, channel="email"))
        session.commit()
        session.remove()
    return sent, elapsed


def transport(url: str, messages: int, batch: int, reuse: bool) -> float:
    """SMTP alone: one pre-built message sent ``messages`` times; returns messages/s."""
    message = build_message(
        "Tandem <tandem@localhost>",
        "Person",
        "p@example.org",
        "Check-in 2 is still open",
        "Hello\n" * 20,
        "<p>Hello</p>" * 20,
    )
    started = time.perf_counter()
    for start in range(0, messages, batch):
        with Mailer(parse_smtp_url(url), reuse=reuse) as mailer:
            for _ in range(min(batch, messages - start)):
                mailer.send(message)
    return messages / (time.perf_counter() - started)


def main() -> None:
    """Run the baseline and the reuse run and print their rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=50)
    options = parser.parse_args()
    port = free_port()
    sink = start_sink(port)
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
        sent, seconds = run(app, url, options.batch, reuse=False)
        baseline = sent / seconds
        print(f"  one connection per message (baseline): {sent} sent in {seconds:.1f} s = {baseline:,.0f} msg/s")
        sent, seconds = run(app, url, options.batch, reuse=True)
        reused = sent / seconds
        print(f"  one connection per batch (reuse):      {sent} sent in {seconds:.1f} s = {reused:,.0f} msg/s")
        print(f"  reuse / baseline: {reused / baseline:.2f}x")
        print("SMTP transport alone (one pre-built message, no database, no rendering):")
        baseline = transport(url, options.messages, options.batch, reuse=False)
        print(f"  one connection per message (baseline): {baseline:,.0f} msg/s")
        reused = transport(url, options.messages, options.batch, reuse=True)
        print(f"  one connection per batch (reuse):      {reused:,.0f} msg/s")
        print(f"  reuse / baseline: {reused / baseline:.2f}x")
    sink.terminate()
    sink.wait()


if __name__ == "__main__":
    main()
