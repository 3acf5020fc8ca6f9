"""The standalone intranet: a FAB app whose only add-on is Tandem.

``create_app`` is an app factory (as in Flask's tutorial): the test suite
passes a test config, ``tandem`` (the console script) and ``make demo`` call it
with none and get the embedded defaults — a SQLite file under ``var/``.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_appbuilder.api.manager import OpenApi
from flask_appbuilder.const import AUTH_DB, LOGMSG_WAR_SEC_NO_USER
from flask_appbuilder.models.sqla.base import SQLA
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from .settings import data_dir, load_environment, settings
from .unavailable import install as install_unavailable
from .unavailable import install_teardown as end_sessions_quietly


class _NoFabUserHint(logging.Filter):
    """Drops FAB's "No user yet created, use flask fab command" warning, which every process logs at start
    until a login exists (twice during ``make demo``) and which names the wrong command here:
    ``tandem init`` says what to run instead (``tandem fab create-admin`` or ``tandem seed-demo``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != LOGMSG_WAR_SEC_NO_USER


def _quiet_fab_user_hint() -> None:
    logger = logging.getLogger("flask_appbuilder.security.manager")
    if not any(isinstance(f, _NoFabUserHint) for f in logger.filters):
        logger.addFilter(_NoFabUserHint())


def _secret_key(directory: Path) -> str:
    """A per-installation secret key, made once and kept beside the database."""
    path = directory / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


BASE_CONFIG: dict[str, Any] = {
    "APP_NAME": "Tandem",
    "AUTH_TYPE": AUTH_DB,
    "ADDON_MANAGERS": ["tandem.plugin.manager.TandemManager"],
    "FAB_INDEX_VIEW": "tandem.plugin.home.HomeView",
    # FAB's checks, answered from the user's permissions read once per request (plugin/permissions.py)
    "FAB_SECURITY_MANAGER_CLASS": "tandem.plugin.permissions.TandemSecurityManager",
    "FAB_API_KEY_ENABLED": True,
    # FAB's Swagger page loads its scripts from a CDN; the OpenAPI document
    # itself is served at /api/v1/_openapi.
    "FAB_API_SWAGGER_UI": False,
    # Permissions are written by `tandem init`, not by every web process start.
    "FAB_UPDATE_PERMS": False,
    "SESSION_COOKIE_SAMESITE": "Lax",
}


def embedded_config() -> dict[str, Any]:
    """The embedded defaults: a SQLite file and a secret key under the data directory."""
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'tandem.db'}",
        "SECRET_KEY": _secret_key(directory),
    }


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the intranet app.

    Without ``test_config``: the embedded defaults, overridden by ``TANDEM_*``
    environment variables (``TANDEM_DATABASE_URL``, ``TANDEM_SECRET_KEY``, …).
    With it: exactly the base config plus ``test_config``.
    """
    app = Flask(__name__, instance_path=str(data_dir()))
    app.config.update(BASE_CONFIG)
    if test_config is None:
        app.config.update(embedded_config())
        load_environment(app.config)
        for setting, flask_key in ENVIRONMENT_ALIASES.items():
            if setting in app.config:
                app.config[flask_key] = app.config[setting]
    else:
        app.config.update(test_config)
    _quiet_fab_user_hint()
    install_unavailable(app)  # before the engine is made: it sets pool_pre_ping
    CSRFProtect(app)  # before FAB, which exempts its REST APIs (JWT) from it
    db = SQLA()
    db.init_app(app)
    end_sessions_quietly(app)  # after Flask-SQLAlchemy's teardown is registered, so it runs first
    with app.app_context():
        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)
        appbuilder.add_api(OpenApi)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind ``TANDEM_PROXY_COUNT`` reverse proxies, take the client's address, scheme, host and
    path prefix from their ``X-Forwarded-*`` headers (werkzeug's ProxyFix); with 0, ignore those headers."""
    count = settings(app).proxy_count
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count, x_prefix=count)


ENVIRONMENT_ALIASES = {
    "TANDEM_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "TANDEM_SECRET_KEY": "SECRET_KEY",
}
