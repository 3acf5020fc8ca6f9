"""Tandem changes only its own sessions, engines and templates: a host app's others are left as they were."""

from __future__ import annotations

from flask import Flask, render_template_string
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from tandem.plugin.rollups.tracking import LISTENERS
from tandem.plugin.sqlite import BUSY_TIMEOUT_MS, _tune
from tandem.plugin.views.inbox import install_bell


def pragmas(engine) -> tuple[int, str]:
    with engine.connect() as connection:
        timeout = connection.execute(text("PRAGMA busy_timeout")).scalar()
        journal = connection.execute(text("PRAGMA journal_mode")).scalar()
    return timeout, journal


def test_the_report_tracking_listens_to_the_apps_sessions_only(app):
    for name, listener in LISTENERS.items():
        assert event.contains(app.appbuilder.session, name, listener)
        assert not event.contains(Session, name, listener)


def test_sqlite_tuning_applies_to_the_apps_engine_and_no_other(app, tmp_path):
    with app.app_context():
        own = app.extensions["sqlalchemy"].engine
    other = create_engine(f"sqlite:///{tmp_path / 'host.db'}")
    try:
        if own.dialect.name == "sqlite":
            assert pragmas(own) == (BUSY_TIMEOUT_MS, "wal")
        assert pragmas(other) == (5000, "delete")  # Python's sqlite3 default timeout, SQLite's default journal
        assert not event.contains(other, "connect", _tune)
    finally:
        other.dispose()


def test_the_bell_extends_the_host_loader_and_the_hosts_own_templates_still_win(tmp_path):
    (tmp_path / "templates" / "appbuilder").mkdir(parents=True)
    (tmp_path / "templates" / "appbuilder" / "navbar_right.html").write_text("the host's own navbar")
    (tmp_path / "templates" / "host.html").write_text("a page of the host")
    host = Flask("host", root_path=str(tmp_path))
    install_bell(host)
    with host.app_context():
        assert render_template_string("{% include 'appbuilder/navbar_right.html' %}") == "the host's own navbar"
        assert render_template_string("{% include 'host.html' %}") == "a page of the host"
        assert "Tandem" in host.jinja_env.loader.get_source(host.jinja_env, "appbuilder/navbar.html")[0]
