"""HR's notification template editor: override a shipped template, preview it with sample data, save versions."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, Regexp

from tandem.workflows import plaintext, templating
from tandem.workflows.notification_context import sample_context

from ..formatting import template_label
from ..models import NotificationTemplate
from ..roles import resource_permissions
from ..scoping import current_user
from .page import TandemPage

NAME = r"^[a-z0-9][a-z0-9/_-]{0,199}$"


# Sample variables the editor does not list: internal, or a machine timestamp (``meeting.local`` is for people).
HIDDEN_VARIABLES = {"workflow", "meeting.start", "acknowledge"}
MODES = [
    SelectChoice("plain", "Plain text: write the message, Tandem makes the e-mail"),
    SelectChoice("full", "Text and HTML (Jinja)"),
]


class TemplateForm(FlaskForm):
    """Subject with either a plain-text message or the text and HTML parts (CSRF-protected)."""

    name = StringField(
        "Template name", validators=[InputRequired(), Regexp(NAME, message="name: lower-case words and /")]
    )
    mode = RadioField("Write as", choices=MODES, validators=[Optional()])
    subject = TextAreaField("Subject", validators=[InputRequired()])
    message = TextAreaField("Message", validators=[Optional()])
    text = TextAreaField("Text part", validators=[Optional()])
    html = TextAreaField("HTML part", validators=[Optional()])
    preview = SubmitField("Preview with sample data")
    save = SubmitField("Save as a new version")

    def sources(self) -> dict[str, str]:
        """The three parts to check, render and save: made from the message in plain-text mode.

        Raises :class:`TemplateRefused` naming the part at fault.
        """
        subject = self.subject.data or ""
        if self.mode.data == "plain":
            known = {name for name, _ in plaintext.variables(sample_context())}
            try:
                plaintext.check_plain(subject, known)
                plaintext.check_plain(self.message.data or "", known)
            except plaintext.NotPlainText as error:
                raise templating.TemplateRefused({"message": str(error)}) from None
            if not (self.message.data or "").strip():
                raise templating.TemplateRefused({"message": "write the message"})
            return {"subject": subject, **plaintext.from_plain_text(self.message.data)}
        missing = {part: "required" for part in ("text", "html") if not (getattr(self, part).data or "").strip()}
        if missing:
            raise templating.TemplateRefused(missing)
        return {"subject": subject, "text": self.text.data, "html": self.html.data}


class NotificationTemplateView(TandemPage):
    """``/mentoring/notification-templates/``: every template; ``…/<name>`` edits one."""

    route_base = "/mentoring/notification-templates"
    class_permission_name = "TandemNotificationTemplate"
    method_permission_name = {"list": "read", "edit": "write", "live_preview": "write"}
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
            plain = plaintext.is_plain(sources["text"]) and plaintext.is_plain(sources["subject"])
            form.mode.data = "plain" if plain else "full"
            form.message.data = plaintext.plain_message(sources["text"]) if plain else ""
        preview = None
        status = 200
        if form.validate_on_submit():
            try:
                sources = form.sources()
                if form.save.data:
                    row = templating.save_override(
                        session, form.name.data, sources, sample_context(), getattr(current_user(), "username", "")
                    )
                    session.commit()
                    flash(f"{template_label(row.name)}: version {row.version} saved", "success")
                    return redirect(url_for(".edit", name=row.name))
                preview = templating.checked_render(sources, sample_context())
            except templating.TemplateRefused as error:
                session.rollback()
                self._show_problems(form, error.problems)
                status = 400
        elif form.is_submitted():
            status = 400
        page = self.render_template(
            "tandem/notification_template_edit.html",
            form=form,
            name=name,
            override=override,
            preview=preview,
            variables=[(n, sample) for n, sample in plaintext.variables(sample_context()) if n not in HIDDEN_VARIABLES],
        )
        return page, status

    @expose("/preview", methods=["POST"])
    @has_access
    def live_preview(self) -> Any:
        """The form rendered with sample data in the sandbox, as JSON for the live preview (400 with the problems)."""
        form = TemplateForm()
        if not form.validate_on_submit():
            problems = {field: "; ".join(errors) for field, errors in form.errors.items()}
            return jsonify(problems=problems), 400
        try:
            rendered = templating.checked_render(form.sources(), sample_context())
        except templating.TemplateRefused as error:
            return jsonify(problems=error.problems), 400
        return jsonify(subject=rendered.subject, text=rendered.text, html=rendered.html)

    @staticmethod
    def _show_problems(form: TemplateForm, problems: dict[str, str]) -> None:
        main = form.message if form.mode.data == "plain" else form.text
        for part, problem in problems.items():
            field = {"subject": form.subject, "text": form.text, "html": form.html, "message": form.message}.get(
                part, main
            )
            field.errors = [*field.errors, f"{part}: {problem}"]
