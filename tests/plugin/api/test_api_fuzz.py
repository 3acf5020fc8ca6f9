"""Schemathesis over ``/api/v1/_openapi``, as HR and as staff: no request, however odd, answers 5xx."""

from __future__ import annotations

import os

import pytest
import schemathesis
from conftest import close_app, make_app
from hypothesis import HealthCheck, Phase, given, settings
from organisation import PASSWORD, build, jwt_headers

# apispec names the two Person schemas of a pairing (mentor, mentee) apart and says so: not a fault.
pytestmark = pytest.mark.filterwarnings("ignore:Multiple schemas resolved to the name:UserWarning")
EXAMPLES = 15
ROLES = ("hr", "staff")


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    """One intranet with the test organisation, shared by every fuzzed operation (they may change it)."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'tandem.db'}")
    build(app)
    with app.app_context():
        security = app.appbuilder.sm
        security.add_user(
            "fuzz-admin", "Fuzz", "Admin", "fuzz-admin@example.org", security.find_role("Admin"), PASSWORD
        )
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def tokens(fuzzed_app):
    """A bearer token per role."""
    client = fuzzed_app.test_client()
    return {role: jwt_headers(client, role) for role in ROLES}


@pytest.fixture(scope="module")
def api_schema(fuzzed_app, tokens):
    """The OpenAPI document the app serves, called through the WSGI app itself."""
    reader = jwt_headers(fuzzed_app.test_client(), "fuzz-admin")  # the document itself is the admin's to read
    return schemathesis.openapi.from_wsgi("/api/v1/_openapi", fuzzed_app, headers=reader)


def test_no_request_answers_a_server_error_as_hr_or_as_staff(api_schema, tokens):
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30, "every Tandem resource must be in the document"
    only = os.environ.get("TANDEM_FUZZ_ONLY")  # e.g. "GET /api/v1/person/" while mending one operation
    operations = [op for op in operations if not only or f"{op.method.upper()} {op.path}" in only.split(",")]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
        )
        def call(case):
            for role in ROLES:
                response = case.call(headers=tokens[role])
                if response.status_code >= 500:
                    failures.append(f"{role}: {case.method} {case.formatted_path} {case.query} {case.body!r:.200}")

        call()
    assert not failures, "\n".join(failures)
