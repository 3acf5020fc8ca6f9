"""HR's review of a matching run: solve into a draft, edit it, publish it as pairings.

Nothing here is visible to staff until :func:`publish`: a draft lives in
``tandem_match_run`` / ``tandem_match_proposal``, which only HR reads.
Publishing turns the accepted proposals into ``proposed`` pairings, each
announced by ``pairing.proposed``, so the programme's workflow introduces the pair.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.matching.loader import load_pool, score_pairs
from tandem.workflows.matching.settings import MatchSettings, SettingsError
from tandem.workflows.matching.solver import Assignment, solve

from ..errors import NotAllowed, NotFound, Refused
from ..models import MatchProposal, MatchRun, Pairing, Programme
from ..models.base import utcnow
from . import circles
from .drafts import discard_drafts, require_draft
from .pairings import propose_pairing, require_introducing_workflow

MATCHABLE_KINDS = ("mentoring", "onboarding", "peer_circle")

# proposal transition name -> (allowed source statuses, target status)
PROPOSAL = {"accept": (("proposed", "rejected"), "accepted"), "reject": (("proposed", "accepted"), "rejected")}


def find_programme(session: Session, key: str) -> Programme:
    """A programme by slug, name or id; :class:`NotFound` naming ``programme`` when there is none."""
    programme = session.scalars(select(Programme).where((Programme.slug == key) | (Programme.name == key))).first()
    if programme is None and key.isdigit():
        programme = session.get(Programme, int(key))
    if programme is None:
        raise NotFound(f"no programme {key!r}", "programme")
    return programme


def find_run(session: Session, run_id: int) -> MatchRun:
    """A run by id; :class:`NotFound` otherwise."""
    run = session.get(MatchRun, run_id)
    if run is None:
        raise NotFound(f"no matching run {run_id}", "run")
    return run


def find_proposal(run: MatchRun, proposal_id: int) -> MatchProposal:
    """A proposal of ``run``; :class:`NotFound` for any other id."""
    proposal = next((p for p in run.proposals if p.id == proposal_id), None)
    if proposal is None:
        raise NotFound(f"run {run.id} has no proposal {proposal_id}", "proposal")
    return proposal


def run_matching(
    session: Session, programme: Programme, settings: dict[str, Any] | None = None, author: str = ""
) -> MatchRun:
    """Solve the programme's whole pool into a new draft (earlier drafts are discarded); circles for a
    peer-circle programme (:mod:`.circles`).

    ``settings`` (JSON, as on the programme) overrides the programme's own for this run: HR's
    "re-run with changed weights". Bad settings raise :class:`Refused` naming the field.
    """
    if programme.kind not in MATCHABLE_KINDS:
        raise Refused(
            f"{programme.name} is a {programme.kind.replace('_', ' ')} programme: nobody to pair", "programme"
        )
    if programme.status == "closed":
        raise NotAllowed(f"{programme.name} is closed", "programme")
    if programme.kind == "peer_circle":
        return circles.form_draft(session, programme, author)
    try:
        chosen = MatchSettings.from_json(programme.matching_settings if settings is None else settings)
    except SettingsError as error:
        raise Refused(str(error), error.field) from None
    pool = load_pool(session, programme)
    solution = solve(pool.mentees, pool.mentors, chosen, pool.previous)
    discard_drafts(session, programme)
    run = MatchRun(
        programme=programme,
        status="draft",
        settings=chosen.to_json(),
        total_score=solution.total,
        unmatched=[{"person_id": u.mentee, "reason": u.reason} for u in solution.unmatched],
        stats={**solution.stats, "mentees": len(pool.mentees), "mentors": len(pool.mentors)},
        created_by=author,
    )
    run.proposals = [
        MatchProposal(mentee_id=p.mentee, mentor_id=p.mentor, score=p.score, breakdown=p.breakdown, status="proposed")
        for p in solution.pairs
    ]
    session.add(run)
    session.flush()
    return run


def decide(proposal: MatchProposal, name: str) -> None:
    """Accept or reject one proposal of a draft (a rejected mentee stays in the pool)."""
    require_draft(proposal.run)
    sources, target = PROPOSAL[name]
    if proposal.status not in sources:
        raise NotAllowed(f"proposal {proposal.id} is already {proposal.status}", "proposal")
    proposal.status = target


def accept_all(run: MatchRun) -> int:
    """Accept every proposal of a draft that HR has not rejected; returns how many."""
    require_draft(run)
    waiting = [p for p in run.proposals if p.status == "proposed"]
    for proposal in waiting:
        proposal.status = "accepted"
    return len(waiting)


def swap(session: Session, first: MatchProposal, second: MatchProposal) -> None:
    """Exchange the mentors of two proposals of one draft; refused (naming the constraint) when either new
    pair breaks a hard constraint. Both get their new score and breakdown and wait for HR's decision again."""
    require_draft(first.run)
    if first.run_id != second.run_id or first.id == second.id:
        raise Refused("swap two different proposals of the same run", "other")
    if first.mentor_id == second.mentor_id:
        raise Refused("both proposals already have the same mentor", "other")
    chosen = MatchSettings.from_json(first.run.settings)
    wanted = [(first.mentee_id, second.mentor_id), (second.mentee_id, first.mentor_id)]
    scored = score_pairs(session, first.run.programme, chosen, wanted)
    for (mentee_id, mentor_id), result in scored.items():
        if not isinstance(result, Assignment):
            names = {p.mentee_id: p.mentee.full_name for p in (first, second)}
            mentors = {p.mentor_id: p.mentor.full_name for p in (first, second)}
            raise NotAllowed(f"{names[mentee_id]} with {mentors[mentor_id]}: {result.reason}", "other")
    first.mentor_id, second.mentor_id = second.mentor_id, first.mentor_id
    for proposal in (first, second):
        result = scored[(proposal.mentee_id, proposal.mentor_id)]
        proposal.score, proposal.breakdown, proposal.status = result.score, dict(result.breakdown), "proposed"
    session.flush()
    for proposal in (first, second):
        session.refresh(proposal)
    first.run.total_score = sum(p.score for p in first.run.proposals)


def discard(run: MatchRun) -> None:
    """Throw a draft away."""
    require_draft(run)
    run.status = "discarded"


def publish_run(session: Session, run: MatchRun, clock: Clock) -> str:
    """Publish a draft of either kind; returns a sentence saying what happened."""
    if run.circles:
        started = circles.publish(session, run, clock)
        return f"Published {len(run.circles)} circle(s); {started} member(s) welcomed by the programme's workflow."
    pairings = publish(session, run)
    return f"Published {len(pairings)} pairing(s); each pair is introduced by the programme's workflow."


def publish(session: Session, run: MatchRun) -> list[Pairing]:
    """Turn the draft's accepted proposals into ``proposed`` pairings, each announced by ``pairing.proposed``;
    the run becomes ``published``. Refused with nothing accepted, or when the pool changed since the run
    (a mentee paired meanwhile, a mentor full): then re-run."""
    require_draft(run)
    accepted = [p for p in run.proposals if p.status == "accepted"]
    if not accepted:
        raise Refused("accept at least one proposal before publishing", "proposals")
    require_introducing_workflow(session, run.programme)  # before anything is written
    pairings = []
    for proposal in accepted:
        pairing = propose_pairing(
            session,
            run.programme,
            proposal.mentee_id,
            proposal.mentor_id,
            proposal.score,
            proposal.breakdown,
            event_id=f"match-run-{run.id}-proposal-{proposal.id}",
            source="matching",
        )
        proposal.pairing_id = pairing.id
        pairings.append(pairing)
    run.status = "published"
    run.published_at = utcnow()
    session.flush()
    return pairings
