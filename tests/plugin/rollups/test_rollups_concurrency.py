"""On PostgreSQL, transactions answering check-ins of the same people at the same moment keep the sums whole."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from report_data import NOW, build
from sqlalchemy import select
from test_rollups_kept import assert_kept_equals_rebuilt

from tandem.plugin.models import CheckIn, Pairing


@contextmanager
def own_session(app):
    """A session of the app's own factory, the one the report tracking listens to."""
    with app.app_context(), app.appbuilder.session.session_factory() as session:
        yield session


@pytest.mark.postgres
def test_one_persons_check_ins_answered_at_once_from_two_sides_neither_deadlock_nor_lose_a_count(app, postgres_engine):
    assert postgres_engine.dialect.name == "postgresql"
    build(app)
    with own_session(app) as session:  # twenty open check-ins of one mentee, answered from two sides at once
        pairing = session.scalars(select(Pairing).order_by(Pairing.id).limit(1)).one()
        added = [
            CheckIn(pairing_id=pairing.id, respondent_id=pairing.mentee_id, sequence=100 + n, due_at=NOW, status="open")
            for n in range(20)
        ]
        session.add_all(added)
        session.commit()
        open_ids = [checkin.id for checkin in added]
    start, errors = threading.Barrier(2), []

    def answer(ids: list[int]) -> None:
        start.wait()
        try:
            for checkin_id in ids:
                with own_session(app) as session:
                    checkin = session.get(CheckIn, checkin_id)
                    checkin.status, checkin.rating, checkin.completed_at = "completed", 3, NOW
                    session.commit()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(open_ids[half::2],)) for half in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with own_session(app) as session:
        assert session.scalars(select(CheckIn.status).where(CheckIn.id.in_(open_ids))).all() == ["completed"] * len(
            open_ids
        )
    assert_kept_equals_rebuilt(app)
