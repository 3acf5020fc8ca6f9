"""A small organisation with a known shape, for tests of scoping and permissions.

ceo
├── head            login "manager" (TandemManager, TandemStaff)
│   ├── lead
│   │   ├── dev1    login "staff" (TandemStaff)
│   │   └── dev2
│   └── dev3
├── hrp             login "hr" (TandemHR)
└── sales_head
    └── sales1
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from tandem.plugin.models import (
    CheckIn,
    Enrolment,
    Notification,
    Pairing,
    Person,
    Programme,
)
from tandem.plugin.roles import HR_ROLE, MANAGER_ROLE, STAFF_ROLE

PASSWORD = "correct horse battery"
TREE = {
    "ceo": None,
    "head": "ceo",
    "lead": "head",
    "dev1": "lead",
    "dev2": "lead",
    "dev3": "head",
    "hrp": "ceo",
    "sales_head": "ceo",
    "sales1": "sales_head",
}
LOGINS = {
    "manager": ("head", [MANAGER_ROLE, STAFF_ROLE]),
    "staff": ("dev1", [STAFF_ROLE]),
    "hr": ("hrp", [HR_ROLE]),
}
PRIVATE_NOTE = "only dev1 may ever read this sentence"


@dataclass
class Organisation:
    """Ids of everything the fixture created, by name."""

    people: dict[str, int] = field(default_factory=dict)
    pairings: dict[str, int] = field(default_factory=dict)
    programmes: dict[str, int] = field(default_factory=dict)

    def names(self, ids: set[int]) -> set[str]:
        """The fixture names of a set of person ids."""
        return {name for name, pk in self.people.items() if pk in ids}


def build(app: Flask) -> Organisation:
    """Create the organisation, its logins, two programmes, pairings, check-ins and notifications."""
    org = Organisation()
    with app.app_context():
        sm = app.appbuilder.sm
        session = app.appbuilder.session
        people: dict[str, Person] = {}
        for number, (name, boss) in enumerate(TREE.items(), start=1):
            people[name] = Person(
                employee_id=f"E{number}",
                full_name=name.replace("_", " ").title(),
                email=f"{name}@example.org",
                timezone="Europe/Berlin",
                manager=people[boss] if boss else None,
            )
        session.add_all(people.values())
        active = Programme(name="Mentoring", slug="mentoring", kind="mentoring", status="active")
        draft = Programme(name="Secret pilot", slug="pilot", kind="mentoring", status="draft")
        session.add_all([active, draft])
        session.flush()
        for login, (name, roles) in LOGINS.items():
            user = sm.add_user(
                login,
                login,
                "User",
                f"{login}@login.example.org",
                [sm.find_role(r) for r in roles],
                PASSWORD,
            )
            people[name].user_id = user.id
        sm.add_user(
            "admin",
            "Ad",
            "Min",
            "admin@login.example.org",
            [sm.find_role(sm.auth_role_admin)],
            PASSWORD,
        )
        pairings = {
            "sales_head>dev1": Pairing(programme=active, mentor=people["sales_head"], mentee=people["dev1"]),
            "ceo>sales1": Pairing(programme=active, mentor=people["ceo"], mentee=people["sales1"]),
        }
        session.add_all(pairings.values())
        session.add_all(
            [
                Enrolment(programme=active, person=people["dev1"], role="mentee"),
                Enrolment(programme=active, person=people["sales1"], role="mentee"),
                Enrolment(programme=draft, person=people["dev2"], role="mentee"),
            ]
        )
        due = datetime(2026, 11, 2, 9, tzinfo=UTC)
        session.add_all(
            [
                CheckIn(
                    pairing=pairings["sales_head>dev1"],
                    respondent=people["dev1"],
                    due_at=due,
                    status="completed",
                    rating=4,
                    private_note=PRIVATE_NOTE,
                    shared_note="We talked about code review.",
                ),
                CheckIn(
                    pairing=pairings["ceo>sales1"],
                    respondent=people["sales1"],
                    due_at=due,
                    status="open",
                ),
                Notification(
                    recipient=people["dev1"],
                    channel="email",
                    template="introduction",
                    idempotency_key="n1",
                ),
                Notification(
                    recipient=people["sales1"],
                    channel="email",
                    template="introduction",
                    idempotency_key="n2",
                ),
            ]
        )
        session.commit()
        org.people = {name: person.id for name, person in people.items()}
        org.pairings = {name: pairing.id for name, pairing in pairings.items()}
        org.programmes = {"active": active.id, "draft": draft.id}
    return org


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form, CSRF token included."""
    page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "the login form must carry a CSRF token"
    response = client.post(
        "/login/",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302, f"login of {username} failed"


def jwt_headers(client: FlaskClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """An ``Authorization`` header from the REST login."""
    response = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access_token']}"}
