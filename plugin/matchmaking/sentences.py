"""Why two people were matched, in sentences: the one place a score breakdown becomes words.

The words come from the very breakdown the solver stored (which criteria earned
points, and how many), on the same 0–100 scale as :mod:`.explain`; the
particulars — which language, which topic, how many hours — come from the two
people's profiles. "You" is whoever reads: the mentee, the mentor, or nobody
(HR, an e-mail to both), then both are named.

    >>> sentences(...)  # doctest: +SKIP
    ['You both speak Spanish.', '6 hours of shared working time.',
     'Esther Okafor can help with platform engineering, which you want to learn.']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.workflows.matching.circles import CIRCLE_CRITERIA
from tandem.workflows.matching.settings import CRITERIA

from ..models import Enrolment, Person, Profile, effective
from ..models.profile import Facts
from .explain import ALIASES, SIMPLE_MAXIMA, pairing_weights

WORKDAY_HOURS = 8
_ENGLISH = Locale("en")


@dataclass(frozen=True)
class Side:
    """One person of a pair as the sentences need them: who, what they know, what they want."""

    person: Person
    facts: Facts
    wanted: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The whole name (a "first name" means different things in different cultures)."""
        return self.person.full_name


def language_name(code: str) -> str:
    """``"es"`` → ``"Spanish"``; a value that is not a language code stays as written."""
    text = code.strip()
    try:
        return _ENGLISH.languages.get(text.replace("-", "_").lower()) or _ENGLISH.languages.get(text) or text
    except (AttributeError, ValueError):
        return text


def listing(values: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    values = [v for v in values if v]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def _common(a: Sequence[str], b: Sequence[str]) -> list[str]:
    theirs = {value.casefold() for value in b}
    return [value for value in a if value.casefold() in theirs]


def _years(start: date | None, today: date) -> int:
    return max(0, (today - start).days // 365) if start else 0


def _points(breakdown: Mapping[str, float], weights: Mapping[str, int]) -> dict[str, float]:
    """Each criterion's own points (0–100) where the breakdown is the solver's weight × points."""
    if breakdown and set(breakdown) <= set(CRITERIA):
        return {key: value / weights[key] for key, value in breakdown.items() if weights.get(key)}
    return {}


class _Voice:
    """Pronouns for a reader: "you" for the viewer, names for everyone else."""

    def __init__(self, mentee: Side, mentor: Side, viewer: str | None) -> None:
        self.mentee, self.mentor, self.viewer = mentee, mentor, viewer

    def who(self, role: str) -> str:
        side = self.mentee if role == "mentee" else self.mentor
        return "you" if self.viewer == role else side.name

    def both(self) -> str:
        return "You both" if self.viewer else f"{self.mentee.name} and {self.mentor.name} both"

    def pair(self) -> str:
        return "You" if self.viewer else f"{self.mentee.name} and {self.mentor.name}"

    def wants(self) -> str:
        return "you want" if self.viewer == "mentee" else f"{self.mentee.name} wants"

    def verb(self, role: str, you: str, them: str) -> str:
        return you if self.viewer == role else them


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(key: str, points: float | None, voice: _Voice, today: date) -> str:
    mentee, mentor = voice.mentee, voice.mentor
    if key == "goals":
        topics = _common(mentee.wanted, mentor.facts.help_with)
        if topics:
            return _cap(f"{voice.who('mentor')} can help with {listing(topics)}, which {voice.wants()} to learn.")
        return _cap(f"{voice.who('mentor')} can help with what {voice.wants()} to learn.")
    if key == "languages":
        shared = _common(mentee.facts.languages, mentor.facts.languages)
        if shared:
            return f"{voice.both()} speak {listing([language_name(code) for code in shared])}."
        return f"{voice.both()} speak a language in common."
    if key == "timezone":
        if points is None:
            return "Your working hours overlap." if voice.viewer else "Their working hours overlap."
        hours = round(points * WORKDAY_HOURS / 100)
        return f"{hours} hour{'s' if hours != 1 else ''} of shared working time."
    if key == "seniority":
        gap = (mentor.person.seniority or 0) - (mentee.person.seniority or 0)
        if gap > 0:
            levels = f"{gap} level{'s' if gap != 1 else ''}"
            return _cap(
                f"{voice.who('mentor')} {voice.verb('mentor', 'are', 'is')} {levels} more senior than "
                f"{voice.who('mentee')}."
            )
        return _cap(f"{voice.who('mentor')} {voice.verb('mentor', 'bring', 'brings')} more experience.")
    if key == "tenure":
        gap = _years(mentor.person.hire_date, today) - _years(mentee.person.hire_date, today)
        if gap > 0:
            years = f"{gap} year{'s' if gap != 1 else ''}"
            return _cap(
                f"{voice.who('mentor')} {voice.verb('mentor', 'have', 'has')} been with the company {years} "
                f"longer than {voice.who('mentee')}."
            )
        return _cap(f"{voice.who('mentor')} {voice.verb('mentor', 'have', 'has')} been with the company longer.")
    if key == "department":
        parts = [mentee.person.department, mentor.person.department]
        where = f" ({listing([p for p in parts if p])})" if all(parts) else ""
        return f"{voice.pair()} work in different departments{where}, so each sees a new part of the company."
    if key == "interests":
        shared = _common(mentee.facts.interests, mentor.facts.interests)
        what = listing(shared) if shared else "the same things"
        return f"{voice.pair()} share an interest in {what}."
    if key == "location":
        place = mentor.facts.location or mentee.facts.location
        return f"{voice.both()} work in {place}." if place else f"{voice.both()} work in the same place."
    return ""


CIRCLE_SENTENCES = {
    "department": "Your circle brings together different departments.",
    "location": "Your circle brings together different places.",
    "seniority": "Your circle mixes levels of experience.",
    "timezone": "Your circle shares working hours.",
}


def sentences(
    breakdown: Mapping[str, Any] | None,
    weights: Mapping[str, int],
    mentee: Side,
    mentor: Side,
    viewer: str | None = None,
    today: date | None = None,
) -> list[str]:
    """Each criterion that earned points, as a sentence, most points first.

    ``breakdown`` is what the solver stored (weight × points per criterion; older pairings' keys are
    read through the same aliases as :func:`.explain.explain`); ``viewer`` is ``"mentee"``, ``"mentor"``
    or None (then both are named).
    """
    raw = {key: float(value or 0) for key, value in (breakdown or {}).items()}
    points = _points(raw, weights)
    voice = _Voice(mentee, mentor, viewer)
    today = today or date.today()
    ordered = sorted((key for key, value in raw.items() if value > 0), key=lambda key: -raw[key])
    said: list[str] = []
    for key in ordered:
        name = ALIASES.get(key, key)
        if name not in CRITERIA and key not in SIMPLE_MAXIMA:
            continue
        text = _sentence(name, points.get(key), voice, today)
        if text and text not in said:
            said.append(text)
    return said


def circle_sentences(breakdown: Mapping[str, Any] | None) -> list[str]:
    """A circle's reasons in words, most points first (circles are scored as a group, not per pair)."""
    raw = {key: float(value or 0) for key, value in (breakdown or {}).items() if key in CIRCLE_CRITERIA}
    return [CIRCLE_SENTENCES[key] for key in sorted(raw, key=lambda k: -raw[k]) if raw[key] > 0]


def side(session: Session, person: Person, programme_id: int | None, role: str) -> Side:
    """``person`` with their effective facts and, as a mentee, what they want: their enrolment's goals, else
    their profile's "want to learn" (what the solver read)."""
    profile = session.scalars(select(Profile).where(Profile.person_id == person.id)).first()
    facts = effective(person, profile)
    wanted: tuple[str, ...] = ()
    if role == "mentee":
        goals = None
        if programme_id is not None:
            goals = session.scalar(
                select(Enrolment.goals).where(
                    Enrolment.programme_id == programme_id,
                    Enrolment.person_id == person.id,
                    Enrolment.role != "mentor",
                )
            )
        wanted = tuple(goals or facts.want_to_learn or facts.help_with)
    return Side(person, facts, wanted)


def match_sentences(session: Session, match: Any, viewer_id: int | None = None, today: date | None = None) -> list[str]:
    """A pairing's or a match request's reasons in words, for ``viewer_id`` (one of the two, or nobody)."""
    breakdown = getattr(match, "score_breakdown", None) or getattr(match, "breakdown", None)
    programme = match.programme
    mentee = side(session, match.mentee, match.programme_id, "mentee")
    mentor = side(session, match.mentor, match.programme_id, "mentor")
    viewer = {match.mentee_id: "mentee", match.mentor_id: "mentor"}.get(viewer_id) if viewer_id else None
    weights = pairing_weights(programme and programme.matching_settings)
    return sentences(breakdown, weights, mentee, mentor, viewer, today)


def suggestion_sentences(
    session: Session, programme: Any, mentee: Person, mentor: Person, breakdown: Mapping[str, Any]
) -> list[str]:
    """A suggested mentor's reasons in words, for the mentee reading them."""
    return sentences(
        breakdown,
        pairing_weights(programme.matching_settings),
        side(session, mentee, programme.id, "mentee"),
        side(session, mentor, None, "mentor"),
        "mentee",
    )
