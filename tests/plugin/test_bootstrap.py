"""``tandem init``: migrates, registers permissions and keeps the roles exact, as often as it runs."""

from __future__ import annotations

from sqlalchemy import inspect

from tandem.plugin.bootstrap import initialise
from tandem.plugin.database import head_revision, only_tandem_tables
from tandem.plugin.models import metadata
from tandem.plugin.roles import HR_ROLE, STAFF_ROLE, role_permissions


def granted(app, role_name):
    with app.app_context():
        role = app.appbuilder.sm.find_role(role_name)
        return {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}


def test_init_creates_every_tandem_table_through_migrations(app):
    with app.app_context():
        engine = app.appbuilder.session.get_bind()
        tables = set(inspect(engine).get_table_names())
        assert set(metadata.tables) <= tables
        assert "tandem_alembic_version" in tables
        report = initialise(app)
        assert report.revision_before == report.revision_after == head_revision(engine)


def test_init_takes_back_a_permission_granted_by_hand(app):
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role(STAFF_ROLE)
        sm.add_permission_role(role, sm.add_permission_view_menu("can_write", "TandemPerson"))
    assert ("can_write", "TandemPerson") in granted(app, STAFF_ROLE)
    with app.app_context():
        initialise(app)
    assert granted(app, STAFF_ROLE) == set(role_permissions()[STAFF_ROLE])


def test_the_migrations_describe_exactly_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context():
        engine = app.appbuilder.session.get_bind()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"include_object": only_tandem_tables},
            )
            assert compare_metadata(context, metadata) == []


def test_only_hr_may_import_the_directory():
    holders = {role for role, pairs in role_permissions().items() if ("can_import", "TandemPerson") in pairs}
    assert holders == {HR_ROLE}
