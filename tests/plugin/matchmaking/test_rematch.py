"""Rematching: ending a pair as not a fit, and the quiet-pair sweep's warning and closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tandem.plugin.errors import NotAllowed
from tandem.plugin.matchmaking.cli import rematch_command
from tandem.plugin.matchmaking.rematch import end_early, sweep_quiet_pairs
from tandem.plugin.matchmaking.review import run_matching
from tandem.plugin.models import CheckIn, Event, Notification, Pairing, Person, Programme
from tandem.workflows.clock import FrozenClock
from tandem.workflows.service import run_sweeps as scheduler_sweep

START = datetime(2026, 9, 1, 9, tzinfo=UTC)


def running_pair(app, cohort, answered_at: datetime | None = None) -> int:
    """junior1 with outsider1 since START, optionally with one answered check-in."""
    with app.app_context():
        session = app.appbuilder.session
        pairing = Pairing(
            programme_id=cohort["programme"],
            mentee_id=cohort["junior1"],
            mentor_id=cohort["outsider1"],
            status="active",
            proposed_at=START,
            started_at=START,
        )
        session.add(pairing)
        session.flush()
        if answered_at is not None:
            session.add(
                CheckIn(
                    pairing=pairing,
                    respondent_id=cohort["junior1"],
                    due_at=answered_at,
                    completed_at=answered_at,
                    status="completed",
                    rating=2,
                )
            )
        session.commit()
        return pairing.id


def templates_sent(app, template: str) -> list[int]:
    with app.app_context():
        session = app.appbuilder.session
        return sorted(session.scalars(select(Notification.recipient_id).where(Notification.template == template)))


def test_a_pair_can_end_as_not_a_fit_after_its_first_check_in_and_the_mentee_returns_to_the_pool(app, cohort):
    pairing_id = running_pair(app, cohort, answered_at=START + timedelta(weeks=2))
    with app.app_context():
        session = app.appbuilder.session
        pairing = session.get(Pairing, pairing_id)
        clock = FrozenClock(START + timedelta(weeks=3))
        end_early(session, pairing, session.get(Person, cohort["junior1"]), "different expectations", clock)
        session.commit()
        assert (pairing.status, pairing.end_reason) == ("closed", "not a fit: different expectations")
        assert session.scalars(select(Event.type).where(Event.type == "pairing.closed")).all() == ["pairing.closed"]
        run = run_matching(session, session.get(Programme, cohort["programme"]))
        again = {p.mentee_id: p.mentor_id for p in run.proposals}
        assert again[cohort["junior1"]] != cohort["outsider1"]  # back in the pool, never the same pair
    assert templates_sent(app, "matching/pairing-ended") == sorted([cohort["junior1"], cohort["outsider1"]])


def test_ending_before_the_first_conversation_is_refused(app, cohort):
    pairing_id = running_pair(app, cohort)
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(NotAllowed, match="first check-in"):
            end_early(
                session,
                session.get(Pairing, pairing_id),
                session.get(Person, cohort["junior1"]),
                "",
                FrozenClock(START),
            )
        assert session.get(Pairing, pairing_id).status == "active"


def test_a_quiet_pair_is_warned_then_closed_after_the_grace_period(app, cohort):
    pairing_id = running_pair(app, cohort, answered_at=START + timedelta(weeks=1))
    with app.app_context():
        session = app.appbuilder.session
        early = sweep_quiet_pairs(session, FrozenClock(START + timedelta(weeks=5)))
        assert (early.warned, early.closed) == ([], [])
        warned = sweep_quiet_pairs(session, FrozenClock(START + timedelta(weeks=8)))
        session.commit()
        assert warned.warned == [pairing_id]
        again = sweep_quiet_pairs(session, FrozenClock(START + timedelta(weeks=8, days=1)))
        assert (again.warned, again.closed) == ([], [])  # warned once, not every pass
        closed = sweep_quiet_pairs(session, FrozenClock(START + timedelta(weeks=10, days=1)))
        session.commit()
        assert closed.closed == [pairing_id]
        assert session.get(Pairing, pairing_id).end_reason.startswith("quiet")
    both = sorted([cohort["junior1"], cohort["outsider1"]])
    assert templates_sent(app, "matching/quiet-warning") == both
    assert templates_sent(app, "matching/pairing-ended") == both


def test_a_check_in_answered_after_the_warning_clears_it(app, cohort):
    pairing_id = running_pair(app, cohort, answered_at=START + timedelta(weeks=1))
    with app.app_context():
        session = app.appbuilder.session
        sweep_quiet_pairs(session, FrozenClock(START + timedelta(weeks=8)))
        pairing = session.get(Pairing, pairing_id)
        session.add(
            CheckIn(
                pairing=pairing,
                respondent_id=cohort["junior1"],
                sequence=2,
                due_at=START + timedelta(weeks=8, days=2),
                completed_at=START + timedelta(weeks=8, days=2),
                status="completed",
            )
        )
        session.commit()
        result = sweep_quiet_pairs(session, FrozenClock(START + timedelta(weeks=10, days=1)))
        assert (result.cleared, result.closed) == ([pairing_id], [])
        assert session.get(Pairing, pairing_id).status == "active"


def test_the_schedulers_hourly_sweep_warns_quiet_pairs(app, cohort):
    pairing_id = running_pair(app, cohort, answered_at=START + timedelta(weeks=1))
    scheduler_sweep(app, FrozenClock(START + timedelta(weeks=8)))
    with app.app_context():
        assert app.appbuilder.session.get(Pairing, pairing_id).warned_at is not None


def test_tandem_rematch_warns_a_pair_quiet_for_ten_weeks_now(app, cohort):
    pairing_id = running_pair(app, cohort, answered_at=datetime.now(UTC) - timedelta(weeks=10))
    result = app.test_cli_runner().invoke(rematch_command, [])
    assert result.exit_code == 0 and result.output.startswith("warned 1, closed 0"), result.output
    with app.app_context():
        assert app.appbuilder.session.get(Pairing, pairing_id).warned_at is not None
