"""Self-match: a mentee sees their best suggestions with the reasons and asks one mentor, who accepts or declines.

A programme allows it unless its matching settings say ``"self_match": {"enabled": false}``;
``max_pending`` (default 3) limits the requests a mentee has open at once. An
accepted request becomes a ``proposed`` pairing announced by ``pairing.proposed``,
exactly as a published HR run does, and the mentee's other open requests there are withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.matching.loader import score_pairs, suggest
from tandem.workflows.matching.settings import MatchSettings
from tandem.workflows.matching.solver import Assignment

from ..errors import NotAllowed, NotFound, Refused
from ..models import Enrolment, MatchRequest, Person, Programme
from .notices import notify
from .pairings import free_places, open_pairing, propose_pairing

MAX_MESSAGE = 1000

# request transition name -> (allowed source statuses, target status)
REQUEST = {
    "accept": (("pending",), "accepted"),
    "decline": (("pending",), "declined"),
    "withdraw": (("pending",), "withdrawn"),
}


@dataclass(frozen=True)
class SelfMatchRules:
    """A programme's self-match switch and limits."""

    enabled: bool = True
    max_pending: int = 3
    suggestions: int = 5

    @classmethod
    def of(cls, programme: Programme) -> SelfMatchRules:
        """The rules stored under ``self_match`` in the programme's matching settings."""
        raw: dict[str, Any] = (programme.matching_settings or {}).get("self_match") or {}
        return cls(
            enabled=bool(raw.get("enabled", True)) and programme.kind == "mentoring",
            max_pending=int(raw.get("max_pending", 3)),
            suggestions=int(raw.get("suggestions", 5)),
        )


@dataclass(frozen=True)
class Suggestion:
    """A mentor a mentee may ask, with the score and why."""

    mentor: Person
    score: int
    breakdown: dict[str, int]
    free_places: int


def mentee_enrolments(session: Session, person: Person) -> list[Enrolment]:
    """The person's active mentee places in running programmes that allow self-match."""
    enrolments = session.scalars(
        select(Enrolment)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(
            Enrolment.person_id == person.id,
            Enrolment.role == "mentee",
            Enrolment.status == "active",
            Programme.status == "active",
        )
        .order_by(Programme.name)
    )
    return [e for e in enrolments if SelfMatchRules.of(e.programme).enabled]


def mentee_programme(session: Session, person: Person, programme_id: int) -> Programme:
    """The programme ``programme_id`` if the person is a mentee there and it takes requests; 404 otherwise."""
    for enrolment in mentee_enrolments(session, person):
        if enrolment.programme_id == programme_id:
            return enrolment.programme
    raise NotFound("You are not a mentee in a programme with that number that takes requests.", "programme")


def suggestions(session: Session, programme: Programme, person: Person) -> tuple[list[Suggestion], str]:
    """The mentee's best mentors now (not those already asked or who declined them), and why none if none."""
    rules = _rules(programme)
    asked = set(
        session.scalars(
            select(MatchRequest.mentor_id).where(
                MatchRequest.programme_id == programme.id,
                MatchRequest.mentee_id == person.id,
                MatchRequest.status.in_(("pending", "declined")),
            )
        )
    )
    chosen = MatchSettings.from_json(programme.matching_settings)
    found, why = suggest(session, programme, person, chosen, k=rules.suggestions, exclude=asked)
    mentors = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_([a.mentor for a in found])))}
    return [
        Suggestion(mentors[a.mentor], a.score, dict(a.breakdown), free_places(session, programme.id, a.mentor))
        for a in found
    ], why


def pending_requests(session: Session, programme_id: int, mentee_id: int) -> int:
    """How many of the mentee's requests in the programme wait for an answer."""
    return session.scalar(
        select(func.count(MatchRequest.id)).where(
            MatchRequest.programme_id == programme_id,
            MatchRequest.mentee_id == mentee_id,
            MatchRequest.status == "pending",
        )
    )


def request_mentor(
    session: Session, programme: Programme, person: Person, mentor_id: int, message: str, clock: Clock
) -> MatchRequest:
    """Ask ``mentor_id`` to mentor ``person``; the mentor is told at once.

    Refused when: not a mentee there (404), already paired or at the pending limit or already asked (409),
    the message too long or the mentor not eligible for a hard constraint (400, naming the field).
    """
    rules = _rules(programme)
    enrolled = session.scalar(
        select(Enrolment.id).where(
            Enrolment.programme_id == programme.id,
            Enrolment.person_id == person.id,
            Enrolment.role == "mentee",
            Enrolment.status == "active",
        )
    )
    if enrolled is None:
        raise NotFound(f"You are not a mentee in {programme.name}.", "programme")
    if len(message) > MAX_MESSAGE:
        raise Refused(f"Keep the message under {MAX_MESSAGE} characters.", "message")
    if open_pairing(session, programme.id, person.id) is not None:
        raise NotAllowed(f"You already have a pairing in {programme.name}.", "programme")
    if pending_requests(session, programme.id, person.id) >= rules.max_pending:
        raise NotAllowed(
            f"You have {rules.max_pending} requests waiting for an answer; withdraw one or wait for a reply.",
            "mentor",
        )
    duplicate = session.scalar(
        select(MatchRequest.id).where(
            MatchRequest.programme_id == programme.id,
            MatchRequest.mentee_id == person.id,
            MatchRequest.mentor_id == mentor_id,
            MatchRequest.status.in_(("pending", "declined")),
        )
    )
    if duplicate is not None:
        raise NotAllowed("You have already asked this mentor.", "mentor")
    mentor = session.get(Person, mentor_id)
    if mentor is None or free_places(session, programme.id, mentor_id) <= 0:
        raise Refused("That person is not a mentor with a free place in this programme.", "mentor")
    result = score_pairs(
        session, programme, MatchSettings.from_json(programme.matching_settings), [(person.id, mentor_id)]
    )
    scored = result[(person.id, mentor_id)]
    if not isinstance(scored, Assignment):
        raise Refused(f"{mentor.full_name} cannot be your mentor here: {scored.reason}.", "mentor")
    request = MatchRequest(
        programme_id=programme.id,
        mentee_id=person.id,
        mentor_id=mentor_id,
        score=scored.score,
        breakdown=dict(scored.breakdown),
        message=message.strip(),
        created_at=clock.now(),
    )
    session.add(request)
    session.flush()
    notify(
        session,
        [mentor_id],
        "matching/request",
        f"match-request:{request.id}:asked",
        subject=f"{person.full_name} asks you to be their mentor",
        mentee=person.full_name,
        programme=programme.name,
        message=request.message,
    )
    return request


def own_request(session: Session, request_id: int, person_id: int, side: str) -> MatchRequest:
    """A request where ``person_id`` is the ``side`` (``mentee`` or ``mentor``); :class:`NotFound` otherwise."""
    request = session.get(MatchRequest, request_id)
    if request is None or getattr(request, f"{side}_id") != person_id:
        raise NotFound("There is no such request among yours.", "request")
    return request


def withdraw(session: Session, request: MatchRequest, clock: Clock) -> None:
    """The mentee takes a pending request back."""
    _move(request, "withdraw", clock)
    session.flush()


def decline(session: Session, request: MatchRequest, clock: Clock) -> None:
    """The mentor says no; the mentee is told kindly and can ask someone else."""
    _move(request, "decline", clock)
    notify(
        session,
        [request.mentee_id],
        "matching/request-declined",
        f"match-request:{request.id}:declined",
        subject=f"{request.mentor.full_name} cannot mentor you right now",
        mentor=request.mentor.full_name,
        programme=request.programme.name,
    )
    session.flush()


def accept(session: Session, request: MatchRequest, clock: Clock) -> int:
    """The mentor says yes: a ``proposed`` pairing announced by ``pairing.proposed`` (the workflow introduces
    them); the mentee's other pending requests there are withdrawn. Returns the pairing's id."""
    _move(request, "accept", clock)
    pairing = propose_pairing(
        session,
        request.programme,
        request.mentee_id,
        request.mentor_id,
        request.score,
        request.breakdown,
        event_id=f"match-request-{request.id}-accepted",
        source="self-match",
    )
    request.pairing_id = pairing.id
    others = session.scalars(
        select(MatchRequest).where(
            MatchRequest.programme_id == request.programme_id,
            MatchRequest.mentee_id == request.mentee_id,
            MatchRequest.status == "pending",
        )
    )
    for other in others:
        _move(other, "withdraw", clock)
    session.flush()
    return pairing.id


def _move(request: MatchRequest, name: str, clock: Clock) -> None:
    sources, target = REQUEST[name]
    if request.status not in sources:
        raise NotAllowed(f"This request is already {request.status}.", "request")
    request.status = target
    request.decided_at = clock.now()


def _rules(programme: Programme) -> SelfMatchRules:
    rules = SelfMatchRules.of(programme)
    if not rules.enabled or programme.status != "active":
        raise NotAllowed(f"{programme.name} does not take requests from mentees.", "programme")
    return rules
