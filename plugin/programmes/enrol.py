"""Bulk enrolment: everyone in an audience joins a programme in one transaction, and each gets an invitation.

The invitation is an e-mail queued in the outbox (the same path as every other
message, so quiet hours, budgets and delivery retries apply), once per person
and programme: inviting the same person twice sends one message. Its link to
the intranet's "My mentoring" page, where they see the programme and may opt
out, is built by :mod:`tandem.plugin.links` at delivery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..errors import NotAllowed, Refused
from ..formatting import day
from ..matchmaking.notices import notify
from ..models import ENROLMENT_ROLES, Enrolment, Programme
from .audience import Audience, preview

INVITATION = "programme/invitation"
ROLE_WORDS = {"mentee": "mentee", "mentor": "mentor", "participant": "participant"}
MAX_CAPACITY = 20


@dataclass(frozen=True)
class Enrolled:
    """What a bulk enrolment did."""

    programme: str
    role: str
    enrolled: int
    already: int
    unknown: tuple[str, ...]

    def sentence(self) -> str:
        """``Enrolled 12 people in Onboarding buddies as mentees; 2 were already in.``"""
        people = "1 person" if self.enrolled == 1 else f"{self.enrolled} people"
        text = f"Enrolled {people} in {self.programme} as {self.role}s and sent each an invitation"
        if self.already:
            text += f"; {self.already} already took part"
        if self.unknown:
            text += f"; {len(self.unknown)} line(s) of the list matched nobody"
        return text + "."


def parse_role(programme: Programme, form: Mapping[str, str]) -> tuple[str, int]:
    """The role and mentor capacity HR chose; :class:`Refused` naming the field when out of range."""
    role = (form.get("role") or "").strip()
    if role not in ENROLMENT_ROLES:
        raise Refused(f"Role: choose one of {', '.join(ENROLMENT_ROLES)}", "role")
    if programme.kind in ("peer_circle", "campaign") and role != "participant":
        raise Refused(f"Role: everyone in a {programme.kind.replace('_', ' ')} takes part as a participant", "role")
    if programme.kind in ("mentoring", "onboarding") and role == "participant":
        raise Refused("Role: in a programme that pairs people, choose mentee or mentor", "role")
    text = (form.get("capacity") or "1").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_CAPACITY:
        raise Refused(f"Capacity: a whole number of mentees from 1 to {MAX_CAPACITY}", "capacity")
    return role, int(text)


def enrol_audience(session: Session, programme: Programme, audience: Audience, role: str, capacity: int) -> Enrolled:
    """Enrol everyone ``audience`` reaches who is not in ``programme`` yet, and queue their invitations.

    One transaction (the caller commits): all enrolled and invited, or nothing. Refused for a
    closed programme, and when the audience reaches nobody new.
    """
    if programme.status == "closed":
        raise NotAllowed(f"{programme.name} is closed: nobody can join it any more", "programme")
    chosen = preview(session, programme, audience)
    if not chosen.people:
        raise Refused("Nobody new to enrol: everyone chosen already takes part, or nobody matched", "department")
    session.add_all(
        Enrolment(
            programme_id=programme.id,
            person_id=person.id,
            role=role,
            capacity=capacity if role == "mentor" else 1,
            status="active",
        )
        for person in chosen.people
    )
    session.flush()
    notify(
        session,
        [person.id for person in chosen.people],
        INVITATION,
        f"programme:{programme.id}:invitation",
        subject=f"You are invited to {programme.name}",
        programme=programme.name,
        description=programme.description or "",
        role=ROLE_WORDS[role],
        starts_on=day(programme.starts_on),
    )
    rules = dict(programme.enrolment_rules or {})
    rules["audience"] = audience.as_json()
    programme.enrolment_rules = rules
    return Enrolled(programme.name, role, len(chosen.people), len(chosen.already), tuple(chosen.unknown))
