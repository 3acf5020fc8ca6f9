"""Publishing a run starts the programme's workflow for every pair, which introduces them."""

from __future__ import annotations

from datetime import UTC, datetime

from engine_support import drain
from sqlalchemy import select

from tandem.plugin.matchmaking.review import accept_all, publish, run_matching
from tandem.plugin.models import Notification, Pairing, Programme, WorkflowInstance
from tandem.workflows.clock import FrozenClock

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def published(app, cohort) -> list[int]:
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, cohort["programme"]), author="hr")
        accept_all(run)
        ids = [p.id for p in publish(session, run)]
        session.commit()
        return ids


def test_a_published_pair_is_introduced_by_the_programmes_workflow(app, cohort):
    pairing_ids = published(app, cohort)
    drain(app, FrozenClock(MONDAY))
    with app.app_context():
        session = app.appbuilder.session
        pairings = session.scalars(select(Pairing).where(Pairing.id.in_(pairing_ids))).all()
        assert {p.status for p in pairings} == {"active"}
        runs = session.scalars(select(WorkflowInstance)).all()
        assert sorted(r.state["context"]["pairing_id"] for r in runs) == sorted(pairing_ids)
        introduced = session.scalars(
            select(Notification.recipient_id).where(Notification.template == "mentoring/introduction")
        ).all()
        everyone = {cohort[name] for name in ("junior1", "junior2", "outsider1", "outsider2")}
        assert sorted(introduced) == sorted(everyone)


def test_the_workflow_adopts_the_published_pair_instead_of_matching_again(app, cohort):
    pairing_ids = published(app, cohort)
    drain(app, FrozenClock(MONDAY))
    with app.app_context():
        assert len(app.appbuilder.session.scalars(select(Pairing)).all()) == len(pairing_ids)


def test_a_pair_declined_before_its_introduction_is_not_introduced(app, cohort):
    pairing_ids = published(app, cohort)
    with app.app_context():
        session = app.appbuilder.session
        session.get(Pairing, pairing_ids[0]).transition("decline", MONDAY, "changed teams")
        session.commit()
    drain(app, FrozenClock(MONDAY))
    with app.app_context():
        session = app.appbuilder.session
        declined = session.get(Pairing, pairing_ids[0])
        assert declined.status == "declined"
        introduced = session.scalars(
            select(Notification.recipient_id).where(Notification.template == "mentoring/introduction")
        ).all()
        assert declined.mentee_id not in introduced
