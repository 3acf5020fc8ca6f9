"""A user's permissions are read once per request, and a role taken away counts from the next request on."""

from __future__ import annotations

import re

from organisation import build, login
from sqlalchemy import event

ADMIN = "admin"  # the organisation's FAB administrator
HR_ONLY = "/mentoring/today/"  # HR's home page: write on programmes


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def statements_of(app, client, path: str) -> list[str]:
    seen: list[str] = []
    with app.app_context():
        engine = app.appbuilder.session.get_bind()

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def set_roles_in_the_user_admin(app, username: str, role_names: list[str]) -> None:
    """The administrator edits ``username``'s roles in FAB's user admin (Security → List Users)."""
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=username)
        pk, fields = user.id, (user.first_name, user.last_name, user.email)
        role_ids = [str(sm.find_role(name).id) for name in role_names]
    admin = app.test_client()
    login(admin, ADMIN)
    token = csrf(admin.get(f"/users/edit/{pk}").get_data(as_text=True))
    response = admin.post(
        f"/users/edit/{pk}",
        data={
            "csrf_token": token,
            "first_name": fields[0],
            "last_name": fields[1],
            "username": username,
            "email": fields[2],
            "active": "y",
            "roles": role_ids,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_a_page_asks_the_database_for_the_users_permissions_once_however_many_items_it_checks(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    seen = statements_of(app, client, "/mentoring/programmes/list/")
    permission_reads = [s for s in seen if "ab_permission_view" in s]
    assert len(permission_reads) == 1, "\n".join(permission_reads)


def test_hr_who_loses_the_hr_role_loses_the_hr_pages_on_the_next_request(app):
    build(app)
    hr = app.test_client()
    login(hr, "hr")
    assert hr.get(HR_ONLY).status_code == 200
    set_roles_in_the_user_admin(app, "hr", ["TandemStaff"])
    refused = hr.get(HR_ONLY)
    assert refused.status_code == 403 and "This page is not yours to see" in refused.get_data(as_text=True)
    assert 'href="/mentoring/today/"' not in hr.get("/tandem/mentoring/").get_data(as_text=True)


def test_staff_given_the_hr_role_see_the_hr_pages_on_the_next_request(app):
    build(app)
    staff = app.test_client()
    login(staff, "staff")
    assert staff.get(HR_ONLY).status_code == 403
    set_roles_in_the_user_admin(app, "staff", ["TandemStaff", "TandemHR"])
    assert staff.get(HR_ONLY).status_code == 200
    assert 'href="/mentoring/today/"' in staff.get("/tandem/mentoring/").get_data(as_text=True)


def test_visitors_not_signed_in_are_sent_to_the_sign_in_form(app):
    build(app)
    response = app.test_client().get("/mentoring/programmes/list/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
