"""The staff directory in the admin."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from ..models import PERSON_STATUSES, Person
from ..scoping import scoped
from .base import TandemModelView, choice_field


class PersonView(TandemModelView):
    """Everyone in the directory the viewer may see, with manager chain and reports."""

    datamodel = SQLAInterface(Person)
    class_permission_name = "TandemPerson"
    route_base = "/mentoring/people"
    base_filters = scoped("id")
    base_order = ("full_name", "asc")

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
    add_form_extra_fields = {"status": choice_field("Status", PERSON_STATUSES)}
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
