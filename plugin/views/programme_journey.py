"""HR's programme page: a programme's whole life in one place — set up, matching settings, invite, match,
launch, watch, close — with a preview of a sample participant's timeline beside the settings.

Permission: ``can_read``/``can_write`` on ``TandemProgramme`` (HR). Every change is a
CSRF-protected POST that calls :mod:`tandem.plugin.programmes`; a refused change
re-renders the page with the message beside the field at fault and a 4xx status,
and nothing is saved. After a change the page returns to the step where the work
continues, with a flash message saying what happened.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from tandem.workflows.clock import SystemClock
from tandem.workflows.definition import DefinitionError
from tandem.workflows.runtime import participant
from tandem.workflows.simulate import simulate
from tandem.workflows.store import latest_version, parsed

from ..errors import NotFound, SelfServiceError
from ..formatting import local_time, template_label
from ..matchmaking.present import pool_sizes
from ..matchmaking.review import MATCHABLE_KINDS
from ..models import PROGRAMME_KINDS, Enrolment, MatchRun, Pairing, Person, Programme
from ..programme_workflow import workflow_choices
from ..programmes import audience as audiences
from ..programmes import lifecycle, watch
from ..programmes.enrol import enrol_audience, parse_role
from ..programmes.matching import controls, save_matching_settings
from ..programmes.setup import (
    CADENCES,
    KIND_WORDS,
    KIND_WORKFLOW,
    cadence_of,
    create_programme,
    parse_setup,
    update_programme,
)
from ..roles import resource_permissions
from ..scoping import current_username
from ..settings import settings
from .page import TandemPage

RESOURCE = "TandemProgramme"
STAGES = (
    ("setup", "Set up"),
    ("matching", "Matching settings"),
    ("invite", "Invite"),
    ("match", "Match"),
    ("launch", "Launch"),
    ("watch", "Watch"),
    ("close", "Close"),
)
PREVIEW_DAYS = 90
TEMPLATE_NAME = re.compile(r"\b[a-z]+(?:-[a-z]+)*/[a-z]+(?:-[a-z]+)*\b")


# The end-of-programme survey's results page (helper "goals"), linked from the Close step once it is installed.
SURVEY_RESULTS = "FeedbackResultsView.programme"


def optional_url(endpoint: str, **values: Any) -> str | None:
    """The URL of ``endpoint``, or None when no such view is registered."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def timeline_words(text: str) -> str:
    """A simulated timeline line with template names as titles: ``checkin/prompt`` → ``Check-in prompt``."""
    return TEMPLATE_NAME.sub(lambda found: template_label(found.group(0)), text)


class ProgrammeJourneyView(TandemPage):
    """``/mentoring/programme``: the list of programmes, a new one, and each programme's page."""

    route_base = "/mentoring/programme"
    default_view = "index"
    class_permission_name = RESOURCE
    base_permissions = resource_permissions(RESOURCE)
    # Running a programme is HR's work: every page needs ``can_write`` (staff and managers may read
    # programmes in lists, but never their drafts, audiences or matching settings here).
    method_permission_name = dict.fromkeys(
        ("index", "show", "new", "setup", "matching", "invite", "launch", "close"), "write"
    )

    # ---- pages -------------------------------------------------------------------------------

    @expose("/")
    @has_access
    def index(self) -> Any:
        """Every programme with the step it is at (drafts, running, closed; by name), and a way to set up a new one."""
        programmes = self.session.scalars(select(Programme).order_by(Programme.status, Programme.name)).all()
        counts = dict(
            self.session.execute(
                select(Enrolment.programme_id, func.count(Enrolment.id))
                .where(Enrolment.status.in_(("active", "completed")))
                .group_by(Enrolment.programme_id)
            ).all()
        )
        rows = [(programme, counts.get(programme.id, 0), self._next_stage(programme)) for programme in programmes]
        return self.page("tandem/programmes/index.html", rows=rows, stages=dict(STAGES))

    @expose("/new", methods=["GET", "POST"])
    @has_access
    def new(self) -> Any:
        """Set up a new programme (a draft until launched)."""
        values: dict[str, Any] = dict(request.form) if request.method == "POST" else {"kind": "mentoring"}
        values.setdefault("workflow", KIND_WORKFLOW.get(values.get("kind", ""), ""))
        if request.method == "POST":
            try:
                setup = parse_setup(self.session, request.form)
                programme = create_programme(self.session, setup, author=current_username())
            except SelfServiceError as error:
                self.session.rollback()
                return self._new_page(values, {error.field or "name": error.message}, error.status)
            self.session.commit()
            flash(f"Set up {programme.name} as a draft. Next: choose how people are matched.", "success")
            return redirect(url_for(".show", pk=programme.id, _anchor=self._after_setup(programme)))
        return self._new_page(values, {}, 200)

    @expose("/<int:pk>/")
    @has_access
    def show(self, pk: int) -> Any:
        """The programme's page: every step, where it stands, and what to do next."""
        programme = self._programme(pk)
        return self._show(programme)

    # ---- changes -----------------------------------------------------------------------------

    @expose("/<int:pk>/setup", methods=["POST"])
    @has_access
    def setup(self, pk: int) -> Any:
        """Change name, kind, workflow, dates or cadence."""
        programme = self._programme(pk)
        try:
            update_programme(self.session, programme, parse_setup(self.session, request.form, programme))
        except SelfServiceError as error:
            return self._refused(pk, error, "setup")
        self.session.commit()
        flash(f"Saved the set-up of {programme.name}.", "success")
        return redirect(url_for(".show", pk=pk, _anchor=self._after_setup(programme)))

    @expose("/<int:pk>/matching", methods=["POST"])
    @has_access
    def matching(self, pk: int) -> Any:
        """Save the weights and hard constraints the matcher uses for this programme."""
        programme = self._programme(pk)
        try:
            save_matching_settings(programme, request.form)
        except SelfServiceError as error:
            return self._refused(pk, error, "matching")
        self.session.commit()
        flash(f"Saved how {programme.name} matches people. Next: invite who takes part.", "success")
        return redirect(url_for(".show", pk=pk, _anchor="invite"))

    @expose("/<int:pk>/invite", methods=["POST"])
    @has_access
    def invite(self, pk: int) -> Any:
        """Preview who the chosen audience reaches; on confirmation enrol them all and send the invitations."""
        programme = self._programme(pk)
        try:
            chosen = audiences.parse_audience(self.session, request.form)
            role, capacity = parse_role(programme, request.form)
            if request.form.get("confirm") != "yes":
                found = audiences.preview(self.session, programme, chosen)
                return self._show(programme, preview=found, invite_values=dict(request.form))
            done = enrol_audience(self.session, programme, chosen, role, capacity)
        except SelfServiceError as error:
            return self._refused(pk, error, "invite")
        self.session.commit()
        flash(done.sentence(), "success")
        anchor = "match" if programme.kind in MATCHABLE_KINDS else "launch"
        return redirect(url_for(".show", pk=pk, _anchor=anchor))

    @expose("/<int:pk>/launch", methods=["POST"])
    @has_access
    def launch(self, pk: int) -> Any:
        """Start the programme, publishing the matching draft HR accepted."""
        programme = self._programme(pk)
        try:
            launched = lifecycle.launch(self.session, programme, SystemClock())
        except SelfServiceError as error:
            return self._refused(pk, error, "launch")
        self.session.commit()
        flash(launched.sentence, "success")
        return redirect(url_for(".show", pk=pk, _anchor="watch"))

    @expose("/<int:pk>/close", methods=["POST"])
    @has_access
    def close(self, pk: int) -> Any:
        """Close and archive the programme."""
        programme = self._programme(pk)
        try:
            closed = lifecycle.close(self.session, programme, SystemClock())
        except SelfServiceError as error:
            return self._refused(pk, error, "close")
        self.session.commit()
        flash(closed.sentence, "success")
        return redirect(url_for(".show", pk=pk, _anchor="close"))

    # ---- helpers -----------------------------------------------------------------------------

    def _programme(self, pk: int) -> Programme:
        programme = self.session.get(Programme, pk)
        if programme is None:
            error = NotFound("There is no such programme.", "programme")
            abort(self.page("tandem/me/refused.html", status=404, error=error, back=url_for(".index")))
        return programme

    def _refused(self, pk: int, error: SelfServiceError, stage: str) -> Any:
        self.session.rollback()
        programme = self._programme(pk)
        return self._show(
            programme,
            errors={error.field or stage: error.message},
            status=error.status,
            invite_values=dict(request.form) if stage == "invite" else None,
            setup_values=dict(request.form) if stage == "setup" else None,
            matching_values=dict(request.form) if stage == "matching" else None,
        )

    def _after_setup(self, programme: Programme) -> str:
        return "matching" if programme.kind in MATCHABLE_KINDS else "invite"

    def _new_page(self, values: dict[str, Any], errors: dict[str, str], status: int) -> Any:
        return self.page(
            "tandem/programmes/new.html",
            status=status,
            values=values,
            errors=errors,
            kinds=[(kind, KIND_WORDS[kind]) for kind in PROGRAMME_KINDS],
            workflows=workflow_choices(self.session),
            cadences=CADENCES,
            choices=audiences.choices(self.session),
        )

    def _next_stage(self, programme: Programme) -> str:
        return next((key for key, done in self._done(programme).items() if not done), "close")

    def _done(self, programme: Programme) -> dict[str, bool]:
        matchable = programme.kind in MATCHABLE_KINDS
        enrolled = self.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.programme_id == programme.id))
        matched = self.session.scalar(
            select(func.count(Pairing.id)).where(Pairing.programme_id == programme.id)
        ) or self.session.scalar(
            select(func.count(MatchRun.id)).where(MatchRun.programme_id == programme.id, MatchRun.status != "discarded")
        )
        return {
            "setup": True,
            "matching": not matchable or bool((programme.matching_settings or {}).get("weights")),
            "invite": bool(enrolled),
            "match": not matchable or bool(matched),
            "launch": programme.status != "draft",
            "watch": programme.status == "closed",
            "close": programme.status == "closed",
        }

    def _timeline(self, programme: Programme) -> dict[str, Any]:
        """A sample participant's first 90 days on the programme's workflow (the same code production runs)."""
        row = latest_version(self.session, programme.workflow or "")
        if row is None:
            return {"problem": "Choose a workflow in the set-up to see a timeline.", "entries": []}
        person = (
            self.session.scalars(
                select(Person)
                .join(Enrolment, Enrolment.person_id == Person.id)
                .where(Enrolment.programme_id == programme.id, Enrolment.role.in_(("mentee", "participant")))
                .order_by(Enrolment.id)
            ).first()
            or self.session.scalars(select(Person).where(Person.status == "active").order_by(Person.id)).first()
        )
        if person is None:
            return {"problem": "The directory is empty: import people to see a timeline.", "entries": []}
        try:
            definition = parsed(row)
        except DefinitionError:
            return {"problem": "The workflow has errors; open it in the workflow editor.", "entries": []}
        day = max(programme.starts_on or date.today(), date.today())
        start = datetime.combine(day, time(9), tzinfo=ZoneInfo(person.timezone or "UTC")).astimezone(UTC)
        entries = simulate(definition, participant(person), start, days=PREVIEW_DAYS)
        return {
            "person": person,
            "title": row.title or row.name,
            "entries": [
                (
                    (entry.at.date() - start.date()).days,
                    local_time(entry.at, entry.timezone),
                    timeline_words(entry.text),
                )
                for entry in entries[:60]
            ],
            "more": max(0, len(entries) - 60),
        }

    def _show(
        self,
        programme: Programme,
        errors: dict[str, str] | None = None,
        status: int = 200,
        preview: audiences.Preview | None = None,
        invite_values: dict[str, Any] | None = None,
        setup_values: dict[str, Any] | None = None,
        matching_values: dict[str, Any] | None = None,
    ) -> Any:
        now = SystemClock().now()
        matchable = programme.kind in MATCHABLE_KINDS
        audience = (programme.enrolment_rules or {}).get("audience") or {}
        invite = {"role": "participant" if not matchable else "mentee", "capacity": "1", **audience}
        setup = {
            "name": programme.name,
            "kind": programme.kind,
            "workflow": programme.workflow or "",
            "description": programme.description,
            "starts_on": programme.starts_on.isoformat() if programme.starts_on else "",
            "ends_on": programme.ends_on.isoformat() if programme.ends_on else "",
            "cadence": "",
            "audience_department": audience.get("department", ""),
            "audience_location": audience.get("location", ""),
        }
        enrolled = dict(
            self.session.execute(
                select(Enrolment.role, func.count(Enrolment.id))
                .where(Enrolment.programme_id == programme.id, Enrolment.status == "active")
                .group_by(Enrolment.role)
            ).all()
        )
        return self.page(
            "tandem/programmes/show.html",
            status=status,
            programme=programme,
            stages=STAGES,
            done=self._done(programme),
            matchable=matchable,
            errors=errors or {},
            setup={**setup, **(setup_values or {})},
            kinds=[(kind, KIND_WORDS[kind]) for kind in PROGRAMME_KINDS],
            workflows=workflow_choices(self.session),
            cadences=CADENCES,
            cadence=cadence_of(self.session, programme),
            controls=controls(programme.matching_settings),
            matching_values=matching_values,
            choices=audiences.choices(self.session),
            invite={**invite, **(invite_values or {})},
            preview=preview,
            enrolled=enrolled,
            pool=pool_sizes(self.session, programme) if matchable else None,
            draft=lifecycle.draft_run(self.session, programme),
            timeline=self._timeline(programme),
            funnel=watch.programme_funnel(self.session, programme, settings().min_group_size),
            funnel_words=watch.FUNNEL_WORDS,
            quiet=watch.quiet_pairs(self.session, now, programme.id),
            incidents=watch.open_incidents(self.session, programme.id),
            upcoming=watch.upcoming(self.session, now, programme.id),
            requests=watch.waiting_requests(self.session, programme.id),
            close_hooks=lifecycle.close_hooks(),
            survey_url=optional_url(SURVEY_RESULTS, pk=programme.id),
        )
