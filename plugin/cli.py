"""Command line: ``tandem …`` in the standalone intranet, ``flask tandem …`` in a host app."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup

from .directory import ImportRejected, import_people


@click.group("tandem", cls=AppGroup)
def tandem_group() -> None:
    """Tandem mentoring programmes."""


@tandem_group.command("init")
def init_command() -> None:
    """Migrate the database and create or update Tandem's roles (idempotent)."""
    from .bootstrap import initialise

    report = initialise(current_app)
    click.echo(f"database: {report.revision_before or 'empty'} -> {report.revision_after}")
    for role, count in report.role_permissions.items():
        click.echo(f"role {role}: {count} permissions")
    for name in report.workflows_saved:
        click.echo(f"workflow {name}: new version saved")
    if not current_app.appbuilder.sm.count_users():
        click.echo("no login yet: `tandem fab create-admin` makes one (`tandem seed-demo` makes the demo's)")


@tandem_group.command("seed-demo")
@click.option("--password", envvar="TANDEM_DEMO_PASSWORD", help="Password of the demo logins.")
def seed_demo_command(password: str | None) -> None:
    """Create the demo organisation and logins, unless the directory has people already."""
    from .demo import seed_demo

    summary = seed_demo(current_app.appbuilder, password or current_app.config["TANDEM_DEMO_PASSWORD"])
    click.echo(summary)


@tandem_group.command("import-people")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_people_command(path: Path) -> None:
    """Upsert the staff directory from a CSV file; any error writes nothing."""
    from .settings import settings
    from .textfiles import read_text

    session = current_app.appbuilder.session
    text = read_text(path, settings().import_max_bytes, "TANDEM_IMPORT_MAX_BYTES")
    show_progress = sys.stderr.isatty() and len(text) > 1_000_000
    with (
        click.progressbar(length=text.count("\n"), label="Importing", file=sys.stderr)
        if show_progress
        else _NoBar() as bar
    ):
        try:
            result = import_people(session, io.StringIO(text, newline=""), source="cli", progress=bar.update)
        except ImportRejected as rejected:
            session.rollback()
            for error in rejected.errors:
                click.echo(f"{path.name}: {error}", err=True)
            raise click.ClickException(str(rejected)) from None
    session.commit()
    events = ", ".join(f"{count} {kind}" for kind, count in sorted(result.events.items())) or "none"
    click.echo(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged; events: {events}")


@tandem_group.command("rebuild-reports")
def rebuild_reports_command() -> None:
    """Recompute the kept report data (reporting lines, statistics, sums) from scratch, e.g. after raw SQL."""
    from sqlalchemy import func, select

    from .models import ReportingLine, SubtreeStat
    from .rollups import rebuild

    session = current_app.appbuilder.session
    rebuild(session)
    session.commit()
    lines = session.scalar(select(func.count()).select_from(ReportingLine))
    sums = session.scalar(select(func.count()).select_from(SubtreeStat))
    click.echo(f"report data rebuilt: {lines} reporting lines, {sums} subtree sums")


@tandem_group.command("erase-person")
@click.argument("employee_id")
def erase_person_command(employee_id: str) -> None:
    """Anonymise a person who has left (status ``left``): reports keep their counts, nothing identifies them."""
    from sqlalchemy import select

    from .models import Person
    from .personaldata import NotLeft, erase_person

    session = current_app.appbuilder.session
    person = session.scalars(select(Person).where(Person.employee_id == employee_id)).first()
    if person is None:
        raise click.ClickException(f"employee_id {employee_id!r}: no such person")
    try:
        erased = erase_person(session, person)
    except NotLeft as refused:
        session.rollback()
        raise click.ClickException(str(refused)) from None
    session.commit()
    click.echo(f"{employee_id} erased: now {erased.pseudonym!r}; {erased.replaced} other value(s) rewritten")


@tandem_group.command("digest-start")
def digest_start_command() -> None:
    """Start the fortnightly participation digest for every manager who has none running."""
    from tandem.workflows.clock import SystemClock

    from .reports.subscriptions import start_digests

    session = current_app.appbuilder.session
    try:
        started = start_digests(session, SystemClock())
    except LookupError as error:
        session.rollback()
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"manager digest started for {started} manager(s)")


def _register_engine_commands() -> None:
    from .engine_cli import COMMANDS

    for command in COMMANDS:
        tandem_group.add_command(command)


_register_engine_commands()


def _register_matching_commands() -> None:
    from .matchmaking.cli import COMMANDS

    for command in COMMANDS:
        tandem_group.add_command(command)


_register_matching_commands()


class _NoBar:
    """Stands in for a progress bar when output is not a terminal."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, steps: int) -> None:
        """Ignore progress."""


class TandemCLI(FlaskGroup):
    """The ``tandem`` command: Flask's CLI for the standalone intranet with Tandem's commands on top."""

    def __init__(self) -> None:
        from .app import create_app

        super().__init__(
            create_app=lambda: create_app(),
            help="Tandem: mentoring programmes for your intranet.",
        )
        for name, command in tandem_group.commands.items():
            self.add_command(command, name)


def main() -> None:
    """Entry point of the ``tandem`` console script."""
    TandemCLI().main(prog_name="tandem")


if __name__ == "__main__":
    main()
