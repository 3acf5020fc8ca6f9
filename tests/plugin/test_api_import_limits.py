"""A directory import keeps the site answering, and its size limit is named in the refusal."""

from __future__ import annotations

import threading
import time

from conftest import ON_POSTGRES
from organisation import build, jwt_headers, login
from sqlalchemy import func, select, text

from tandem.plugin.models import Person

HEADER = "employee_id,name,email,timezone,manager_id"


def directory(count: int) -> str:
    rows = [f"N{i},Person {i},n{i}@example.org,Europe/Berlin,E2" for i in range(count)]
    return HEADER + "\n" + "\n".join(rows) + "\n"


def test_sqlite_connections_use_wal_and_wait_for_a_busy_writer(app):
    with app.app_context():
        session = app.appbuilder.session
        if ON_POSTGRES:
            return
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 30_000


def test_an_upload_over_the_limit_is_a_413_naming_the_limit_and_its_setting(app):
    build(app)
    app.config["TANDEM_IMPORT_MAX_BYTES"] = 1000
    client = app.test_client()
    response = client.post(
        "/api/v1/person/import",
        data=directory(100),
        headers={**jwt_headers(client, "hr"), "Content-Type": "text/csv"},
    )
    assert response.status_code == 413
    assert response.json["max_bytes"] == 1000
    assert "TANDEM_IMPORT_MAX_BYTES" in response.json["message"]["file"][0]


def test_people_can_sign_in_and_read_pages_while_a_large_import_runs(app):
    build(app)
    importer = app.test_client()
    headers = {**jwt_headers(importer, "hr"), "Content-Type": "text/csv"}
    body = directory(15_000)
    answers: dict[str, int] = {}

    def run_import() -> None:
        answers["import"] = importer.post("/api/v1/person/import", data=body, headers=headers).status_code

    def sign_in() -> None:
        time.sleep(1.5)
        visitor = app.test_client()
        login(visitor, "staff")  # a sign-in writes (the login count): it waits its turn, then succeeds
        answers["signed-in page"] = visitor.get("/").status_code

    threads = [threading.Thread(target=run_import), threading.Thread(target=sign_in)]
    for thread in threads:
        thread.start()
    reads: list[tuple[int, bool, bool]] = []
    while threads[0].is_alive():
        page = app.test_client().get("/login/")
        reads.append((page.status_code, "database is locked" in page.get_data(as_text=True), threads[0].is_alive()))
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    assert answers == {"import": 200, "signed-in page": 200}
    assert all(status == 200 and not locked for status, locked, _ in reads), reads
    assert sum(1 for *_, during in reads if during) >= 5, "pages must answer while the import is running"
    with app.app_context():
        assert app.appbuilder.session.scalar(select(func.count(Person.id))) >= 15_000
