"""A colleague's profile and photo: only for the person, their pair or circle, and HR (404 for anyone else)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask_appbuilder import expose, has_access

from ..models import Person, effective
from ..profiles import may_see, profile_of
from ..roles import resource_permissions
from ..scoping import current_user, person_for_user, sees_everyone
from .page import TandemPage


class ProfileView(TandemPage):
    """``/tandem/people/<pk>/profile`` and ``…/photo`` (permission: read people; then the pair rule)."""

    route_base = "/tandem/people"
    class_permission_name = "TandemPerson"
    base_permissions = resource_permissions("TandemPerson")
    method_permission_name = {"show": "read", "photo": "read"}

    def _visible(self, pk: int) -> Person:
        user = current_user()
        viewer = person_for_user(user)
        person = self.session.get(Person, pk)
        if person is None or not may_see(self.session, viewer and viewer.id, pk, sees_everyone(user)):
            abort(404)
        return person

    @expose("/<int:pk>/profile")
    @has_access
    def show(self, pk: int) -> Any:
        """The profile, read-only."""
        person = self._visible(pk)
        viewer = person_for_user(current_user())
        facts = effective(person, profile_of(self.session, pk))
        own = viewer is not None and viewer.id == pk
        return self.page("tandem/me/profile.html", person=person, facts=facts, own=own)

    @expose("/<int:pk>/photo")
    @has_access
    def photo(self, pk: int) -> Any:
        """The re-encoded photo (JPEG), never cached by shared caches."""
        self._visible(pk)
        profile = profile_of(self.session, pk)
        if profile is None or not profile.photo:
            abort(404)
        response = current_app.response_class(profile.photo, mimetype=profile.photo_type or "image/jpeg")
        response.headers["Cache-Control"] = "private, max-age=300"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Disposition"] = "inline"
        return response
