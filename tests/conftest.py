"""Shared fixtures: a fresh app and database per test (SQLite, or PostgreSQL in tox's postgres env).

The schema is migrated and initialised (as ``tandem init`` does) once per test
session into a template database; each test gets its own copy of it (a file
copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so a test pays
for opening an app, not for nine migrations, the permission sync and a rollup
rebuild. Set ``TANDEM_TEST_DATABASE=postgres`` to run every test on a private
PostgreSQL server started by ``services.py``. App contexts are opened only
for setup and checks, never held across test-client requests.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import close_all_sessions

from tandem.plugin.app import create_app
from tandem.plugin.bootstrap import initialise
from tandem.workflows.tasks import stop_own

pytest_plugins = ["services", "browser", "matching_support"]

ON_POSTGRES = os.environ.get("TANDEM_TEST_DATABASE") == "postgres"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """An empty database for one test."""
    if not ON_POSTGRES:
        return f"sqlite:///{tmp_path / 'tandem.db'}"
    return request.getfixturevalue("postgresql_server").clone_database("template0", "tandem_empty")


def open_app(database_url: str, **config: Any) -> Flask:
    """A Tandem intranet on a database that is already initialised."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret-key-of-sufficient-length",
            "TESTING": True,
            **config,
        }
    )


def make_app(database_url: str, **config: Any) -> Flask:
    """A Tandem intranet on ``database_url``, initialised as ``tandem init`` would."""
    app = open_app(database_url, **config)
    with app.app_context():
        initialise(app)
    return app


def close_app(app: Flask) -> None:
    """Stop the workers it started for a background task; return its connections, so its database can be dropped."""
    stop_own(app)
    with app.app_context():
        app.appbuilder.session.remove()
        close_all_sessions()  # a session opened outside the request cycle gives its connection back too
        app.extensions["sqlalchemy"].engine.dispose()


def copy_sqlite(source: str | Path, target: str | Path) -> str:
    """Copy an SQLite database with SQLite's backup API (consistent whatever the journal mode); its URL."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def initialised_template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated and initialised once per test session: an SQLite file, or a PostgreSQL database name."""
    if not ON_POSTGRES:
        path = tmp_path_factory.mktemp("template") / "tandem.db"
        close_app(make_app(f"sqlite:///{path}"))
        return str(path)
    server = request.getfixturevalue("postgresql_server")
    close_app(make_app(server.create_database("tandem_template")))
    return "tandem_template"


@pytest.fixture(scope="session")
def initialised_copy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, initialised_template: str
) -> Callable[[], str]:
    """Makes fresh copies of the initialised template, for tests that need several (one per example)."""
    folder = tmp_path_factory.mktemp("copies")
    copies = itertools.count()

    def copy() -> str:
        if not ON_POSTGRES:
            for old in folder.iterdir():  # only the newest copy is in use
                old.unlink()
            return copy_sqlite(initialised_template, folder / f"copy-{next(copies)}.db")
        return request.getfixturevalue("postgresql_server").clone_database(initialised_template, "tandem_copy")

    return copy


@pytest.fixture
def initialised_database_url(request: pytest.FixtureRequest, tmp_path: Any, initialised_template: str) -> str:
    """A fresh copy of the initialised template for one test."""
    if not ON_POSTGRES:
        return copy_sqlite(initialised_template, tmp_path / "tandem.db")
    return request.getfixturevalue("postgresql_server").clone_database(initialised_template, "tandem_each_test")


@pytest.fixture
def postgres_engine(app: Flask) -> Any:
    """The app's engine, for tests of PostgreSQL's own concurrency (row locks, SKIP LOCKED); skipped on SQLite."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL concurrency property: the py311-postgres env runs this")
    return engine


@pytest.fixture
def configured_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Makes an initialised app with settings of the test's own on an empty database; closed after the test."""
    made: list[Flask] = []

    def configure(**config: Any) -> Flask:
        made.append(make_app(database_url, **config))
        return made[-1]

    yield configure
    for app in made:
        close_app(app)


@pytest.fixture
def app(initialised_database_url: str) -> Iterator[Flask]:
    """A fresh, initialised Tandem intranet."""
    app = open_app(initialised_database_url)
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def shared_organisation(tmp_path_factory: pytest.TempPathFactory, initialised_template: str) -> Iterator[Flask]:
    """One app with ``organisation.build``'s people and logins for a whole module whose tests only read,
    on SQLite whatever the test database (for properties of the web layer, not of the database)."""
    from organisation import build

    folder = tmp_path_factory.mktemp("organisation")
    if ON_POSTGRES:
        app = make_app(f"sqlite:///{folder / 'tandem.db'}")
    else:
        app = open_app(copy_sqlite(initialised_template, folder / "tandem.db"))
    build(app)
    yield app
    close_app(app)
