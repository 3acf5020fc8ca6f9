"""The engine under real faults, at a larger scale than the test: lateness per fault, lost and extra effects.

Starts a private PostgreSQL and RabbitMQ and an aiosmtpd server, two
``tandem scheduler`` and three ``tandem worker`` processes, posts the hires and
runs the faults of ``tests/fault_scenario.py`` one after another (``kill -9``
of a worker and a scheduler, RabbitMQ stopped, PostgreSQL restarted, the SMTP
server down) while hires answer through their e-mails' links. Prints the
issue's table re-measured, lateness p50/p99/max of the timers due during each
fault, and what was lost or extra against each run's expected numbers.

    .venv/bin/python bench/faults.py --hires 200
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fault_scenario import Scenario  # noqa: E402
from servers import PostgresServer, RabbitServer  # noqa: E402


def main() -> None:
    """Run the scenario once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hires", type=int, default=200)
    arguments = parser.parse_args()
    postgres, rabbit = PostgresServer(), RabbitServer()
    began = time.monotonic()
    try:
        postgres.start()
        rabbit.start()
        with tempfile.TemporaryDirectory(prefix="tandem-faults-") as workdir:
            result = Scenario(postgres, rabbit, Path(workdir), arguments.hires).run(settle_timeout=600)
    finally:
        rabbit.stop()
        postgres.stop()
        rabbit.remove()
        postgres.remove()
    print(f"{arguments.hires} hires, {time.monotonic() - began:.0f} s in all")
    print("faults: " + ", ".join(f"{o.name} {o.start:.1f}-{o.end:.1f} s" for o in result.outages))
    print(result.table())
    print("lateness of timers due during each fault (done_at - due_at):")
    print("\n".join(result.lateness_lines()))
    print(f"lost against each run's expected numbers: {result.lost or 'none'}")
    print(f"extra against each run's expected numbers: {result.extra or 'none'}")
    print(f"duplicate e-mails (the at-least-once SMTP window): {result.duplicate_emails}")
    print(f"web answers by status: {dict(sorted(result.web_statuses.items()))}")
    print(f"incidents: {result.incidents}; timers beyond the bound: {len(result.late_beyond_bound)}")
    if result.deadlock_log:
        print("deadlocks in the PostgreSQL log:\n" + result.deadlock_log)
    for line in result.late_beyond_bound[:5] + [m.splitlines()[0] for m in result.per_run_mismatches[:5]]:
        print("  " + line)


if __name__ == "__main__":
    main()
