"""HR's directory import page: upload a CSV, read every row error or what will change, confirm, watch it run."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, current_app, jsonify, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from ..directory import ImportRejected
from ..directory.jobs import queue_import, settle_one
from ..directory.uploads import UploadRefused, decode, find_upload, preview_upload, status
from ..models import IllegalTransition
from ..roles import resource_permissions
from ..scoping import current_user
from ..settings import settings
from .page import TandemPage

KIND_WORDS = {
    "new": "new to the directory",
    "updated": "updated",
    "leaving": "leaving (status becomes left)",
    "unchanged": "unchanged",
}


class UploadForm(FlaskForm):
    """The CSV file (CSRF-protected)."""

    file = FileField("Directory file (CSV, UTF-8)", validators=[FileRequired("choose a CSV file")])
    check = SubmitField("Check the file")


class ConfirmForm(FlaskForm):
    """Confirming a checked file, or trying a failed import again (CSRF-protected)."""

    submit = SubmitField("Import now")


def _now() -> datetime:
    return datetime.now(UTC)


def _user_id() -> int:
    return int(current_user().id)


class DirectoryImportView(TandemPage):
    """``/mentoring/import-people/``: upload, errors or summary, confirm, progress."""

    route_base = "/mentoring/import-people"
    class_permission_name = "TandemPerson"
    method_permission_name = {"upload": "import", "review": "import", "start": "import", "progress": "import"}
    base_permissions = resource_permissions("TandemPerson")
    default_view = "upload"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def upload(self) -> Any:
        """The upload form; a posted file is checked and, when valid, kept for confirmation."""
        form = UploadForm()
        limit = settings().import_max_bytes
        if not form.is_submitted():
            return self._page(form=form, limit=limit)
        if not form.validate():
            return self._page(form=form, limit=limit, status=400)
        upload = form.file.data
        try:
            text = decode(upload.read(limit + 1), limit)
        except UploadRefused as refused:
            form.file.errors = [str(refused)]
            return self._page(form=form, limit=limit, status=refused.status)
        session = self.appbuilder.session
        try:
            kept = preview_upload(session, _user_id(), upload.filename or "", text, _now())
        except ImportRejected as rejected:
            session.rollback()
            return self._page(form=form, limit=limit, rejected=rejected, filename=upload.filename, status=422)
        return redirect(url_for(".review", token=kept.token))

    @expose("/<token>")
    @has_access
    def review(self, token: str) -> Any:
        """What a kept file will change (with the confirm button), or how its import is going or went."""
        upload = self._find(token)
        return self._page(form=UploadForm(), upload=upload, token=token, confirm_form=ConfirmForm())

    @expose("/<token>/confirm", methods=["POST"])
    @has_access
    def start(self, token: str) -> Any:
        """Queue a kept file (or a failed import, again) for the workers; the review page then shows its progress."""
        upload = self._find(token)
        if not ConfirmForm().validate_on_submit():
            abort(400, description="the form expired: open the page again and confirm")
        try:
            queue_import(current_app._get_current_object(), self.appbuilder.session, upload, _now())
        except IllegalTransition:
            self.appbuilder.session.rollback()
        return redirect(url_for(".review", token=token))

    @expose("/<token>/status")
    @has_access
    def progress(self, token: str) -> Any:
        """Where the import stands, as JSON for the progress bar."""
        return jsonify(status(self._find(token)))

    def _find(self, token: str) -> Any:
        """The upload, told it failed if its worker is gone (so the page never shows "running" for ever)."""
        session = self.appbuilder.session
        upload = find_upload(session, token, _user_id(), _now())
        if upload is None:
            abort(404, description="no such upload: it expired or belongs to another login; upload the file again")
        if upload.status in ("queued", "running"):
            settle_one(session, upload.id, _now())
            session.commit()
        return upload

    def _page(self, status: int = 200, **context: Any) -> Any:
        context.setdefault("limit", settings().import_max_bytes)
        return self.render_template("tandem/directory_import.html", kinds=KIND_WORDS, **context), status
