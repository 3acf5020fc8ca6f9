"""A seeded organisation for the report tests: teams above and below the privacy threshold.

boss  (login "manager")
├── lead_a ── a1 … a6      six people: shown
├── lead_b ── b1 … b7      seven people: shown
├── lead_c ── c1 … c3      three people: suppressed
├── x1, x2                 the boss's own team, five with the leads: suppressed as well, so
│                          lead_c's team cannot be recovered from the total
outsider ── o1 … o8        outside the manager's subtree
hrp (login "hr")

Enrolments, pairings, check-ins (with ratings and private notes), campaign
acknowledgements and notifications are drawn from a fixed random seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Flask

from tandem.plugin.models import (
    Acknowledgement,
    CampaignItem,
    CheckIn,
    Enrolment,
    Incident,
    Notification,
    Pairing,
    Person,
    Programme,
)
from tandem.plugin.roles import HR_ROLE, MANAGER_ROLE, STAFF_ROLE

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
PRIVATE_NOTE = "a private sentence no report may ever show"
TREE: dict[str, str | None] = {"boss": None, "outsider": None, "hrp": None}
for lead, size in (("lead_a", 6), ("lead_b", 7), ("lead_c", 3)):
    TREE[lead] = "boss"
    for number in range(1, size + 1):
        TREE[f"{lead[-1]}{number}"] = lead
TREE["x1"] = "boss"
TREE["x2"] = "boss"
for number in range(1, 9):
    TREE[f"o{number}"] = "outsider"


@dataclass
class Seeded:
    """Ids of what the seed created, by name."""

    people: dict[str, int] = field(default_factory=dict)
    programmes: dict[str, int] = field(default_factory=dict)


def build(app: Flask, seed: int = 6) -> Seeded:
    """Create the organisation, logins, programmes and a random but fixed history."""
    rng = random.Random(seed)
    out = Seeded()
    with app.app_context():
        sm = app.appbuilder.sm
        session = app.appbuilder.session
        people: dict[str, Person] = {}
        for number, (name, boss) in enumerate(TREE.items(), start=1):
            people[name] = Person(
                employee_id=f"R{number}",
                full_name=f"Person {name}",
                email=f"{name}@example.org",
                department=rng.choice(["Engineering", "Sales"]),
                location=rng.choice(["Berlin", "Lisbon"]),
                timezone="Europe/Berlin",
                manager=people[boss] if boss else None,
            )
        session.add_all(people.values())
        mentoring = Programme(name="Mentoring", slug="mentoring", kind="mentoring", status="active")
        circle = Programme(name="Peer circle", slug="circle", kind="peer_circle", status="active")
        campaign = Programme(name="Career advice", slug="advice", kind="campaign", status="active")
        session.add_all([mentoring, circle, campaign])
        session.flush()
        for login, name, roles in (
            ("manager", "boss", [MANAGER_ROLE, STAFF_ROLE]),
            ("hr", "hrp", [HR_ROLE]),
            ("staff", "a1", [STAFF_ROLE]),
        ):
            user = sm.add_user(
                login, login, "User", f"{login}@login.example.org", [sm.find_role(r) for r in roles], PASSWORD
            )
            people[name].user_id = user.id
        mentors = [people[name] for name in ("lead_a", "lead_b", "outsider", "hrp", "x1")]
        for mentor in mentors:
            session.add(Enrolment(programme=mentoring, person=mentor, role="mentor", capacity=2))
        items = [
            CampaignItem(programme=campaign, position=p, slug=f"item{p}", title=f"Item {p}", body="…") for p in (1, 2)
        ]
        session.add_all(items)
        for index, (name, person) in enumerate(people.items()):
            if name in ("boss", "hrp") or person in mentors:
                continue
            if rng.random() < 0.7:
                status = rng.choice(["active", "active", "completed", "opted_out"])
                session.add(
                    Enrolment(
                        programme=mentoring,
                        person=person,
                        role="mentee",
                        status=status,
                        enrolled_at=NOW - timedelta(days=rng.randint(10, 200)),
                    )
                )
                if rng.random() < 0.8:
                    mentor = mentors[index % len(mentors)]
                    pairing = Pairing(
                        programme=mentoring,
                        mentor=mentor,
                        mentee=person,
                        status=rng.choice(["proposed", "accepted", "active", "active", "closed"]),
                        proposed_at=NOW - timedelta(days=rng.randint(30, 200)),
                    )
                    session.add(pairing)
                    for sequence in range(1, rng.randint(0, 6) + 1):
                        due = NOW - timedelta(days=rng.randint(0, 150))
                        state = rng.choice(["completed", "completed", "missed", "open", "cancelled"])
                        session.add(
                            CheckIn(
                                pairing=pairing,
                                respondent=person,
                                sequence=sequence,
                                due_at=due,
                                status=state,
                                rating=rng.randint(1, 5) if state == "completed" and rng.random() < 0.8 else None,
                                completed_at=due + timedelta(days=1) if state == "completed" else None,
                                private_note=PRIVATE_NOTE,
                            )
                        )
            if rng.random() < 0.5:
                enrolment = Enrolment(programme=circle, person=person, role="participant")
                session.add(enrolment)
                for sequence in range(1, rng.randint(1, 4) + 1):
                    due = NOW - timedelta(days=rng.randint(0, 90))
                    session.add(
                        CheckIn(
                            enrolment=enrolment,
                            respondent=person,
                            sequence=sequence,
                            due_at=due,
                            status="completed",
                            rating=rng.randint(1, 5),
                            completed_at=due,
                        )
                    )
            if rng.random() < 0.8:
                session.add(Enrolment(programme=campaign, person=person, role="participant"))
                for item in items:
                    if rng.random() < 0.5:
                        session.add(Acknowledgement(item=item, person=person))
            for number in range(rng.randint(0, 3)):
                session.add(
                    Notification(
                        recipient=person,
                        channel="email",
                        template="introduction",
                        status=rng.choice(["queued", "sent", "sent", "failed", "digested"]),
                        idempotency_key=f"{name}-{number}",
                    )
                )
        session.add(Incident(summary="stuck step", status="open"))
        session.add(Incident(summary="old step", status="retried"))
        session.commit()
        out.people = {name: person.id for name, person in people.items()}
        out.programmes = {"mentoring": mentoring.id, "circle": circle.id, "campaign": campaign.id}
    return out
