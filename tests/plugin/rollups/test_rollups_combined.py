"""On PostgreSQL a refresh is the lock and one combined statement, and a mixed run of changes through it keeps the
kept numbers equal to a rebuild."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from report_data import NOW, build
from sqlalchemy import event, select, update
from test_rollups_kept import assert_kept_equals_rebuilt

from tandem.plugin.models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Pairing, Person, SubtreeStat


@contextmanager
def statements_of(app: Flask) -> Iterator[list[str]]:
    """The SQL of every statement the app's database runs inside the block."""
    engine = app.appbuilder.session.get_bind()
    seen: list[str] = []

    def note(_connection: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(" ".join(sql.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def refresh_of(app: Flask, change: Callable[[Any], None]) -> list[str]:
    """Make ``change`` in a transaction; the statements its commit ran, from the refresh's lock on."""
    with app.app_context():
        session = app.appbuilder.session
        change(session)
        session.flush()
        with statements_of(app) as seen:
            session.commit()
    locks = [index for index, sql in enumerate(seen) if "FOR NO KEY UPDATE" in sql]
    assert locks, "the refresh locks the people it recounts"
    return seen[locks[0] :]


def no_zero_sums(app: Flask) -> bool:
    """A rebuild never writes a zero sum, so the kept data holds none either (the comparison ignores them)."""
    with app.app_context():
        return app.appbuilder.session.scalar(select(SubtreeStat.root_id).where(SubtreeStat.value == 0)) is None


def open_check_in(session: Any, index: int = 0) -> CheckIn:
    return session.scalars(select(CheckIn).where(CheckIn.status == "open").order_by(CheckIn.id)).all()[index]


@pytest.mark.postgres
def test_answers_misses_enrolments_and_moves_through_the_combined_statement_keep_every_number(app: Flask) -> None:
    with app.app_context():
        if app.appbuilder.session.get_bind().dialect.name != "postgresql":
            pytest.skip("the combined statement is PostgreSQL's (SQLite keeps the portable path): py311-postgres")
    seeded = build(app)

    def answer(session: Any) -> None:
        checkin = open_check_in(session)
        checkin.status, checkin.rating, checkin.completed_at = "completed", 2, NOW

    def miss(session: Any) -> None:
        open_check_in(session, 1).status = "missed"

    def withdraw(session: Any) -> None:
        enrolment = session.scalars(select(Enrolment).where(Enrolment.status == "active").order_by(Enrolment.id))
        enrolment.first().status = "opted_out"

    def end_pairings(session: Any) -> None:  # bulk: one mentor's pairings close, mentees' and mentor's numbers move
        live = session.scalars(select(Pairing).where(Pairing.status == "active").order_by(Pairing.id)).first()
        session.execute(update(Pairing).where(Pairing.mentor_id == live.mentor_id).values(status="closed"))

    def acknowledge(session: Any) -> None:
        done = select(Acknowledgement.person_id)
        person = session.scalars(select(Person.id).where(Person.id.not_in(done)).order_by(Person.id)).first()
        item = session.scalars(select(CampaignItem).order_by(CampaignItem.id)).first()
        session.add(Enrolment(programme_id=item.programme_id, person_id=person, role="participant"))
        session.add(Acknowledgement(item_id=item.id, person_id=person))

    zeros_dropped = 0
    for change in (answer, miss, withdraw, end_pairings, acknowledge, answer, miss):
        ran = refresh_of(app, change)
        combined = [sql for sql in ran if sql.startswith("WITH") and "INSERT INTO tandem_subtree_stat" in sql]
        assert len(combined) == 1, ran  # one statement writes statistics, sums and progress
        assert len(ran) <= 3, ran  # lock, the statement, and at most a delete of sums it brought to zero
        zeros_dropped += sum(sql.startswith("DELETE FROM tandem_subtree_stat") for sql in ran)
        assert_kept_equals_rebuilt(app)
        assert no_zero_sums(app)
    assert zeros_dropped, "some change brought a manager's sum to zero, and its row went"

    with app.app_context():  # a manager change takes the general path; later answers of the moved team count anew
        session = app.appbuilder.session
        session.get(Person, seeded.people["lead_a"]).manager_id = seeded.people["outsider"]
        session.commit()
    assert_kept_equals_rebuilt(app)
    team = [seeded.people[name] for name in ("a1", "a2", "a3", "a4", "a5", "a6")]

    def answer_in_moved_team(session: Any) -> None:
        checkin = session.scalars(
            select(CheckIn).where(CheckIn.status == "open", CheckIn.respondent_id.in_(team)).order_by(CheckIn.id)
        ).first()
        if checkin is None:
            pairing = session.scalars(select(Pairing).where(Pairing.mentee_id.in_(team)).order_by(Pairing.id)).first()
            checkin = CheckIn(pairing=pairing, respondent_id=pairing.mentee_id, sequence=77, due_at=NOW, status="open")
            session.add(checkin)
        checkin.status, checkin.rating, checkin.completed_at = "completed", 5, NOW

    ran = refresh_of(app, answer_in_moved_team)
    assert len(ran) <= 3, ran
    assert_kept_equals_rebuilt(app)
    assert no_zero_sums(app)
