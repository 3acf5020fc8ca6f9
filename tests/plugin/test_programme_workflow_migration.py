"""Migration 0012 points every existing programme at the workflow definition it runs."""

from __future__ import annotations

from datetime import UTC, datetime

import flask_appbuilder.security.sqla.models  # noqa: F401 - FAB's tables, which Tandem's refer to
from flask_appbuilder import Model
from sqlalchemy import create_engine, text

from tandem.plugin.database import migrate
from tandem.workflows.builtin import builtin_definitions

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_existing_programmes_name_the_definition_that_ran_for_them(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    Model.metadata.create_all(engine, tables=[t for n, t in Model.metadata.tables.items() if n.startswith("ab_")])
    migrate(engine, "0009")
    sources = {d.name: d.source for d in builtin_definitions()}
    with engine.begin() as connection:
        for name, source in sources.items():
            connection.execute(
                text(
                    "INSERT INTO tandem_workflow_definition (name, version, title, source, active, created_by,"
                    " created_at) VALUES (:name, 1, :title, :source, 1, 'tandem', :now)"
                ),
                {"name": name, "title": name.replace("-", " ").title(), "source": source, "now": NOW},
            )
        programmes = [
            ("Onboarding buddies", "onboarding-buddies", None),  # by the YAML's programme: key
            ("Mentoring cohort", "mentoring-cohort", "free text HR once typed"),  # named nothing
            ("Autumn cohort", "autumn", " Mentoring-Cohort "),  # a name, loosely typed
            ("Circles", "circles", "Peer Circle"),  # a title
            ("Pilot", "pilot", None),  # nothing to go by
        ]
        for name, slug, workflow in programmes:
            connection.execute(
                text(
                    "INSERT INTO tandem_programme (name, slug, kind, status, description, workflow, enrolment_rules,"
                    " matching_settings, created_at) VALUES (:name, :slug, 'mentoring', 'active', '', :workflow,"
                    " '{}', '{}', :now)"
                ),
                {"name": name, "slug": slug, "workflow": workflow, "now": NOW},
            )
    migrate(engine, "0012")
    with engine.connect() as connection:
        chosen = dict(connection.execute(text("SELECT slug, workflow FROM tandem_programme")).all())
    engine.dispose()
    assert chosen == {
        "onboarding-buddies": "onboarding-buddy",
        "mentoring-cohort": "mentoring-cohort",
        "autumn": "mentoring-cohort",
        "circles": "peer-circle",
        "pilot": None,
    }
