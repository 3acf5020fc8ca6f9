"""One place to read Tandem's configuration.

Defaults are set on the Flask config with ``setdefault`` by the add-on manager
(so a host app's own values win), and ``TANDEM_*`` environment variables
override both in the standalone intranet (see :func:`load_environment`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app

DEFAULTS: dict[str, Any] = {
    "TANDEM_MIN_GROUP_SIZE": 5,
    "TANDEM_DEMO_PASSWORD": "tandem-demo",
    "TANDEM_BROKER_URL": None,
    # Unset: by database (IMPORT_MAX_BYTES_BY_DATABASE).
    "TANDEM_IMPORT_MAX_BYTES": None,
    "TANDEM_TIMER_LEASE_SECONDS": 30,
    # A directory import's worker must show it is alive this often (its heartbeat), or the import is run again.
    "TANDEM_IMPORT_LEASE_SECONDS": 60,
    "TANDEM_SCHEDULER_INTERVAL": 1.0,
    # The intranet's address as people reach it, for links in e-mails.
    "TANDEM_BASE_URL": "http://127.0.0.1:8080",
    # How long a one-click link in an e-mail works.
    "TANDEM_LINK_MAX_AGE_DAYS": 14,
    # smtp://, smtps:// (SSL) or smtp+starttls://, with user:password@ when the server wants a login.
    # Unset: `tandem serve` starts a local SMTP sink and the "Mail outbox" page shows what it received.
    "TANDEM_SMTP_URL": None,
    "TANDEM_MAIL_FROM": "Tandem <tandem@localhost>",
    # Hold every outgoing notification in the outbox (a migration, an incident, a benchmark).
    "TANDEM_DELIVERY_PAUSED": False,
    # Delivery commits statuses after this many notifications: a crash re-sends at most this many e-mails.
    "TANDEM_DELIVERY_COMMIT_EVERY": 10,
    # SMTP connections one delivery batch uses at once (raise it only as far as the relay allows).
    "TANDEM_SMTP_CONNECTIONS": 1,
    # Sign-in throttling (plugin/login_throttle.py): failed attempts allowed per account and per client
    # address, in the `limits` notation; the counters live in TANDEM_RATELIMIT_STORAGE_URL (memory:// is
    # per process: use redis:// or memcached:// when gunicorn runs several workers).
    "TANDEM_LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
    "TANDEM_LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    "TANDEM_RATELIMIT_STORAGE_URL": "memory://",
    # Security headers (plugin/security_headers.py): CSP, frame and sniffing protections on every response.
    "TANDEM_SECURITY_HEADERS": True,
    # Served over HTTPS (directly or behind a TLS proxy): Secure cookies and HSTS.
    "TANDEM_HTTPS": False,
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host/-Port/-Prefix (ProxyFix).
    "TANDEM_PROXY_COUNT": 0,
}


# An import is one transaction; on SQLite it holds the one write lock for about 0.4 ms a person, and
# every other writer (a sign-in, an answer) waits at most the 30 s busy timeout (plugin/sqlite.py).
# 6 MiB is about 40,000 people at ~150 bytes a row: ~16 s of lock. Larger directories belong on PostgreSQL.
IMPORT_MAX_BYTES_BY_DATABASE = {"sqlite": 6 * 1024 * 1024, "other": 64 * 1024 * 1024}


def _import_max_bytes(config: Mapping[str, Any]) -> int:
    """The import size limit: the configured one, else the default for the app's database."""
    if config.get("TANDEM_IMPORT_MAX_BYTES"):
        return int(config["TANDEM_IMPORT_MAX_BYTES"])
    on_sqlite = str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite")
    return IMPORT_MAX_BYTES_BY_DATABASE["sqlite" if on_sqlite else "other"]


def apply_defaults(config: dict[str, Any]) -> None:
    """Fill in every Tandem setting the app has not set itself."""
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)


def load_environment(config: dict[str, Any], environ: Mapping[str, str] = os.environ) -> None:
    """Copy ``TANDEM_*`` environment variables into ``config``, keeping the prefix.

    Values that parse as JSON (numbers, booleans, lists) are stored parsed, as
    Flask's ``from_prefixed_env`` does; anything else stays a string.
    """
    for key, raw in environ.items():
        if not key.startswith("TANDEM_"):
            continue
        try:
            config[key] = json.loads(raw)
        except ValueError:
            config[key] = raw


@dataclass(frozen=True)
class Settings:
    """Typed, read-only view of the Tandem part of a Flask config."""

    min_group_size: int
    demo_password: str
    broker_url: str | None
    import_max_bytes: int
    timer_lease_seconds: int
    scheduler_interval: float
    base_url: str
    link_max_age_days: int
    smtp_url: str | None = None
    mail_from: str = "Tandem <tandem@localhost>"
    delivery_paused: bool = False
    delivery_commit_every: int = 10
    smtp_connections: int = 1
    login_limit_per_account: str = "10 per 15 minutes"
    login_limit_per_address: str = "30 per 15 minutes"
    ratelimit_storage_url: str = "memory://"
    security_headers: bool = True
    https: bool = False
    proxy_count: int = 0
    import_lease_seconds: float = 60.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Build the settings from a Flask config mapping."""
        return cls(
            min_group_size=int(config["TANDEM_MIN_GROUP_SIZE"]),
            demo_password=str(config["TANDEM_DEMO_PASSWORD"]),
            broker_url=config.get("TANDEM_BROKER_URL") or None,
            import_max_bytes=_import_max_bytes(config),
            timer_lease_seconds=int(config["TANDEM_TIMER_LEASE_SECONDS"]),
            scheduler_interval=float(config["TANDEM_SCHEDULER_INTERVAL"]),
            base_url=str(config["TANDEM_BASE_URL"]),
            link_max_age_days=int(config["TANDEM_LINK_MAX_AGE_DAYS"]),
            smtp_url=config.get("TANDEM_SMTP_URL") or None,
            mail_from=str(config.get("TANDEM_MAIL_FROM") or DEFAULTS["TANDEM_MAIL_FROM"]),
            delivery_paused=bool(config.get("TANDEM_DELIVERY_PAUSED")),
            delivery_commit_every=max(1, int(_or_default(config, "TANDEM_DELIVERY_COMMIT_EVERY"))),
            smtp_connections=max(1, int(_or_default(config, "TANDEM_SMTP_CONNECTIONS"))),
            login_limit_per_account=str(_or_default(config, "TANDEM_LOGIN_LIMIT_PER_ACCOUNT")),
            login_limit_per_address=str(_or_default(config, "TANDEM_LOGIN_LIMIT_PER_ADDRESS")),
            ratelimit_storage_url=str(_or_default(config, "TANDEM_RATELIMIT_STORAGE_URL")),
            security_headers=bool(config.get("TANDEM_SECURITY_HEADERS", True)),
            https=bool(config.get("TANDEM_HTTPS")),
            proxy_count=int(config.get("TANDEM_PROXY_COUNT") or 0),
            import_lease_seconds=float(_or_default(config, "TANDEM_IMPORT_LEASE_SECONDS")),
        )


def _or_default(config: Mapping[str, Any], key: str) -> Any:
    """``config[key]``, or its default when unset or empty."""
    return config.get(key) or DEFAULTS[key]


def settings(app: Flask | None = None) -> Settings:
    """The settings of ``app`` (the current app by default)."""
    return Settings.from_config((app or current_app).config)


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the embedded default keeps its SQLite file and secret key."""
    return Path(environ.get("TANDEM_DATA_DIR", "var")).resolve()
