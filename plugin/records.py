"""What each kind of record shows and accepts, declared once for its admin pages and its REST resource.

A :class:`Record` names the model's own attributes: which are listed, which a single record adds, which
are searched, and which may be set when adding or editing. The admin view and the REST resource of the
same model both read it, so a field cannot be shown, or written, through one face and not the other by
oversight. Each face only adds its own way of *presenting* those fields:

- a page may show a stored value in words under another name (a pairing's ``score`` as its ``fit``);
- the REST resource returns a record's id first and a relation as the related row's keys
  (``mentor`` → ``mentor.id``, ``mentor.full_name``), and may carry machine data no page shows
  (``data``: JSON settings, idempotency keys).

What a person wrote never appears in either (see :mod:`tandem.plugin.selfservice.content`): a check-in
lists participation only, a pairing never its end reason, an enrolment never its goals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PERSON_REF = ("id", "full_name")


@dataclass(frozen=True)
class Record:
    """The fields of one model that people list, read, search, add and edit (see the module)."""

    listed: tuple[str, ...]
    detail: tuple[str, ...] = ()
    searched: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()
    refs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    data: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[str, ...]:
        """Everything a single record shows: the listed fields, then the detail."""
        return (*self.listed, *self.detail)

    def rest(self, names: Iterable[str], with_id: bool = True) -> list[str]:
        """``names`` as REST columns: the id first, each relation as the keys of it the resource returns."""
        columns = ["id"] if with_id else []
        for name in names:
            columns.extend(f"{name}.{key}" for key in self.refs[name]) if name in self.refs else columns.append(name)
        return columns

    def rest_shown(self) -> list[str]:
        """A single record through the REST resource: everything shown, then the machine data."""
        return [*self.rest(self.shown), *self.data]

    @staticmethod
    def page(names: Iterable[str], as_shown: Mapping[str, str] | None = None) -> list[str]:
        """``names`` as an admin page's columns, each stored value under the name the page shows it by."""
        return [(as_shown or {}).get(name, name) for name in names]


_PROGRAMME_SETTINGS = (
    "name",
    "slug",
    "kind",
    "status",
    "description",
    "starts_on",
    "ends_on",
    "workflow",
    "signup_open",
    "signup_needs_approval",
)
_PERSON_DETAILS = (
    "full_name",
    "email",
    "title",
    "department",
    "location",
    "country",
    "timezone",
    "manager",
    "hire_date",
    "seniority",
    "remote",
    "status",
)

PROGRAMME = Record(
    listed=("name", "slug", "kind", "status", "starts_on", "ends_on", "workflow"),
    detail=("description", "signup_open", "signup_needs_approval"),
    searched=("name", "kind", "status", "starts_on", "ends_on"),
    added=_PROGRAMME_SETTINGS,
    edited=_PROGRAMME_SETTINGS,
    data=("enrolment_rules", "matching_settings"),
)

ENROLMENT = Record(  # goals are the pair's: never listed, shown or set here
    listed=("programme", "person", "role", "capacity", "status", "enrolled_at"),
    searched=("programme", "person", "role", "status"),
    added=("programme", "person", "role", "capacity", "status"),
    edited=("role", "capacity", "status"),
    refs={"programme": ("id", "name"), "person": PERSON_REF},
)

PAIRING = Record(  # the end reason is the person's own words: never shown (README, Security)
    listed=("programme", "mentor", "mentee", "status", "score", "proposed_at"),
    detail=("score_breakdown", "started_at", "ended_at"),
    searched=("programme", "mentor", "mentee", "status"),
    added=("programme", "mentor", "mentee", "status"),
    edited=("status",),
    refs={"programme": ("id",), "mentor": PERSON_REF, "mentee": PERSON_REF},
)

CHECK_IN = Record(  # participation only: never a rating, topic or note
    listed=("respondent", "pairing", "sequence", "due_at", "status", "completed_at"),
    detail=("enrolment",),
    searched=("respondent", "pairing", "status", "due_at"),
    refs={"respondent": PERSON_REF, "pairing": ("id",), "enrolment": ("id",)},
)

NOTIFICATION = Record(
    listed=("recipient", "channel", "template", "status", "attempts", "created_at", "sent_at"),
    detail=("error",),
    searched=("recipient", "channel", "template", "status", "created_at"),
    refs={"recipient": ("id",)},
    data=("idempotency_key", "context"),
)

PERSON = Record(
    listed=("employee_id", "full_name", "email", "department", "title", "location", "manager", "status"),
    detail=("country", "timezone", "remote", "hire_date", "seniority"),
    searched=(
        "employee_id",
        "full_name",
        "email",
        "department",
        "title",
        "location",
        "country",
        "status",
        "remote",
        "manager",
        "hire_date",
    ),
    added=("employee_id", *_PERSON_DETAILS),  # the employee id is the directory's key: set once, never edited
    edited=_PERSON_DETAILS,
    refs={"manager": ("id", "employee_id")},
    data=("skills", "interests", "languages"),
)
