"""Signing up for a programme: its short questionnaire, then an enrolment — at once, or once HR approves.

A programme takes sign-ups when HR opens them (``signup_open``) and it is not
closed. The questionnaire asks the role (mentor or mentee; a circle or campaign
has participants only), up to :data:`MAX_GOALS` goals, a mentor's capacity and
when one is available. Where the programme asks for approval
(``signup_needs_approval``) the answers wait as a ``pending`` sign-up that HR
approves or declines (named transitions); otherwise they are approved at once.
Approval creates the enrolment with the goals and capacity given.

HR's invitation is a signed, expiring link to the same page
(:func:`invitation_url`, ``/tandem/signup/<slug>?invite=…``): for the person it
names, it opens the questionnaire even where the programme takes no open
sign-ups, and the sign-up is approved at once (HR chose them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock

from ..errors import NotAllowed, NotFound, Refused, SelfServiceError
from ..links import LinkError, absolute_url, make_token, read_token
from ..models import Enrolment, Person, Programme, SignUp
from ..models.signup import SIGNUP_TRANSITIONS
from ..profiles.service import items

MAX_GOALS = 3
MAX_CAPACITY = 5
MAX_AVAILABILITY = 200
PAIRED_KINDS = ("mentoring", "onboarding")
INVITE = "signup-invite"


class InvitationExpired(SelfServiceError):
    """An invitation link older than ``TANDEM_LINK_MAX_AGE_DAYS``."""

    status = 410


@dataclass(frozen=True)
class Answers:
    """The questionnaire as sent: role, goals (comma-separated), capacity (mentors), availability."""

    role: str = ""
    goals: str = ""
    capacity: str = ""
    availability: str = ""


def roles_of(programme: Programme) -> tuple[str, ...]:
    """The roles one can sign up for in ``programme``."""
    return ("mentee", "mentor") if programme.kind in PAIRED_KINDS else ("participant",)


def open_programmes(session: Session) -> list[Programme]:
    """Programmes taking sign-ups now, by name."""
    return list(
        session.scalars(
            select(Programme)
            .where(Programme.signup_open.is_(True), Programme.status != "closed", Programme.status != "draft")
            .order_by(Programme.name)
        )
    )


def invitation_url(programme: Programme, person_id: int) -> str:
    """The signed link HR's invitation e-mails: the programme's sign-up page, for ``person_id`` only."""
    token = make_token(INVITE, {"programme": programme.id, "person": person_id})
    return absolute_url(f"/tandem/signup/{programme.slug}?invite={token}")


def invited(programme: Programme, person: Person, token: str | None) -> bool:
    """Whether ``token`` is HR's invitation of ``person`` to ``programme`` (no token: False).

    A tampered link is refused (400), an expired one too (410); a genuine invitation of someone else
    does not count for this person.
    """
    if not token:
        return False
    try:
        link = read_token(INVITE, token)
    except LinkError as error:
        if error.reason == "expired":
            raise InvitationExpired("This invitation has expired; ask HR for a new one.", "invite") from None
        raise Refused("This invitation link is not valid; ask HR for a new one.", "invite") from None
    return link.payload.get("programme") == programme.id and link.payload.get("person") == person.id


def programme_for(session: Session, ref: str, person: Person | None = None, invite: str | None = None) -> Programme:
    """The programme a sign-up link names, by slug or by number, if it takes sign-ups (or ``invite`` is
    ``person``'s invitation to it and it is not closed); :class:`NotFound` otherwise."""
    programme = session.scalars(select(Programme).where(Programme.slug == ref)).first()
    if programme is None and ref.isdigit():
        programme = session.get(Programme, int(ref))
    if programme is not None and programme in open_programmes(session):
        return programme
    invitable = programme is not None and programme.status != "closed" and person is not None
    if invitable and invited(programme, person, invite):
        return programme
    raise NotFound("There is no programme by that name taking sign-ups now.", "programme")


def mine(session: Session, person: Person) -> list[SignUp]:
    """The person's sign-ups, newest first."""
    return list(session.scalars(select(SignUp).where(SignUp.person_id == person.id).order_by(SignUp.created_at.desc())))


def _validated(programme: Programme, answers: Answers) -> tuple[str, list[str], int, str]:
    role = (answers.role or "").strip()
    if role not in roles_of(programme):
        raise Refused(f"role: choose one of {', '.join(roles_of(programme))}", "role")
    goals = items(answers.goals, "goals")
    if len(goals) > MAX_GOALS:
        raise Refused(f"goals: at most {MAX_GOALS} goals", "goals")
    if role == "mentee" and not goals:
        raise Refused("goals: say at least one thing you want to learn", "goals")
    capacity = 1
    if role == "mentor":
        text = (answers.capacity or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_CAPACITY:
            raise Refused(f"capacity: a whole number of mentees from 1 to {MAX_CAPACITY}", "capacity")
        capacity = int(text)
    availability = " ".join((answers.availability or "").split())
    if len(availability) > MAX_AVAILABILITY:
        raise Refused(f"availability: at most {MAX_AVAILABILITY} characters", "availability")
    return role, goals, capacity, availability


def sign_up(
    session: Session, person: Person, programme: Programme, answers: Answers, clock: Clock, invite: str | None = None
) -> SignUp:
    """Record the answers; approved (and enrolled) at once unless the programme asks HR first and ``invite``
    is not HR's invitation of ``person``. Not committed."""
    role, goals, capacity, availability = _validated(programme, answers)
    enrolled = session.scalar(
        select(Enrolment.id).where(
            Enrolment.programme_id == programme.id, Enrolment.person_id == person.id, Enrolment.role == role
        )
    )
    waiting = session.scalar(
        select(SignUp.id).where(
            SignUp.programme_id == programme.id, SignUp.person_id == person.id, SignUp.status == "pending"
        )
    )
    if enrolled or waiting:
        raise NotAllowed(f"You have already signed up for {programme.name}.", "role")
    signup = SignUp(
        programme_id=programme.id,
        person_id=person.id,
        role=role,
        goals=goals,
        capacity=capacity,
        availability=availability,
        status="pending",
        created_at=clock.now(),
    )
    session.add(signup)
    session.flush()
    if not programme.signup_needs_approval or invited(programme, person, invite):
        approve(session, signup, "invited by HR" if invite else "", clock)
    return signup


def _move(signup: SignUp, name: str, by: str, clock: Clock) -> None:
    sources, target = SIGNUP_TRANSITIONS[name]
    if signup.status not in sources:
        raise NotAllowed(f"This sign-up is {signup.status} already; it cannot be {target} now.")
    signup.status, signup.decided_at, signup.decided_by = target, clock.now(), by[:100]


def approve(session: Session, signup: SignUp, by: str, clock: Clock) -> Enrolment:
    """``pending → approved``: the person is enrolled with their answers. Not committed."""
    _move(signup, "approve", by, clock)
    enrolment = Enrolment(
        programme_id=signup.programme_id,
        person_id=signup.person_id,
        role=signup.role,
        goals=list(signup.goals or []),
        capacity=signup.capacity if signup.role == "mentor" else 1,
        status="active",
        enrolled_at=clock.now(),
    )
    session.add(enrolment)
    session.flush()
    return enrolment


def decline(session: Session, signup: SignUp, by: str, clock: Clock) -> None:
    """``pending → declined``: nothing else changes. Not committed."""
    _move(signup, "decline", by, clock)
    session.flush()


def pending(session: Session) -> list[SignUp]:
    """Sign-ups waiting for HR, oldest first."""
    return list(session.scalars(select(SignUp).where(SignUp.status == "pending").order_by(SignUp.created_at)))


def waiting_signup(session: Session, signup_id: int) -> SignUp:
    """A sign-up by number; :class:`NotFound` if there is none."""
    signup = session.get(SignUp, signup_id)
    if signup is None:
        raise NotFound("There is no sign-up with that number.")
    return signup
