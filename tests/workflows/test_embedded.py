"""The embedded default (`make demo`): workers and the scheduler inside the web process, no RabbitMQ."""

from __future__ import annotations

import pytest
from engine_support import buddy_programme, count, post_event
from organisation import build
from processes import wait_until

from tandem.plugin.models import Notification, WorkflowInstance
from tandem.workflows.service import start_workers


@pytest.fixture
def runtime(app):
    app.config["TANDEM_SCHEDULER_INTERVAL"] = 0.1
    runtime = start_workers(app, threads=2, url="")
    yield runtime
    runtime.stop()


def test_a_posted_hire_is_introduced_by_the_in_process_runtime(app, runtime):
    org = build(app)
    buddy_programme(app, org)
    assert post_event(app, "employee.hired", "E4", "embedded-1") == 201
    wait_until(
        lambda: count(app, Notification, Notification.template == "onboarding/introduction") == 2,
        30,
        "the introductions from the embedded runtime",
    )
    assert count(app, WorkflowInstance, WorkflowInstance.status == "running") == 1
