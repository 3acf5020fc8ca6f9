"""Tandem inside someone else's FAB intranet: one config line enables all of it.

FAB only logs an exception raised by an add-on manager and drops the add-on,
so this asserts every view, API, command and permission is really there.
"""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask_appbuilder import AppBuilder
from flask_appbuilder.models.sqla.base import SQLA
from sqlalchemy.orm import close_all_sessions

from tandem.plugin.api import APIS
from tandem.plugin.roles import CATEGORIES, ROLES, role_permissions
from tandem.plugin.views import MENU_VIEWS


@pytest.fixture
def host_app(database_url, caplog):
    """A bare FAB app whose only Tandem line is ADDON_MANAGERS."""
    caplog.set_level(logging.ERROR, logger="flask_appbuilder")
    app = Flask("host_intranet")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        SECRET_KEY="a-host-app-secret-key-long-enough",
        ADDON_MANAGERS=["tandem.plugin.manager.TandemManager"],
    )
    db = SQLA()
    db.init_app(app)
    with app.app_context():
        AppBuilder().init_app(app, db.session)
    yield app
    with app.app_context():
        db.session.remove()
        close_all_sessions()  # any session the add-on's commands opened gives its connection back
        db.engine.dispose()


def test_the_addon_loaded_without_errors(host_app, caplog):
    assert "tandem.plugin.manager.TandemManager" in host_app.appbuilder.addon_managers
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_every_view_and_api_is_registered_with_its_routes(host_app):
    registered = {type(view) for view in host_app.appbuilder.baseviews}
    assert {view for view, _, _ in MENU_VIEWS} <= registered
    assert set(APIS) <= registered
    rules = {rule.rule for rule in host_app.url_map.iter_rules()}
    for api in APIS:
        assert f"/api/v1/{api.resource_name}/" in rules
    assert "/api/v1/person/import" in rules
    for view, _, _ in MENU_VIEWS:
        assert any(rule.startswith(view.route_base + "/") for rule in rules), view.route_base


def test_the_admin_menus_group_every_view_by_task(host_app):
    with host_app.app_context():
        top = [item.name for item in host_app.appbuilder.menu.get_list()]
        assert [name for name in top if name in CATEGORIES] == list(CATEGORIES)
        grouped = {
            category: [item.name for item in host_app.appbuilder.menu.find(category).childs] for category in CATEGORIES
        }
    assert grouped["Programmes"][:3] == ["Today", "Run a programme", "Programmes"]
    assert grouped["Matching"] == ["Match review", "Pairings", "Check-ins"]
    assert sorted(name for names in grouped.values() for name in names) == sorted(name for _, name, _ in MENU_VIEWS)


def test_flask_tandem_init_creates_the_roles_with_exactly_their_permissions(host_app):
    result = host_app.test_cli_runner().invoke(args=["tandem", "init"])
    assert result.exit_code == 0, result.output
    with host_app.app_context():
        sm = host_app.appbuilder.sm
        for name in ROLES:
            role = sm.find_role(name)
            granted = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
            assert granted == set(role_permissions()[name])


def test_the_staff_pages_and_the_one_click_answer_page_are_registered_under_the_me_menu(host_app):
    from tandem.plugin.roles import SELF_SERVICE_MENU
    from tandem.plugin.views import HIDDEN_VIEWS, SELF_SERVICE_VIEWS

    registered = {type(view) for view in host_app.appbuilder.baseviews}
    assert {view for view, _, _ in SELF_SERVICE_VIEWS} | set(HIDDEN_VIEWS) <= registered
    rules = {rule.rule for rule in host_app.url_map.iter_rules()}
    assert "/tandem/answer/<token>" in rules
    with host_app.app_context():
        menu = host_app.appbuilder.menu.find(SELF_SERVICE_MENU)
        assert [item.name for item in menu.childs] == [name for _, name, _ in SELF_SERVICE_VIEWS]
