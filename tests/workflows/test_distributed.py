"""Production shape: PostgreSQL, RabbitMQ, a `tandem scheduler` and two `tandem worker` processes.

Crashes lose and double nothing: a worker killed with SIGKILL mid-run, and
RabbitMQ restarted mid-run.
"""

from __future__ import annotations

import uuid

import pytest
from conftest import ON_POSTGRES, close_app, make_app
from engine_support import buddy_programme, count, post_event
from organisation import build
from processes import Processes, wait_until
from sqlalchemy import func, insert, select, update

from tandem.plugin.models import Notification, Person, Timer, WorkflowDefinition, WorkflowInstance
from tandem.workflows.clock import SystemClock
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.store import save_definition

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.rabbitmq,
    pytest.mark.skipif(not ON_POSTGRES, reason="production-shaped: runs in the py311-postgres env"),
]

FAST_ONBOARDING = """
workflow: onboarding-fast
trigger: employee.hired
subject: newcomer
programme: onboarding-buddies
steps:
  - match: {role: buddy}
  - notify: {to: [newcomer, buddy], template: onboarding/introduction}
  - check_in: {between: [newcomer, buddy], every: 2 seconds, times: 2}
  - notify: {to: [newcomer, buddy], template: onboarding/wrap-up}
"""
PING = """
workflow: ping
subject: person
steps:
  - wait: {for: 1 second}
  - notify: {to: [person], template: test/ping}
"""


@pytest.fixture
def cluster(postgresql_server, rabbitmq_server, tmp_path):
    """A fresh database, the shared RabbitMQ, and a way to start tandem processes on them."""
    url = postgresql_server.create_database(f"tandem_{uuid.uuid4().hex[:12]}")
    processes = Processes(
        {
            "TANDEM_DATABASE_URL": url,
            "TANDEM_BROKER_URL": rabbitmq_server.url,
            "TANDEM_DATA_DIR": str(tmp_path / "var"),
            "TANDEM_SECRET_KEY": "distributed-test-secret-key",
            "TANDEM_SCHEDULER_INTERVAL": "0.2",
            "TANDEM_TIMER_LEASE_SECONDS": "20",
        },
        tmp_path,
    )
    processes.run("init")
    app = make_app(url)
    yield app, processes, rabbitmq_server
    processes.stop_all()
    close_app(app)


def only_definition(app, text):
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(WorkflowDefinition).values(active=False))
        row, _ = save_definition(session, text)
        session.commit()
        return row.id


def test_a_posted_hire_runs_through_two_schedulers_and_two_workers_to_the_wrap_up(cluster):
    app, processes, _ = cluster
    org = build(app)
    buddy_programme(app, org)
    only_definition(app, FAST_ONBOARDING)
    processes.start("scheduler-1", "scheduler")
    processes.start("scheduler-2", "scheduler")
    processes.start("worker-1", "worker", "--threads", "2")
    processes.start("worker-2", "worker", "--threads", "2")
    assert post_event(app, "employee.hired", "E4", "hris-7") == 201
    wait_until(
        lambda: count(app, WorkflowInstance, WorkflowInstance.status == "completed") == 1,
        90,
        "the onboarding to complete:\n" + processes.log("worker-1"),
    )
    with app.app_context():
        templates = app.appbuilder.session.execute(
            select(Notification.template, func.count())
            .where(Notification.idempotency_key.like("wf:%"))
            .group_by(Notification.template)
        ).all()
    assert dict(templates) == {"onboarding/introduction": 2, "checkin/prompt": 4, "onboarding/wrap-up": 2}


def start_pings(app, how_many):
    """``how_many`` people, each with a ping instance whose one-second wait falls due together."""
    definition_id = only_definition(app, PING)
    with app.app_context():
        session = app.appbuilder.session
        session.execute(
            insert(Person),
            [
                {"employee_id": f"P{i}", "full_name": f"Person {i}", "email": f"p{i}@example.org", "timezone": "UTC"}
                for i in range(how_many)
            ],
        )
        row = session.get(WorkflowDefinition, definition_id)
        engine = WorkflowRunner(session, SystemClock())
        for person in session.scalars(select(Person).order_by(Person.id)):
            engine.start(row, person)
        session.commit()


def pings_sent(app):
    return count(app, Notification, Notification.template == "test/ping")


def everything_done(app, how_many):
    return pings_sent(app) >= how_many and count(app, Timer, Timer.status != "done") == 0


def run_pings_until_a_hundred(app, processes, how_many=1000):
    """Start ``how_many`` ping steps, two workers and a scheduler; return once a hundred are through."""
    start_pings(app, how_many)
    processes.start("worker-1", "worker", "--threads", "4")
    processes.start("worker-2", "worker", "--threads", "4")
    processes.start("scheduler", "scheduler")
    wait_until(lambda: pings_sent(app) >= 100, 120, "the first hundred pings")


def assert_each_ping_once(app, how_many=1000):
    assert pings_sent(app) == how_many
    assert count(app, WorkflowInstance, WorkflowInstance.status == "completed") == how_many


def test_killing_a_worker_mid_run_loses_and_doubles_nothing(cluster):
    app, processes, _ = cluster
    run_pings_until_a_hundred(app, processes)
    processes.kill("worker-1")
    processes.start("worker-1b", "worker", "--threads", "4")
    wait_until(lambda: everything_done(app, 1000), 180, "all 1000 pings after the kill")
    assert_each_ping_once(app)


def test_restarting_rabbitmq_mid_run_loses_and_doubles_nothing(cluster):
    app, processes, rabbit = cluster
    run_pings_until_a_hundred(app, processes)
    rabbit.stop()
    rabbit.start()
    wait_until(lambda: everything_done(app, 1000), 240, "all 1000 pings after RabbitMQ restarted")
    assert_each_ping_once(app)
