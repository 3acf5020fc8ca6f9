"""Migration 0019 hands the outbox's channel to the registry: any registered name fits, the other constraints stay."""

from __future__ import annotations

from datetime import UTC, datetime

import flask_appbuilder.security.sqla.models  # noqa: F401 - FAB's tables, which Tandem's refer to
import pytest
from alembic import command
from flask_appbuilder import Model
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from tandem.plugin.database import alembic_config, migrate

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    return request.getfixturevalue("postgresql_server").clone_database("template0", "tandem_channels")


def notification(connection, key: str, channel: str, status: str = "queued") -> None:
    connection.execute(
        text(
            "INSERT INTO tandem_notification (recipient_id, channel, template, context, idempotency_key, status,"
            " attempts, error, created_at) VALUES (1, :channel, 'checkin/prompt', '{}', :key, :status, 0, '', :now)"
        ),
        {"channel": channel, "key": key, "status": status, "now": NOW},
    )


def test_after_0019_a_newly_registered_channel_fits_the_outbox_and_the_other_checks_still_hold(empty_url):
    engine = create_engine(empty_url)
    Model.metadata.create_all(engine, tables=[t for n, t in Model.metadata.tables.items() if n.startswith("ab_")])
    migrate(engine, "0012")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO tandem_person (id, employee_id, full_name, email, department, title, location, country,"
                " timezone, status, seniority, remote, skills, interests, languages, created_at, updated_at)"
                " VALUES (1, 'E1', 'Chloé', 'chloe@example.org', '', '', '', 'DE', 'UTC', 'active', 0, false,"
                " '[]', '[]', '[]', :now, :now)"
            ),
            {"now": NOW},
        )
        notification(connection, "before", "email")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        notification(connection, "refused", "sms")

    migrate(engine, "0019")
    with engine.begin() as connection:
        notification(connection, "after", "sms")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        notification(connection, "bad-status", "email", status="lost")
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT idempotency_key, channel FROM tandem_notification")).all())
    assert rows == {"before": "email", "after": "sms"}

    with engine.begin() as connection:
        connection.execute(text("DELETE FROM tandem_notification WHERE channel = 'sms'"))
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        notification(connection, "refused-again", "sms")
    engine.dispose()
