"""HR's workflow editor: YAML with validation errors in the form, its steps in words, and a simulated preview."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from tandem.workflows import migration, templating
from tandem.workflows.clock import SystemClock
from tandem.workflows.definition import Definition, DefinitionError, load_definition
from tandem.workflows.store import latest_version, save_definition

from ..directory.search import find_person, person_label
from ..models import Person
from ..roles import resource_permissions
from ..scoping import current_user, current_username, visible_people
from ..workflow_overview import Timeline, step_words, timeline
from .page import TandemPage

NEW_DEFINITION = """workflow: my-workflow
title: My workflow
subject: participant
steps:
  - notify: {to: [participant], template: onboarding/introduction}
"""


class DefinitionForm(FlaskForm):
    """The editor form (CSRF-protected like every Tandem form)."""

    source = TextAreaField("Definition (YAML)", validators=[InputRequired()])
    person = StringField("Preview for", validators=[Optional()], description="a name, e-mail, team or employee id")
    start = DateField("starting on", validators=[Optional()])
    days = IntegerField("for days", default=60, validators=[Optional(), NumberRange(1, 730)])
    preview = SubmitField("Preview")
    save = SubmitField("Save as a new version")


class WorkflowEditorView(TandemPage):
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
        preview: Timeline | None = None
        steps = []
        status = 200
        if form.is_submitted() and not form.validate():
            status = 400
        elif form.is_submitted():
            try:
                definition = load_definition(form.source.data)
                unknown = templating.unknown_templates(session, definition)
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
                steps = step_words(definition)
                preview = self._preview(definition, form)
                status = 400 if form.person.errors else 200
        if not form.is_submitted() and row is not None:
            steps = step_words(load_definition(row.source))
        page = self.render_template(
            "tandem/workflow_editor.html", form=form, row=row, name=name, preview=preview, steps=steps
        )
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

    def _preview(self, definition: Definition, form: DefinitionForm) -> Timeline | None:
        session = self.appbuilder.session
        if form.person.data:
            try:
                person = find_person(session, form.person.data, visible_people(current_user()))
            except LookupError as error:
                form.person.errors = [str(error)]
                return None
        else:
            person = session.scalars(select(Person).order_by(Person.full_name)).first()
        if person is None:
            form.person.errors = ["the directory is empty: import people first"]
            return None
        form.person.data = person_label(person)
        return timeline(definition, person, form.start.data or date.today(), form.days.data or 60)
