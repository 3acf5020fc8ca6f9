"""The add-on manager FAB loads from ``ADDON_MANAGERS``.

FAB only *logs* an exception raised here and silently drops the add-on, so
everything it registers is covered by ``tests/plugin/test_host_app.py``.
"""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, current_app
from flask_appbuilder.basemanager import BaseManager

from .api import APIS
from .bounded_json import install as bound_json
from .cli import tandem_group
from .login_throttle import install_login_throttle
from .roles import MENU, SELF_SERVICE_MENU
from .rollups import install as install_rollups
from .security_headers import install_security_headers
from .settings import apply_defaults
from .sqlite import install as tune_sqlite
from .views import CATEGORY_VIEWS, HIDDEN_VIEWS, MENU_VIEWS, SELF_SERVICE_VIEWS
from .views.formatting import install_filters
from .views.inbox import install_bell
from .views.staff_menu import install_staff_menu

PAGE_TEMPLATES = str(files("tandem.templates") / "pages")
# Vendored browser assets (the chart renderer), served at /tandem-static/.
STATIC = str(files("tandem.plugin") / "static")


class TandemManager(BaseManager):
    """Registers Tandem's settings, page templates, CLI, admin views and REST API."""

    def pre_process(self) -> None:
        """Set Tandem's configuration defaults, make its templates and CLI available, and add the security
        headers and the sign-in throttle (both on by default; see README, Security)."""
        app = current_app
        apply_defaults(app.config)
        if "tandem" not in app.blueprints:
            app.register_blueprint(
                Blueprint(
                    "tandem",
                    __name__,
                    template_folder=PAGE_TEMPLATES,
                    static_folder=STATIC,
                    static_url_path="/tandem-static",
                )
            )
        if "tandem" not in app.cli.commands:
            app.cli.add_command(tandem_group)
        install_bell(app)
        install_staff_menu(app, [name for _view, name, _icon in SELF_SERVICE_VIEWS])
        install_filters(app)
        install_rollups()
        install_security_headers(app)
        install_login_throttle(app)
        tune_sqlite(app)
        bound_json(app._get_current_object())

    def register_views(self) -> None:
        """Add the "Mentoring" menu and the ``/api/v1/`` resources."""
        # Categories first: FAB files a link under the first menu entry of the category's name, and the
        # "Mentoring" menu has an item called "People" too.
        for view, name, icon, category in CATEGORY_VIEWS:
            self.appbuilder.add_view(view, name, icon=icon, category=category)
        for view, name, icon in MENU_VIEWS:
            self.appbuilder.add_view(view, name, icon=icon, category=MENU, category_icon="fa-hands-helping")
        for view, name, icon in SELF_SERVICE_VIEWS:
            self.appbuilder.add_view(view, name, icon=icon, category=SELF_SERVICE_MENU, category_icon="fa-user")
        for view in HIDDEN_VIEWS:
            self.appbuilder.add_view_no_menu(view)
        for api in APIS:
            self.appbuilder.add_api(api)
