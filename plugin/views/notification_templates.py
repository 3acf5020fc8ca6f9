"""HR's notification template editor: override a shipped template, preview it with sample data, save versions."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_wtf import FlaskForm
from jinja2.sandbox import SecurityError
from sqlalchemy import func, select
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Regexp

from tandem.workflows import templating
from tandem.workflows.notification_context import sample_context

from ..models import NotificationTemplate
from ..roles import resource_permissions
from ..scoping import current_user

NAME = r"^[a-z0-9][a-z0-9/_-]{0,199}$"


class TemplateForm(FlaskForm):
    """Subject, text and HTML of one template (CSRF-protected)."""

    name = StringField(
        "Template name", validators=[InputRequired(), Regexp(NAME, message="name: lower-case words and /")]
    )
    subject = TextAreaField("Subject", validators=[InputRequired()])
    text = TextAreaField("Text part", validators=[InputRequired()])
    html = TextAreaField("HTML part", validators=[InputRequired()])
    preview = SubmitField("Preview with sample data")
    save = SubmitField("Save as a new version")


class NotificationTemplateView(BaseView):
    """``/mentoring/notification-templates/``: every template; ``…/<name>`` edits one."""

    route_base = "/mentoring/notification-templates"
    class_permission_name = "TandemNotificationTemplate"
    method_permission_name = {"list": "read", "edit": "write"}
    base_permissions = resource_permissions("TandemNotificationTemplate")
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> Any:
        """Shipped templates and HR's overrides, with their latest version."""
        session = self.appbuilder.session
        versions = dict(
            session.execute(
                select(NotificationTemplate.name, func.max(NotificationTemplate.version)).group_by(
                    NotificationTemplate.name
                )
            ).all()
        )
        names = sorted(set(templating.shipped_names()) | set(versions))
        return self.render_template("tandem/notification_templates.html", names=names, versions=versions)

    @expose("/edit/<path:name>", methods=["GET", "POST"])
    @has_access
    def edit(self, name: str) -> Any:
        """Edit ``name``: the form shows the latest override, or the shipped files."""
        session = self.appbuilder.session
        form = TemplateForm()
        override = templating.latest_override(session, name)
        if not form.is_submitted():
            try:
                sources = templating.sources_for(session, name)
            except LookupError:
                abort(404)
            form.name.data = name
            form.subject.data, form.text.data, form.html.data = sources["subject"], sources["text"], sources["html"]
        preview = None
        status = 200
        if form.validate_on_submit():
            sources = {"subject": form.subject.data, "text": form.text.data, "html": form.html.data}
            try:
                if form.save.data:
                    row = templating.save_override(
                        session, form.name.data, sources, sample_context(), getattr(current_user(), "username", "")
                    )
                    session.commit()
                    flash(f"{row.name}: version {row.version} saved", "success")
                    return redirect(url_for(".edit", name=row.name))
                templating.check_source(sources)
                preview = templating.render_sources(sources, sample_context())
            except templating.TemplateRefused as error:
                session.rollback()
                self._show_problems(form, error.problems)
                status = 400
            except SecurityError as error:
                form.html.errors = [f"refused: {error}"]
                status = 400
            except Exception as error:
                form.text.errors = [f"does not render with the sample data: {error}"]
                status = 400
        elif form.is_submitted():
            status = 400
        page = self.render_template(
            "tandem/notification_template_edit.html", form=form, name=name, override=override, preview=preview
        )
        return page, status

    @staticmethod
    def _show_problems(form: TemplateForm, problems: dict[str, str]) -> None:
        for part, problem in problems.items():
            field = {"subject": form.subject, "text": form.text, "html": form.html}.get(part, form.text)
            field.errors = [*field.errors, f"{part}: {problem}"]
