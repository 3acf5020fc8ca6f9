"""The engine in the admin: definition versions, workflow runs with their history, the Operations inbox."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from markupsafe import Markup
from sqlalchemy import select

from tandem.workflows import operations
from tandem.workflows.clock import SystemClock
from tandem.workflows.definition import DefinitionError, load_definition

from ..formatting import trigger_words
from ..models import Incident, InstanceHistory, Person, WorkflowDefinition, WorkflowInstance
from ..roles import METHOD_PERMISSIONS
from ..scoping import current_user
from ..selfservice.timeline import describe_signal
from ..workflow_overview import step_words, timeline
from .base import READ_ONLY, RowInterface, TandemModelView
from .formatting import effects, source, step

ACTION_PERMISSIONS = {**METHOD_PERMISSIONS, "retry": "write", "skip": "write", "cancel": "write"}


def _by() -> str:
    user = current_user()
    return getattr(user, "username", "") or "someone"


def _run(items: Any, operation: Any, done: str) -> int:
    """Apply an operations-inbox ``operation`` to each item; flash what happened."""
    from flask import current_app

    session = current_app.appbuilder.session
    handled = 0
    for item in items if isinstance(items, list) else [items]:
        try:
            operation(session, item.id, SystemClock(), _by())
            handled += 1
        except operations.IncidentClosed as error:
            flash(str(error), "warning")
    session.commit()
    if handled:
        flash(f"{handled} {done}", "success")
    return handled


def _retry(items: Any, operation: Any) -> None:
    """Re-run the failed work of each item now and flash each outcome in words (see ``operations.retry``)."""
    from flask import current_app

    session = current_app.appbuilder.session
    for item_id in [item.id for item in (items if isinstance(items, list) else [items])]:
        try:
            outcomes = operation(session, item_id, SystemClock(), _by())
        except operations.IncidentClosed as error:
            session.rollback()
            flash(str(error), "warning")
            continue
        for outcome in outcomes if isinstance(outcomes, list) else [outcomes]:
            flash(outcome.message, "success" if outcome.closed else "danger")
        if outcomes == []:
            flash("That run has no failed step to retry.", "info")


def _editor_link(name: str) -> Markup:
    return Markup('<a href="{}" class="tandem-editor-link">Open {} in the workflow editor</a>').format(
        url_for("WorkflowEditorView.edit", name=name), name
    )


class WorkflowDefinitionView(TandemModelView):
    """Every saved version of every workflow definition (read-only: the editor saves new versions)."""

    datamodel = RowInterface(WorkflowDefinition, computed={"editor": lambda row: row.name})
    class_permission_name = "TandemWorkflow"
    route_base = "/mentoring/workflows"
    include_route_methods = READ_ONLY
    base_order = ("name", "asc")
    list_columns = ["title", "name", "version", "trigger", "active", "created_by", "created_at", "editor"]
    search_columns = ["name", "trigger", "active", "created_by"]
    show_columns = ["title", "name", "version", "trigger", "active", "created_by", "created_at", "editor"]
    show_template = "tandem/workflow_show.html"
    label_columns = {"trigger": "Starts", "editor": "Edit", "source": "Definition", "created_by": "Saved by"}
    formatters_columns = {"trigger": trigger_words, "source": source, "editor": _editor_link}

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        """One version: its details, the YAML as written beside its steps in words, and a sample timeline."""
        pk = self._deserialize_pk_if_composite(pk)
        widgets = self._show(pk)
        row = self.datamodel.get(pk)
        try:
            definition = load_definition(row.source)
        except DefinitionError:  # saved under an older schema: the YAML still shows
            definition = None
        session = self.datamodel.session
        person = session.scalars(select(Person).where(Person.status == "active").order_by(Person.full_name)).first()
        sample = timeline(definition, person, date.today(), 60) if person and definition else None
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            row=row,
            source=source(row.source),
            steps=step_words(definition) if definition else [],
            preview=sample,
        )


class InstanceHistoryView(TandemModelView):
    """An instance's history: every signal and the effects it produced."""

    datamodel = RowInterface(InstanceHistory)
    class_permission_name = "TandemWorkflowInstance"
    route_base = "/mentoring/workflow-history"
    include_route_methods = READ_ONLY
    base_order = ("id", "asc")
    list_columns = ["at", "signal", "step", "status", "effects"]
    show_columns = ["instance", "at", "signal", "step", "status", "effects", "recorded_at"]
    label_columns = {"at": "When", "signal": "What happened", "step": "Then at", "effects": "What it did"}
    formatters_columns = {
        "signal": lambda signal: describe_signal(signal).capitalize(),
        "step": step,
        "effects": effects,
    }


class WorkflowInstanceView(TandemModelView):
    """Workflow runs: where each stands, its timeline, and cancel / retry."""

    datamodel = RowInterface(WorkflowInstance)
    class_permission_name = "TandemWorkflowInstance"
    route_base = "/mentoring/workflow-runs"
    method_permission_name = ACTION_PERMISSIONS
    include_route_methods = READ_ONLY | {"action", "action_post"}
    base_order = ("started_at", "desc")
    related_views = [InstanceHistoryView]
    show_template = "appbuilder/general/model/show_cascade.html"
    list_columns = ["definition", "subject", "programme", "status", "step", "started_at", "updated_at"]
    search_columns = ["definition", "subject", "programme", "status", "started_at"]
    show_columns = ["definition", "subject", "programme", "status", "step", "started_at", "updated_at"]
    label_columns = {"definition": "Workflow", "subject": "About"}
    formatters_columns = {"step": step}

    @action("cancel", "Cancel", "Cancel these workflow runs? Their pairings are closed.", "fa-ban")
    def cancel(self, items: Any) -> Any:
        """Cancel the selected runs."""
        _run(items, operations.cancel_instance, "workflow run(s) cancelled")
        return redirect(self.get_redirect())

    @action("retry", "Retry failed steps", "Retry every failed step of these runs?", "fa-redo")
    def retry(self, items: Any) -> Any:
        """Run the failed steps of the selected runs again now; say how each went."""
        _retry(items, operations.retry_instance)
        return redirect(self.get_redirect())


class IncidentView(TandemModelView):
    """The Operations inbox: steps whose retries ran out, for HR to retry, skip or cancel."""

    datamodel = RowInterface(Incident)
    class_permission_name = "TandemIncident"
    route_base = "/mentoring/operations"
    method_permission_name = ACTION_PERMISSIONS
    include_route_methods = READ_ONLY | {"action", "action_post"}
    base_order = ("created_at", "desc")
    list_title = "Operations inbox"
    list_columns = ["status", "summary", "instance", "created_at", "resolved_by"]
    search_columns = ["status", "summary", "created_at"]
    show_columns = ["status", "summary", "instance", "error", "created_at", "resolved_at", "resolved_by"]

    @action("retry", "Retry", "Run the failed step again now?", "fa-redo")
    def retry(self, items: Any) -> Any:
        """Run the failed work again now; the incident closes only if it succeeded."""
        _retry(items, operations.retry)
        return redirect(self.get_redirect())

    @action("skip", "Skip the step", "Move past the failed step without running it?", "fa-forward")
    def skip(self, items: Any) -> Any:
        """Move the instances past their failed step."""
        _run(items, operations.skip, "step(s) skipped")
        return redirect(self.get_redirect())

    @action("cancel", "Cancel the run", "Cancel the whole workflow run?", "fa-ban")
    def cancel(self, items: Any) -> Any:
        """Cancel the instances whose step failed."""
        _run(items, operations.cancel, "run(s) cancelled")
        return redirect(self.get_redirect())
