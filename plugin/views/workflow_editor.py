"""HR's workflow editor: YAML with validation errors in the form, and a simulated preview."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from tandem.workflows import migration, templating
from tandem.workflows.clock import SystemClock
from tandem.workflows.definition import Definition, DefinitionError, Problem, load_definition
from tandem.workflows.runtime import participant
from tandem.workflows.simulate import simulate
from tandem.workflows.store import latest_version, save_definition

from ..models import Person
from ..roles import resource_permissions
from ..scoping import current_username

NEW_DEFINITION = """workflow: my-workflow
title: My workflow
subject: participant
steps:
  - notify: {to: [participant], template: onboarding/introduction}
"""


def unknown_templates(session: Any, definition: Definition) -> list[Problem]:
    """A problem for each step naming a notification template that neither ships nor was saved by HR."""
    problems = []
    for index, step in enumerate(definition.steps):
        name = step.options.get("template")
        if not name:
            continue
        try:
            templating.sources_for(session, name)
        except LookupError:
            problems.append(Problem(f"steps[{index}].{step.kind}.template", f'unknown template "{name}"'))
    return problems


class DefinitionForm(FlaskForm):
    """The editor form (CSRF-protected like every Tandem form)."""

    source = TextAreaField("Definition (YAML)", validators=[InputRequired()])
    employee_id = StringField("Preview for employee id", validators=[Optional()])
    start = DateField("starting on", validators=[Optional()])
    days = IntegerField("for days", default=60, validators=[Optional(), NumberRange(1, 730)])
    preview = SubmitField("Preview")
    save = SubmitField("Save as a new version")


class WorkflowEditorView(BaseView):
    """``/mentoring/workflow-editor/<name>``: edit, validate, preview and save a definition."""

    route_base = "/mentoring/workflow-editor"
    class_permission_name = "TandemWorkflow"
    method_permission_name = {"edit": "write", "migrate": "write"}
    base_permissions = resource_permissions("TandemWorkflow")
    default_view = "edit"

    @expose("/", methods=["GET", "POST"])
    @expose("/<name>", methods=["GET", "POST"])
    @has_access
    def edit(self, name: str = "new") -> Any:
        """Show the latest version of ``name``; validate, preview or save what HR typed."""
        session = self.appbuilder.session
        row = latest_version(session, name) if name != "new" else None
        if name != "new" and row is None:
            abort(404)
        form = DefinitionForm()
        if not form.is_submitted():
            form.source.data = row.source if row else NEW_DEFINITION
        timeline: list[str] = []
        status = 200
        if form.is_submitted() and not form.validate():
            status = 400
        elif form.is_submitted():
            try:
                definition = load_definition(form.source.data)
                unknown = unknown_templates(session, definition)
                if unknown:
                    raise DefinitionError(unknown)
            except DefinitionError as error:
                form.source.errors = [str(problem) for problem in error.problems]
                status = 400
            else:
                if form.save.data:
                    saved, created = save_definition(session, form.source.data, author=current_username())
                    session.commit()
                    flash(
                        f"{saved.name}: version {saved.version} saved" if created else "No change to save.", "success"
                    )
                    return redirect(url_for(".edit", name=saved.name))
                timeline = self._preview(definition, form)
                status = 400 if form.employee_id.errors else 200
        page = self.render_template("tandem/workflow_editor.html", form=form, row=row, name=name, timeline=timeline)
        return page, status

    @expose("/<name>/migrate", methods=["GET", "POST"])
    @has_access
    def migrate(self, name: str) -> Any:
        """Preview what moving older runs to the latest version does for whom; migrate on confirmation."""
        session = self.appbuilder.session
        if latest_version(session, name) is None:
            abort(404)
        form = FlaskForm()
        if form.validate_on_submit():
            moved = migration.migrate(session, name, SystemClock(), by=current_username())
            session.commit()
            flash(f"{len(moved)} run(s) moved to the latest version of {name}", "success")
            return redirect(url_for(".edit", name=name))
        return self.render_template(
            "tandem/workflow_migrate.html", name=name, plan=migration.preview(session, name), form=form
        )

    def _preview(self, definition: Any, form: DefinitionForm) -> list[str]:
        person = None
        if form.employee_id.data:
            person = self.appbuilder.session.scalars(
                select(Person).where(Person.employee_id == form.employee_id.data.strip())
            ).first()
            if person is None:
                form.employee_id.errors = [f"no person with employee id {form.employee_id.data!r}"]
                return []
        if person is None:
            person = self.appbuilder.session.scalars(select(Person).order_by(Person.id)).first()
        if person is None:
            form.employee_id.errors = ["the directory is empty: import people first"]
            return []
        day = form.start.data or date.today()
        start = datetime.combine(day, time(9), tzinfo=ZoneInfo(person.timezone)).astimezone(UTC)
        entries = simulate(definition, participant(person), start, days=form.days.data or 60)
        return [f"Preview for {person.full_name} ({person.timezone}) from {day}:"] + [e.format(start) for e in entries]
