"""Notification preferences: for the signed-in person, or through the signed link in every e-mail."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import flash, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField, SubmitField, TimeField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from tandem.workflows.channels import channel_names, registered
from tandem.workflows.preferences import stored_preferences

from ..links import LinkError, read_token
from ..models import Person
from ..roles import resource_permissions
from ..scoping import current_user, person_for_user
from .page import TandemPage


class PreferencesForm(FlaskForm):
    """Channels, quiet hours, time zone, each channel's settings and daily budget (CSRF-protected).

    The channels and their settings (a webhook's URL) come from the channel registry:
    build the form with :func:`preferences_form`.
    """

    channels = SelectMultipleField(
        "Channels",
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )
    quiet_start = TimeField("Quiet hours from", validators=[Optional()])
    quiet_end = TimeField("until", validators=[Optional()])
    timezone = StringField(
        "Time zone", validators=[Optional()], description="e.g. Europe/Berlin; empty: the directory's"
    )
    daily_budget = IntegerField("At most this many messages a day", validators=[NumberRange(1, 100)], default=6)
    save = SubmitField("Save")

    def validate_timezone(self, field: StringField) -> None:
        """A known IANA time zone name."""
        if field.data:
            try:
                ZoneInfo(field.data.strip())
            except (ZoneInfoNotFoundError, ValueError):
                raise ValidationError(
                    f"timezone: {field.data!r} is not a known time zone (e.g. Europe/Berlin)"
                ) from None

    def channel_fields(self) -> list[StringField]:
        """The settings the registered channels need, in the registry's order."""
        return [self[field.name] for channel in registered() for field in channel.fields]

    def validate(self, extra_validators: Any = None) -> bool:
        """The form's own checks, then each channel setting's: its check, and present while its channel is chosen."""
        valid = super().validate(extra_validators)
        chosen = set(self.channels.data or [])
        for channel in registered():
            for setting in channel.fields:
                field, value = self[setting.name], (self[setting.name].data or "").strip()
                problem = setting.check(value) if value and setting.check else None
                if problem is None and channel.name in chosen and not value:
                    problem = f"needed for the {channel.name} channel"
                if problem is not None:
                    field.errors = [*field.errors, f"{setting.name}: {problem}"]
                    valid = False
        return valid

    def validate_quiet_end(self, field: TimeField) -> None:
        """Quiet hours need both ends."""
        if (self.quiet_start.data is None) != (field.data is None):
            raise ValidationError("quiet hours: give both the start and the end, or neither")


def preferences_form() -> PreferencesForm:
    """The preferences form for the channels registered now: one checkbox each, and each one's settings."""
    settings = {field.name: StringField(field.label) for channel in registered() for field in channel.fields}
    form = type("PreferencesForm", (PreferencesForm,), settings)()
    form.channels.choices = [SelectChoice(channel.name, channel.label) for channel in registered()]
    return form


class PreferencesView(TandemPage):
    """``/tandem/preferences/``: the signed-in person's settings; ``/tandem/preferences/<token>``: the same by link."""

    route_base = "/tandem/preferences"
    class_permission_name = "TandemNotificationPreference"
    method_permission_name = {"mine": "write"}
    base_permissions = resource_permissions("TandemNotificationPreference")
    default_view = "mine"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def mine(self) -> Any:
        """The signed-in person's preferences."""
        person = person_for_user(current_user())
        if person is None:
            return self.render_template("tandem/preferences.html", person=None, form=None, problem=None), 404
        return self._edit(person, url_for(".mine"))

    @expose("/<token>", methods=["GET", "POST"])
    def by_link(self, token: str) -> Any:
        """The preferences of the person a signed link names (no login needed)."""
        try:
            link = read_token("preferences", token)
        except LinkError as error:
            message = "This link has expired" if error.reason == "expired" else "This link is not valid"
            return self.render_template("tandem/preferences.html", person=None, form=None, problem=message), 400
        person = self.appbuilder.session.get(Person, link.payload.get("person"))
        if person is None:
            return self.render_template(
                "tandem/preferences.html", person=None, form=None, problem="This person is no longer in the directory"
            ), 404
        return self._edit(person, url_for(".by_link", token=token))

    def _edit(self, person: Person, here: str) -> Any:
        session = self.appbuilder.session
        row = stored_preferences(session, person.id)
        form = preferences_form()
        if not form.is_submitted():
            form.channels.data = list(row.channels or [])
            form.quiet_start.data, form.quiet_end.data = row.quiet_start, row.quiet_end
            form.timezone.data = row.timezone
            for field in form.channel_fields():
                field.data = getattr(row, field.name)
            form.daily_budget.data = row.daily_budget
        if form.validate_on_submit():
            row.channels = [channel for channel in form.channels.data if channel in channel_names()]
            row.quiet_start, row.quiet_end = form.quiet_start.data, form.quiet_end.data
            row.timezone = (form.timezone.data or "").strip()
            for field in form.channel_fields():
                setattr(row, field.name, (field.data or "").strip())
            row.daily_budget = form.daily_budget.data
            session.commit()
            flash("Your notification preferences are saved.", "success")
            return redirect(here)
        session.rollback()
        status = 400 if form.is_submitted() else 200
        return self.render_template("tandem/preferences.html", person=person, form=form, problem=None), status
