"""Engine commands: ``workflow load|list``, ``simulate``, ``worker``, ``scheduler`` and ``serve``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from tandem.workflows.definition import DefinitionError
from tandem.workflows.runtime import participant
from tandem.workflows.safeyaml import MAX_BYTES as MAX_DEFINITION_BYTES
from tandem.workflows.simulate import simulate
from tandem.workflows.store import latest_version, latest_versions, parsed, save_definition

from .models import Person, WorkflowInstance
from .settings import DEFAULTS
from .textfiles import read_text


@click.group("workflow", cls=AppGroup)
def workflow_group() -> None:
    """Workflow definitions."""


@workflow_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(path: Path) -> None:
    """Save FILE.yaml as the next version of its workflow (refused, with the path of each error, if invalid)."""
    session = current_app.appbuilder.session
    text = read_text(path, MAX_DEFINITION_BYTES)
    try:
        row, created = save_definition(session, text, author="cli")
    except DefinitionError as error:
        session.rollback()
        for problem in error.problems:
            click.echo(f"{path.name}: {problem}", err=True)
        raise click.ClickException(f"{path.name} was not saved") from None
    session.commit()
    click.echo(f"{row.name}: version {row.version} {'saved' if created else 'unchanged'}")


@workflow_group.command("list")
def list_command() -> None:
    """Every workflow with its latest version, trigger and running instances."""
    session = current_app.appbuilder.session
    for row in latest_versions(session):
        running = session.scalar(
            select(func.count(WorkflowInstance.id)).where(
                WorkflowInstance.definition.has(name=row.name), WorkflowInstance.status.in_(("running", "paused"))
            )
        )
        click.echo(f"{row.name:<26} v{row.version:<3} trigger {row.trigger or '-':<22} {running} running  {row.title}")


@workflow_group.command("migrate")
@click.argument("name")
@click.option("--dry-run", is_flag=True, help="Only show what would happen.")
def migrate_command(name: str, dry_run: bool) -> None:
    """Move running instances of NAME to its latest version where their current step still fits."""
    from tandem.workflows.clock import SystemClock
    from tandem.workflows.migration import migrate, preview

    session = current_app.appbuilder.session
    plan = preview(session, name)
    for move in plan:
        click.echo(
            f"run {move.instance_id} ({move.subject}, v{move.from_version}, {move.current_step}): {move.outcome}"
        )
    if not plan:
        click.echo(f"no running instance of {name} is on an older version")
    if dry_run or not plan:
        return
    moved = migrate(session, name, SystemClock(), by="cli")
    session.commit()
    click.echo(f"{len(moved)} of {len(plan)} run(s) migrated")


@click.command("simulate")
@with_appcontext
@click.option("--workflow", "name", required=True, help="Workflow name, e.g. onboarding-buddy.")
@click.option("--person", "employee_id", required=True, help="Employee id of the subject.")
@click.option("--start", "start_day", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: today).")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660), help="How many days to simulate.")
@click.option("--quiet", is_flag=True, help="Nobody answers their check-ins (shows reminders and escalations).")
def simulate_command(name: str, employee_id: str, start_day: datetime | None, days: int, quiet: bool) -> None:
    """Print the dated timeline a workflow would produce for one person."""
    session = current_app.appbuilder.session
    row = latest_version(session, name)
    if row is None:
        raise click.ClickException(f"no workflow named {name!r}; see `tandem workflow list`")
    person = session.scalars(select(Person).where(Person.employee_id == employee_id)).first()
    if person is None:
        raise click.ClickException(f"no person with employee id {employee_id!r}")
    day = start_day.date() if start_day else date.today()
    start = datetime.combine(day, time(9), tzinfo=ZoneInfo(person.timezone)).astimezone(UTC)
    definition = parsed(row)
    click.echo(f"{definition.title} (v{row.version}) for {person.full_name}, {person.timezone}, from {day}:")
    for entry in simulate(definition, participant(person), start, days=days, quiet=quiet):
        click.echo("  " + entry.format(start))


@click.command("worker")
@with_appcontext
@click.option("--processes", default=1, show_default=True, help="Worker processes.")
@click.option("--threads", default=4, show_default=True, help="Threads per process.")
def worker_command(processes: int, threads: int) -> None:
    """Run Dramatiq workers on TANDEM_BROKER_URL until stopped."""
    if processes > 1:
        command = [sys.executable, "-m", "tandem.plugin.cli", "worker", "--processes", "1", "--threads", str(threads)]
        _supervise(command, processes)
        return
    from tandem.workflows.service import start_workers, tune_garbage_collector

    app = current_app._get_current_object()
    tune_garbage_collector()
    runtime = start_workers(app, threads=threads, with_scheduler=False)
    where = "RabbitMQ" if app.config.get("TANDEM_BROKER_URL") else "the embedded broker"
    click.echo(f"worker: {threads} threads on {where}")
    _wait_for_stop()
    runtime.stop()


@click.command("scheduler")
@with_appcontext
@click.option("--interval", type=float, help="Seconds between passes when nothing is due (TANDEM_SCHEDULER_INTERVAL).")
def scheduler_command(interval: float | None) -> None:
    """Claim due timers and enqueue them on TANDEM_BROKER_URL until stopped."""
    from tandem.workflows.actors import declare
    from tandem.workflows.broker import make_broker
    from tandem.workflows.service import run_scheduler

    app = current_app._get_current_object()
    broker = make_broker(app.config.get("TANDEM_BROKER_URL"))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    click.echo("scheduler: claiming due timers")
    run_scheduler(app, declare(broker, app), stop, interval=interval)
    broker.close()


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True)
def serve_command(host: str, port: int) -> None:
    """Serve the intranet; without TANDEM_BROKER_URL also run workers and the scheduler in this process."""
    from werkzeug.serving import run_simple

    from tandem.workflows.service import start_workers

    app = current_app._get_current_object()
    if "TANDEM_BASE_URL" not in os.environ and app.config.get("TANDEM_BASE_URL") == DEFAULTS["TANDEM_BASE_URL"]:
        # Nobody said where people reach the intranet: where it is served (links in e-mails must work).
        app.config["TANDEM_BASE_URL"] = f"http://{'127.0.0.1' if host in ('', '0.0.0.0', '::') else host}:{port}"
    click.echo(f"links in messages point to {app.config['TANDEM_BASE_URL']} (TANDEM_BASE_URL)")
    sink = None
    if not app.config.get("TANDEM_SMTP_URL") and not app.config.get("TANDEM_BROKER_URL"):
        from .mail_sink import start_sink

        sink = start_sink(app)
        click.echo(
            f"e-mail goes to the local SMTP sink at {app.config['TANDEM_SMTP_URL']} (see Messages → Mail outbox)"
        )
    runtime = None if app.config.get("TANDEM_BROKER_URL") else start_workers(app, threads=2)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if runtime is not None:
            runtime.stop()
        if sink is not None:
            sink.stop()


def _wait_for_stop() -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def _supervise(command: list[str], count: int) -> None:
    """Run ``count`` copies of ``command``; stop them all on SIGTERM or Ctrl-C."""
    children = [subprocess.Popen(command) for _ in range(count)]
    try:
        _wait_for_stop()
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait()


COMMANDS = [workflow_group, simulate_command, worker_command, scheduler_command, serve_command]
