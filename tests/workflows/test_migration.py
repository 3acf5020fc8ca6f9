"""Moving running instances to a new version: previewed for whom, applied only where the current step still fits."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from engine_support import buddy_programme, drain, post_event
from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import InstanceHistory, WorkflowDefinition, WorkflowInstance
from tandem.workflows.clock import FrozenClock
from tandem.workflows.migration import migrate, preview
from tandem.workflows.store import latest_version, save_definition

CLOCK = FrozenClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))


@pytest.fixture
def running(app):
    """One onboarding run on version 1, waiting at its check-in step."""
    org = build(app)
    buddy_programme(app, org)
    post_event(app, "employee.hired", "E4", "hire-1")
    drain(app, CLOCK)
    return org


def save_variant(app, old, new):
    with app.app_context():
        session = app.appbuilder.session
        source = latest_version(session, "onboarding-buddy").source
        row, created = save_definition(session, source.replace(old, new))
        session.commit()
        assert created
        return row.version


def instance_version(app):
    with app.app_context():
        return app.appbuilder.session.scalar(
            select(WorkflowDefinition.version).join(
                WorkflowInstance, WorkflowInstance.definition_id == WorkflowDefinition.id
            )
        )


def test_a_run_whose_step_still_fits_is_previewed_and_moved(app, running):
    save_variant(app, "times: 6", "times: 8")
    with app.app_context():
        session = app.appbuilder.session
        [move] = preview(session, "onboarding-buddy")
        assert move.possible
        assert move.current_step == "step 4: check-in between newcomer and buddy"
        assert move.outcome == "continues at step 4: check-in between newcomer and buddy under version 2"
        assert instance_version(app) == 1
        migrate(session, "onboarding-buddy", CLOCK, by="hr")
        session.commit()
        assert session.scalar(select(InstanceHistory.signal).order_by(InstanceHistory.id.desc())) == (
            "migrated v1 → v2 by hr"
        )
    assert instance_version(app) == 2


def test_a_run_whose_step_changed_kind_stays_on_its_version(app, running):
    save_variant(app, "  - check_in:", "  - notify: {to: [newcomer], template: onboarding/tips}\n  - check_in:")
    with app.app_context():
        session = app.appbuilder.session
        [move] = preview(session, "onboarding-buddy")
        assert not move.possible
        assert move.outcome == "stays on version 1: step 4 is now notify newcomer"
        assert migrate(session, "onboarding-buddy", CLOCK, by="hr") == []
    assert instance_version(app) == 1


def test_hr_previews_and_confirms_the_move_in_the_admin(app, running):
    save_variant(app, "times: 6", "times: 8")
    client = app.test_client()
    login(client, "hr")
    page = client.get("/mentoring/workflow-editor/onboarding-buddy/migrate").get_data(as_text=True)
    assert "Dev1" in page and "continues at step 4" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/mentoring/workflow-editor/onboarding-buddy/migrate", data={"csrf_token": token})
    assert response.status_code == 302
    assert instance_version(app) == 2
