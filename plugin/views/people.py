"""The staff directory in the admin."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect
from flask_appbuilder.actions import action

from ..models import PERSON_STATUSES, Person
from ..personaldata import NotLeft, erase_person
from ..roles import METHOD_PERMISSIONS, WRITE
from ..scoping import scoped
from .base import RowInterface, TandemModelView, choice_field
from .pickers import person_picker


class PersonView(TandemModelView):
    """Everyone in the directory the viewer may see, with manager chain and reports."""

    datamodel = RowInterface(Person)  # its related-row lookup (the manager filter) uses Session.get
    class_permission_name = "TandemPerson"
    route_base = "/mentoring/people"
    base_filters = scoped("id")
    base_order = ("full_name", "asc")
    method_permission_name = {**METHOD_PERMISSIONS, "erase": WRITE}

    list_title = "People"
    show_title = "Person"
    list_columns = [
        "employee_id",
        "full_name",
        "department",
        "title",
        "location",
        "manager",
        "status",
    ]
    search_columns = [
        "employee_id",
        "full_name",
        "email",
        "department",
        "title",
        "location",
        "country",
        "status",
        "remote",
        "manager",
        "hire_date",
    ]
    show_fieldsets = [
        (
            "Person",
            {
                "fields": [
                    "employee_id",
                    "full_name",
                    "email",
                    "title",
                    "status",
                    "user",
                ]
            },
        ),
        (
            "Organisation",
            {
                "fields": [
                    "department",
                    "location",
                    "country",
                    "timezone",
                    "remote",
                    "hire_date",
                    "seniority",
                ]
            },
        ),
        ("Reporting line", {"fields": ["manager_chain", "direct_reports"]}),
        ("Profile", {"fields": ["skills_text", "interests_text", "languages_text"]}),
    ]
    edit_columns = [
        "full_name",
        "email",
        "title",
        "department",
        "location",
        "status",
        "user",
    ]
    add_columns = [
        "employee_id",
        "full_name",
        "email",
        "title",
        "department",
        "location",
        "country",
        "timezone",
        "manager",
        "hire_date",
        "status",
    ]
    add_form_extra_fields = {
        "status": choice_field("Status", PERSON_STATUSES),
        "manager": person_picker("Manager", blank="— no manager (top of the organisation) —"),
    }
    search_form_extra_fields = {"manager": person_picker("Manager", blank="— anyone —")}
    edit_form_extra_fields = add_form_extra_fields
    label_columns = {
        "employee_id": "Employee id",
        "full_name": "Name",
        "manager_chain": "Manager chain",
        "direct_reports": "Direct reports",
        "skills_text": "Skills",
        "interests_text": "Interests",
        "languages_text": "Languages",
        "user": "Login",
    }

    @action(
        "erase",
        "Erase personal data (has left)",
        "Erase the selected people's personal data? Only people whose status is 'left' are erased;"
        " their records stay for the reports under a pseudonym. This cannot be undone.",
        "fa-eraser",
        single=False,
    )
    def erase(self, items: Any) -> Any:
        """HR: anonymise every selected person who has left (all or nothing)."""
        people = items if isinstance(items, list) else [items]
        session = current_app.appbuilder.session
        try:
            erased = [erase_person(session, person) for person in people]
        except NotLeft as refused:
            session.rollback()
            flash(f"Nothing was erased: {refused}", "danger")
            return redirect(self.get_redirect())
        session.commit()
        flash(f"Erased {len(erased)} person(s): " + ", ".join(e.pseudonym for e in erased), "success")
        return redirect(self.get_redirect())
