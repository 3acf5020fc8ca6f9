"""``/mentoring/people-search/?q=…``: the JSON behind every person picker.

Permission: ``can_read`` on ``TandemPerson``; results are scoped like the People
list (HR sees everyone, a manager their subtree, staff themselves), sorted by name
then e-mail, each with its e-mail and team so namesakes can be told apart.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask_appbuilder import expose, has_access

from ..directory.search import MAX_QUERY, as_json, search_people
from ..roles import resource_permissions
from ..scoping import current_user, visible_people
from .page import TandemPage


class PersonSearchView(TandemPage):
    """Search people by name, e-mail, team, title or employee id."""

    route_base = "/mentoring/people-search"
    default_view = "search"
    class_permission_name = "TandemPerson"
    base_permissions = resource_permissions("TandemPerson")
    method_permission_name = {"search": "read"}

    @expose("/")
    @has_access
    def search(self) -> Any:
        """``{"people": [{"id", "name", "email", "department", "title", "label"}]}``; 400 for a query too long."""
        text = request.args.get("q", "")
        if len(text) > MAX_QUERY:
            return jsonify({"message": {"q": [f"at most {MAX_QUERY} characters"]}}), 400
        session = current_app.appbuilder.session
        people = search_people(session, text, visible_people(current_user()))
        return jsonify({"people": [as_json(person) for person in people]})
