"""The staff directory in the admin."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect
from flask_appbuilder.actions import action
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

from ..directory.changes import record_hand_edit, stored_state
from ..models import PERSON_STATUSES, Person
from ..personaldata import NotLeft, erase_person
from ..records import PERSON
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
    list_columns = list(PERSON.listed)
    search_columns = list(PERSON.searched)
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
    edit_columns = [*PERSON.edited, "user"]  # the login is linked here, by HR, not through the API
    add_columns = list(PERSON.added)
    add_form_extra_fields = {
        "status": choice_field("Status", PERSON_STATUSES),
        "manager": person_picker("Manager", blank="— no manager (top of the organisation) —"),
        # A switch, not a required answer: unticked means office-based (FAB would require a non-nullable boolean).
        "remote": BooleanField("Works remotely"),
        "seniority": IntegerField(
            "Seniority",
            description="A level from 0 (new to the work) to 10; left empty, 0.",
            filters=[lambda level: 0 if level is None else level],
            validators=[Optional(), NumberRange(min=0, max=10, message="Seniority is a level from 0 to 10.")],
        ),
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

    def pre_add(self, item: Person) -> None:
        """Save the newcomer and record ``employee.hired``, as the directory import would."""
        super().pre_add(item)
        record_hand_edit(self.datamodel.session, None, item, source="admin")

    def pre_update(self, item: Person) -> None:
        """Save the change and record what it means (a move, a leave, a departure), as the import would."""
        before = stored_state(self.datamodel.session, item)
        super().pre_update(item)
        record_hand_edit(self.datamodel.session, before, item, source="admin")

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
