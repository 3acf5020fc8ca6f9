"""The import task's bookkeeping: a lapsed lease, a queue nobody serves, the hourly sweep, repeated messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from organisation import build
from sqlalchemy import select

from tandem.plugin.directory.jobs import QUEUE_WAIT, run_import, settle_one, sweep_stalled_imports
from tandem.plugin.directory.uploads import preview_upload
from tandem.plugin.models import ImportUpload
from tandem.workflows.clock import FrozenClock

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
GOOD = "employee_id,name,email,timezone,manager_id\nN1,Nova Newcomer,nova@example.org,Europe/Lisbon,E3\n"


def kept(app, status: str, lease_until: datetime) -> int:
    """An upload of one newcomer with ``status``, its lease (or queue deadline) at ``lease_until``."""
    with app.app_context():
        session = app.appbuilder.session
        preview_upload(session, 1, "people.csv", GOOD, NOW)
        upload = session.scalars(select(ImportUpload).order_by(ImportUpload.id.desc())).first()
        upload.queue()
        if status == "running":
            upload.start(lease_until)
        upload.lease_until = lease_until
        session.commit()
        return upload.id


def test_the_hourly_sweep_fails_a_lapsed_run_and_a_queue_nobody_served_and_leaves_live_ones(app):
    build(app)
    lease = timedelta(seconds=60)
    dead = kept(app, "running", NOW - 3 * lease)
    alive = kept(app, "running", NOW + lease)
    unserved = kept(app, "queued", NOW - timedelta(minutes=1))
    waiting = kept(app, "queued", NOW + QUEUE_WAIT)
    with app.app_context():
        session = app.appbuilder.session
        assert sweep_stalled_imports(session, FrozenClock(NOW)) == "failed 2 stalled import(s)"
        session.commit()
        status = dict(session.execute(select(ImportUpload.id, ImportUpload.status)).all())
        assert [status[i] for i in (dead, alive, unserved, waiting)] == ["failed", "running", "failed", "queued"]
        assert "is `tandem worker` running?" in session.get(ImportUpload, unserved).result["stopped"]


def test_a_repeated_message_for_a_done_import_and_a_lapsed_run_taken_over_import_once(app):
    build(app)
    upload_id = kept(app, "running", NOW - timedelta(seconds=1))  # its worker died a moment ago
    with app.app_context():
        session = app.appbuilder.session
        assert settle_one(session, upload_id, NOW).status == "running", "a redelivered message may still take over"
        session.rollback()
        run_import(session, upload_id, FrozenClock(NOW))
        upload = session.get(ImportUpload, upload_id)
        assert (upload.status, upload.attempt, upload.result["created"]) == ("done", 2, 1)
        run_import(session, upload_id, FrozenClock(NOW))
        assert session.get(ImportUpload, upload_id).attempt == 2, "a done import is never run again"
