"""Shared fixtures: a fresh app and database per test (SQLite, or PostgreSQL in tox's postgres env).

Set ``TANDEM_TEST_DATABASE=postgres`` to run every test on a private
PostgreSQL server started by ``services.py``. App contexts are opened only
for setup and checks, never held across test-client requests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from tandem.plugin.app import create_app
from tandem.plugin.bootstrap import initialise

pytest_plugins = ["services", "browser", "matching_support"]

ON_POSTGRES = os.environ.get("TANDEM_TEST_DATABASE") == "postgres"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """An empty database for one test."""
    if not ON_POSTGRES:
        return f"sqlite:///{tmp_path / 'tandem.db'}"
    url = request.getfixturevalue("postgresql_url")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def make_app(database_url: str, **config: Any) -> Flask:
    """A Tandem intranet on ``database_url``, initialised as ``tandem init`` would."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret-key-of-sufficient-length",
            "TESTING": True,
            **config,
        }
    )
    with app.app_context():
        initialise(app)
    return app


@pytest.fixture
def postgres_engine(app: Flask) -> Any:
    """The app's engine, for tests of PostgreSQL's own concurrency (row locks, SKIP LOCKED); skipped on SQLite."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL concurrency property: the py311-postgres env runs this")
    return engine


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """A fresh, initialised Tandem intranet."""
    app = make_app(database_url)
    yield app
    with app.app_context():
        app.appbuilder.session.remove()
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.fixture(scope="module")
def shared_organisation(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """One app with ``organisation.build``'s people and logins for a whole module whose tests only read,
    on SQLite whatever the test database (for properties of the web layer, not of the database)."""
    from organisation import build

    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('organisation') / 'tandem.db'}")
    build(app)
    return app
