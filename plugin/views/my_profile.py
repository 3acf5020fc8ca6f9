"""My profile: the signed-in person edits their own profile (and nobody else's)."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import Flask, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access

from ..errors import Refused, SelfServiceError
from ..models import effective
from ..profiles import ProfileInput, profile_of, save_profile
from ..profiles.photos import MAX_BYTES
from .selfservice import READ, WRITE, SelfServiceView

# The whole form may carry the largest photo accepted and its text fields; a larger body is refused (413)
# before anything reads it (Flask-WTF's CSRF check reads the form first, so the limit is set before it).
UPLOAD_LIMIT = MAX_BYTES + 256 * 1024
PROFILE_PATH = "/tandem/profile/"


def _bound_profile_upload() -> None:
    if request.method == "POST" and request.path == PROFILE_PATH:
        request.max_content_length = UPLOAD_LIMIT


def install_upload_limit(app: Flask) -> None:
    """Bound the profile form's body, ahead of every other ``before_request`` function (idempotent)."""
    first = app.before_request_funcs.setdefault(None, [])
    if _bound_profile_upload not in first:
        first.insert(0, _bound_profile_upload)


def _time(field: str) -> time | None:
    text = (request.form.get(field) or "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise Refused(f"{field}: {text[:20]!r} is not a time like 09:00", field) from None


class MyProfileView(SelfServiceView):
    """``/tandem/profile/``: my profile, to read and edit."""

    route_base = "/tandem/profile"
    default_view = "edit"
    method_permission_name = {"edit": READ, "save": WRITE}

    def _form(self, person: Any, status: int = 200, error: SelfServiceError | None = None, sent: Any = None) -> Any:
        profile = profile_of(self.session, person.id)
        return self.page(
            "tandem/me/profile_edit.html",
            status=status,
            person=person,
            facts=effective(person, profile),
            profile=profile,
            error=error,
            sent=sent,
            max_mb=MAX_BYTES // (1024 * 1024),
        )

    @expose("/")
    @has_access
    def edit(self) -> Any:
        """The form, filled with what I said and, where I said nothing, what the directory knows."""
        return self._form(self.me())

    @expose("/", methods=["POST"])
    @has_access
    def save(self) -> Any:
        """Save my profile; a bad field is refused (400) naming it, and nothing is saved."""
        person = self.me()
        upload = request.files.get("photo")
        try:
            given = ProfileInput(
                bio=request.form.get("bio", ""),
                help_with=request.form.get("help_with", ""),
                want_to_learn=request.form.get("want_to_learn", ""),
                languages=request.form.get("languages", ""),
                location=request.form.get("location", ""),
                timezone=request.form.get("timezone", ""),
                work_start=_time("work_start"),
                work_end=_time("work_end"),
                photo=upload.read() if upload and upload.filename else None,
                remove_photo=request.form.get("remove_photo") == "yes",
            )
            save_profile(self.session, person, given)
        except SelfServiceError as error:
            self.session.rollback()
            return self._form(person, status=error.status, error=error, sent=request.form)
        self.session.commit()
        flash("Your profile is saved.", "success")
        return redirect(url_for("MyProfileView.edit"))
