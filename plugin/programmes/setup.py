"""Setting a programme up: its kind, the workflow it runs (a stored definition used as a template), dates, cadence.

A cadence other than the template's makes the programme a workflow of its own:
the template's YAML with every recurring check-in's ``every:`` changed, saved as
a new definition named after the programme (validated like any HR edit), so the
template and the other programmes using it stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.workflows.definition import DefinitionError
from tandem.workflows.store import latest_version, save_definition

from ..errors import Refused
from ..models import PROGRAMME_KINDS, Programme
from ..programme_workflow import workflow_choices
from .fields import form_date

KIND_WORDS = {
    "onboarding": "Onboarding buddies: every new hire gets a buddy",
    "mentoring": "Mentoring: mentees paired with mentors",
    "peer_circle": "Peer circles: small groups that meet",
    "campaign": "Awareness campaign: items to read and discuss",
}
# The workflow each kind suggests first.
KIND_WORKFLOW = {
    "onboarding": "onboarding-buddy",
    "mentoring": "mentoring-cohort",
    "peer_circle": "peer-circle",
    "campaign": "career-advice-campaign",
}
CADENCES = {
    "": "as the workflow says",
    "1 week": "every week",
    "2 weeks": "every two weeks",
    "4 weeks": "every four weeks",
}
EVERY = re.compile(r"^(?P<indent>\s*)every:\s*\S.*$", re.MULTILINE)
NAME_LINE = re.compile(r"^workflow:.*$", re.MULTILINE)
TITLE_LINE = re.compile(r"^title:.*$", re.MULTILINE)
PROGRAMME_LINE = re.compile(r"^programme:.*$", re.MULTILINE)
MAX_NAME = 200


@dataclass(frozen=True)
class Setup:
    """What HR chose on the set-up form."""

    name: str
    kind: str
    workflow: str
    description: str
    starts_on: date | None
    ends_on: date | None
    cadence: str
    audience: tuple[tuple[str, str], ...] = ()  # who it is for: department, location (defaults for Invite)


def slugify(name: str) -> str:
    """A URL-safe slug of ``name``: ``Spring cohort 2027`` → ``spring-cohort-2027`` (accents dropped)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:80] or "programme"


def parse_setup(session: Session, form: Mapping[str, str], programme: Programme | None = None) -> Setup:
    """The set-up form as a :class:`Setup`; raises :class:`Refused` naming the field at fault."""
    name = " ".join((form.get("name") or "").split())
    if not name:
        raise Refused("Name: give the programme a name people will recognise", "name")
    if len(name) > MAX_NAME:
        raise Refused(f"Name: at most {MAX_NAME} characters", "name")
    taken = select(Programme.id).where(func.lower(Programme.name) == name.lower())
    if programme is not None:
        taken = taken.where(Programme.id != programme.id)
    if session.scalar(taken) is not None:
        raise Refused(f"Name: another programme is already called {name}", "name")
    kind = form.get("kind") or ""
    if kind not in PROGRAMME_KINDS:
        raise Refused("Kind: choose what sort of programme this is", "kind")
    workflow = form.get("workflow") or ""
    if workflow not in {choice.value for choice in workflow_choices(session)}:
        raise Refused("Workflow: choose one of the workflows listed", "workflow")
    starts_on = form_date(form, "starts_on", "Starts on")
    ends_on = form_date(form, "ends_on", "Ends on")
    if starts_on and ends_on and ends_on < starts_on:
        raise Refused("Ends on: the programme cannot end before it starts", "ends_on")
    cadence = form.get("cadence") or ""
    if cadence not in CADENCES:
        raise Refused(f"Check-ins: choose one of {', '.join(v for v in CADENCES.values())}", "cadence")
    description = (form.get("description") or "").strip()[:4000]
    audience = tuple((key, (form.get(f"audience_{key}") or "").strip()[:120]) for key in ("department", "location"))
    return Setup(name, kind, workflow, description, starts_on, ends_on, cadence, audience)


def _with_audience(programme: Programme, setup: Setup) -> None:
    rules = dict(programme.enrolment_rules or {})
    rules["audience"] = {**(rules.get("audience") or {}), **dict(setup.audience)}
    programme.enrolment_rules = rules


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, number = base, 2
    while session.scalar(select(Programme.id).where(Programme.slug == slug)) is not None:
        slug, number = f"{base}-{number}", number + 1
    return slug


def with_cadence(source: str, name: str, title: str, every: str, programme: str) -> str:
    """``source`` as a programme's own workflow: named ``name``, titled ``title``, check-ins ``every``, and
    (for a workflow started by a hire) starting in the programme whose slug is ``programme``."""
    text = NAME_LINE.sub(f"workflow: {name}", source, count=1)
    text = TITLE_LINE.sub(f"title: {_quoted(title)}", text, count=1)
    text = PROGRAMME_LINE.sub(f"programme: {programme}", text, count=1)
    return EVERY.sub(lambda match: f"{match['indent']}every: {every}", text)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def own_workflow_name(slug: str) -> str:
    """The name of the workflow a programme gets when HR changes its template's cadence."""
    return f"programme-{slug}"[:100]


def _own_workflow(session: Session, setup: Setup, slug: str, author: str) -> str:
    template = latest_version(session, setup.workflow)
    if template is None:
        raise Refused("Workflow: choose one of the workflows listed", "workflow")
    if not EVERY.search(template.source):
        raise Refused(
            f"Check-ins: {template.title or template.name} has no recurring check-ins; keep its own timing",
            "cadence",
        )
    name = setup.workflow if setup.workflow == own_workflow_name(slug) else own_workflow_name(slug)
    try:
        row, _created = save_definition(
            session, with_cadence(template.source, name, setup.name, setup.cadence, slug), author
        )
    except DefinitionError as error:
        raise Refused(f"Check-ins: {error.problems[0]}", "cadence") from None
    return row.name


def cadence_of(session: Session, programme: Programme) -> str:
    """The check-in interval the programme's workflow uses (``2 weeks``), or "" when it has none."""
    row = latest_version(session, programme.workflow or "")
    if row is None:
        return ""
    found = EVERY.search(row.source)
    return found.group(0).split("every:", 1)[1].strip() if found else ""


def create_programme(session: Session, setup: Setup, author: str = "") -> Programme:
    """A new draft programme from ``setup``; with its own workflow when HR chose another cadence."""
    slug = _unique_slug(session, setup.name)
    workflow = _own_workflow(session, setup, slug, author) if setup.cadence else setup.workflow
    programme = Programme(
        name=setup.name,
        slug=slug,
        kind=setup.kind,
        status="draft",
        description=setup.description,
        starts_on=setup.starts_on,
        ends_on=setup.ends_on,
        workflow=workflow,
        enrolment_rules={},
        matching_settings={},
    )
    _with_audience(programme, setup)
    session.add(programme)
    session.flush()
    return programme


def update_programme(session: Session, programme: Programme, setup: Setup, author: str = "") -> None:
    """Change a programme's set-up; the kind stays once people are enrolled (their roles depend on it)."""
    if setup.kind != programme.kind and programme.enrolments:
        raise Refused("Kind: people are already enrolled; the kind can no longer change", "kind")
    programme.name, programme.kind, programme.description = setup.name, setup.kind, setup.description
    programme.starts_on, programme.ends_on = setup.starts_on, setup.ends_on
    programme.workflow = _own_workflow(session, setup, programme.slug, author) if setup.cadence else setup.workflow
    _with_audience(programme, setup)
    session.flush()
