"""Claiming due timers: nothing early, nothing twice, and an expired lease is claimed again."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tandem.plugin.models import Timer
from tandem.workflows.clock import FrozenClock
from tandem.workflows.scheduler import claim_due

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def add_timers(app, how_many, due=NOW):
    with app.app_context():
        session = app.appbuilder.session
        rows = [{"dedupe_key": f"t{i}", "key": f"t{i}", "due_at": due, "status": "pending"} for i in range(how_many)]
        session.execute(insert(Timer), rows)
        session.commit()


def test_only_due_timers_are_claimed(app):
    add_timers(app, 3, due=NOW + timedelta(minutes=1))
    with app.app_context():
        session = app.appbuilder.session
        assert claim_due(session, FrozenClock(NOW), "a") == []
        assert len(claim_due(session, FrozenClock(NOW + timedelta(minutes=1)), "a")) == 3


def test_a_claimed_timer_is_not_claimed_again_until_its_lease_expires(app):
    add_timers(app, 1)
    with app.app_context():
        session = app.appbuilder.session
        first = claim_due(session, FrozenClock(NOW), "a", lease=timedelta(minutes=5))
        assert claim_due(session, FrozenClock(NOW + timedelta(minutes=4)), "b") == []
        assert claim_due(session, FrozenClock(NOW + timedelta(minutes=6)), "b") == first
        assert session.scalar(select(Timer.claimed_by)) == "b"


@pytest.mark.postgres
def test_two_schedulers_on_postgresql_never_claim_the_same_timer(app, postgres_engine):
    engine = postgres_engine
    add_timers(app, 5000)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def scheduler(owner: str) -> None:
        start.wait()
        with Session(engine) as session:
            while ids := claim_due(session, FrozenClock(NOW), owner, limit=100):
                claimed[owner] += ids

    threads = [threading.Thread(target=scheduler, args=(owner,)) for owner in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(claimed["a"]) & set(claimed["b"])
    assert len(claimed["a"]) + len(claimed["b"]) == 5000
    assert claimed["a"] and claimed["b"], "both schedulers should have claimed a share"
