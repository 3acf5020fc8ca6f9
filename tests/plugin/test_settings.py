"""Settings that depend on where Tandem runs."""

from __future__ import annotations

from tandem.plugin.settings import DEFAULTS, IMPORT_MAX_BYTES_BY_DATABASE, Settings


def config(**values):
    return {**DEFAULTS, **values}


def test_an_import_on_sqlite_is_limited_so_other_writers_never_wait_out_the_busy_timeout():
    on_sqlite = Settings.from_config(config(SQLALCHEMY_DATABASE_URI="sqlite:////var/tandem.db"))
    on_postgres = Settings.from_config(config(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://db/tandem"))
    assert on_sqlite.import_max_bytes == IMPORT_MAX_BYTES_BY_DATABASE["sqlite"] == 6 * 1024 * 1024
    assert on_postgres.import_max_bytes == 64 * 1024 * 1024


def test_a_limit_hr_set_wins_on_any_database():
    chosen = config(SQLALCHEMY_DATABASE_URI="sqlite:///x.db", TANDEM_IMPORT_MAX_BYTES=50_000_000)
    assert Settings.from_config(chosen).import_max_bytes == 50_000_000
