"""``tandem match PROGRAMME [--dry-run] [--publish]`` and ``tandem rematch``: matching from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from tandem.workflows.clock import SystemClock
from tandem.workflows.matching.settings import CRITERION_LABELS

from ..errors import SelfServiceError
from ..models import Person
from ..portable import id_set
from .rematch import sweep_quiet_pairs
from .review import accept_all, find_programme, publish_run, run_matching


@click.command("match")
@click.argument("programme")
@click.option("--dry-run", is_flag=True, help="Print the proposals and the unmatched; save nothing.")
@click.option("--publish", "publish_now", is_flag=True, help="Accept every proposal and publish at once.")
@with_appcontext
def match_command(programme: str, dry_run: bool, publish_now: bool) -> None:
    """Match PROGRAMME (slug, name or id) optimally; saves a draft for HR review unless --dry-run."""
    session = current_app.appbuilder.session
    try:
        found = find_programme(session, programme)
        run = run_matching(session, found, author="cli")
    except SelfServiceError as error:
        session.rollback()
        raise click.ClickException(f"{error.field}: {error.message}" if error.field else error.message) from None
    ids = {p.mentee_id for p in run.proposals} | {p.mentor_id for p in run.proposals}
    ids |= {u["person_id"] for u in run.unmatched}
    names = dict(
        session.execute(select(Person.id, Person.full_name).where(id_set(session, sorted(ids))(Person.id))).all()
    )
    if run.circles:
        click.echo(f"{found.name}: {len(run.circles)} circle(s), total score {run.total_score}")
        for circle in run.circles:
            people = ", ".join(m.person.full_name for m in circle.members)
            click.echo(f"  {circle.name} (score {circle.score}): {people}")
    else:
        click.echo(f"{found.name}: {len(run.proposals)} proposal(s), total score {run.total_score}")
    for proposal in sorted(run.proposals, key=lambda p: (names[p.mentor_id], names[p.mentee_id])):
        why = ", ".join(f"{CRITERION_LABELS[k]} {v}" for k, v in proposal.breakdown.items() if v)
        click.echo(f"  {names[proposal.mentor_id]} → {names[proposal.mentee_id]}  score {proposal.score}  ({why})")
    if run.unmatched:
        click.echo(f"unmatched: {len(run.unmatched)}")
        for entry in run.unmatched:
            click.echo(f"  {names.get(entry['person_id'], entry['person_id'])}: {entry['reason']}")
    if dry_run:
        session.rollback()
        click.echo("dry run: nothing saved")
        return
    if publish_now and (run.proposals or run.circles):
        accept_all(run)
        click.echo(publish_run(session, run, SystemClock()))
    else:
        click.echo(f"saved draft run {run.id} for review")
    session.commit()


@click.command("rematch")
@with_appcontext
def rematch_command() -> None:
    """Warn quiet pairs and close those still quiet after the notice (the scheduler also does this hourly)."""
    session = current_app.appbuilder.session
    result = sweep_quiet_pairs(session, SystemClock())
    session.commit()
    click.echo(f"warned {len(result.warned)}, closed {len(result.closed)}, cleared {len(result.cleared)}")


COMMANDS = [match_command, rematch_command]
