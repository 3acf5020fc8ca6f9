"""What the features register with the engine reaches every process: the web app, the embedded workers and
a ``tandem worker`` started from the command line."""

from __future__ import annotations

import pytest
from engine_support import count
from organisation import build
from processes import Processes, wait_until
from sqlalchemy import select, update

from tandem.plugin.models import Notification, Person, WorkflowDefinition, WorkflowInstance
from tandem.workflows.actors import declare
from tandem.workflows.broker import make_broker
from tandem.workflows.clock import SystemClock
from tandem.workflows.extensions import extensions
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.service import schedule_once
from tandem.workflows.store import save_definition

TELL_HR = """
workflow: tell-hr
subject: person
steps:
  - wait: {for: 1 second}
  - notify: {to: [hr, manager], template: test/ping}
"""
PING = Notification.template == "test/ping"


def test_every_app_registers_the_role_resolvers_the_digest_numbers_the_reasons_the_sweeps_and_the_import_task(app):
    registry = extensions(app)
    assert set(registry.recipients) == {"hr", "manager"}
    assert set(registry.notification_context) == {"manager/digest", "onboarding/introduction", "mentoring/introduction"}
    assert set(registry.sweeps) == {"quiet pairs", "stalled imports"}
    assert set(registry.tasks) == {"directory import"}
    assert set(declare(make_broker(None), app).tasks) == {"directory import"}, "every broker gets the task's actor"


def start_tell_hr(app, person_id: int) -> None:
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(WorkflowDefinition).values(active=False))
        row, _ = save_definition(session, TELL_HR)
        WorkflowRunner(session, SystemClock()).start(row, session.get(Person, person_id))
        session.commit()


@pytest.mark.rabbitmq
def test_a_worker_started_from_the_cli_tells_hr_and_the_line_manager(app, rabbitmq_url, tmp_path):
    org = build(app)
    start_tell_hr(app, org.people["dev1"])
    app.config["TANDEM_DELIVERY_PAUSED"] = True  # only the step's notification rows matter here
    processes = Processes(
        {
            "TANDEM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "TANDEM_BROKER_URL": rabbitmq_url,
            "TANDEM_DATA_DIR": str(tmp_path / "var"),
            "TANDEM_SECRET_KEY": "worker-extension-test-secret-key",
        },
        tmp_path,
    )
    broker = make_broker(rabbitmq_url)
    actors = declare(broker, app)
    processes.start("worker", "worker", "--threads", "1")
    try:

        def notified() -> bool:
            schedule_once(app, actors, SystemClock(), "test")
            return count(app, Notification, PING) >= 2

        wait_until(notified, 60, "the worker's notify step:\n" + processes.log("worker"))
    finally:
        processes.stop_all()
        broker.close()
    with app.app_context():
        session = app.appbuilder.session
        recipients = session.scalars(select(Notification.recipient_id).where(PING).order_by(Notification.id)).all()
        manager = session.get(Person, org.people["dev1"]).manager_id
        assert session.scalar(select(WorkflowInstance.status)) == "completed"
    assert sorted(recipients) == sorted([org.people["hrp"], manager])
