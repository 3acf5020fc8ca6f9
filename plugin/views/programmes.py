"""Programmes, enrolments and campaign content in the admin."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..models import (
    ENROLMENT_ROLES,
    ENROLMENT_STATUSES,
    PROGRAMME_KINDS,
    PROGRAMME_STATUSES,
    Acknowledgement,
    CampaignItem,
    Enrolment,
    Programme,
)
from ..programme_workflow import workflow_choices
from ..records import ENROLMENT, PROGRAMME
from ..scoping import PublishedProgrammeFilter, scoped
from .base import READ_ONLY, RowInterface, TandemModelView, choice_field
from .pairings import PairingView
from .pickers import person_picker


class EnrolmentView(TandemModelView):
    """Who takes part in which programme, in which role."""

    datamodel = RowInterface(Enrolment)
    class_permission_name = "TandemEnrolment"
    route_base = "/mentoring/enrolments"
    base_filters = scoped("person_id")
    list_columns = list(ENROLMENT.listed)
    search_columns = list(ENROLMENT.searched)
    show_columns = list(ENROLMENT.shown)
    add_columns = list(ENROLMENT.added)
    edit_columns = list(ENROLMENT.edited)
    duplicate_sentences = {"programme,person,role": "{person} is already enrolled in {programme} as {role}."}
    saved_sentences = {
        **TandemModelView.saved_sentences,
        "add": "Enrolled {item.person} in {item.programme} as {item.role}.",
        "edit": "Saved the enrolment of {item.person} in {item.programme}.",
    }
    add_form_extra_fields = {
        "role": choice_field("Role", ENROLMENT_ROLES),
        "status": choice_field("Status", ENROLMENT_STATUSES),
        "person": person_picker("Person"),
    }
    edit_form_extra_fields = {"role": add_form_extra_fields["role"], "status": add_form_extra_fields["status"]}


class ProgrammeView(TandemModelView):
    """Programmes, each with its enrolments and pairings below it."""

    datamodel = SQLAInterface(Programme)
    class_permission_name = "TandemProgramme"
    route_base = "/mentoring/programmes"
    base_filters = [["status", PublishedProgrammeFilter, "status"]]
    related_views = [EnrolmentView, PairingView]
    show_template = "appbuilder/general/model/show_cascade.html"
    list_columns = list(PROGRAMME.listed)
    search_columns = list(PROGRAMME.searched)
    show_columns = list(PROGRAMME.shown)
    add_columns = list(PROGRAMME.added)
    label_columns = {
        "signup_open": "Staff may sign up",
        "signup_needs_approval": "HR approves each sign-up",
    }
    description_columns = {
        "signup_open": "Listed under Me → Sign up, with its short questionnaire; HR's invitations link there too.",
        "signup_needs_approval": "Sign-ups wait under Programmes → Sign-ups until HR approves or declines them.",
    }
    edit_columns = list(PROGRAMME.edited)
    add_form_extra_fields = {
        "kind": choice_field("Kind", PROGRAMME_KINDS),
        "status": choice_field("Status", PROGRAMME_STATUSES),
        "workflow": SelectField(
            "Workflow",
            choices=lambda: [SelectChoice("", "— choose the workflow it runs —"), *workflow_choices()],
            validators=[InputRequired()],
            description="The workflow definition this programme runs (any number of programmes may share one). "
            "A run starts for each pairing or circle published here, or, for a hire-triggered workflow, "
            "for each new hire.",
        ),
        # A switch, not a required answer: unticked means no (FAB would require a non-nullable boolean).
        "signup_open": BooleanField("Staff may sign up", description=description_columns["signup_open"]),
        "signup_needs_approval": BooleanField(
            "HR approves each sign-up", description=description_columns["signup_needs_approval"]
        ),
    }
    edit_form_extra_fields = add_form_extra_fields


class CampaignItemView(TandemModelView):
    """The items of awareness campaigns."""

    datamodel = RowInterface(CampaignItem)
    class_permission_name = "TandemCampaignItem"
    route_base = "/mentoring/campaign-items"
    base_filters = [["programme_id", PublishedProgrammeFilter, "programme_id"]]
    base_order = ("position", "asc")
    list_columns = ["programme", "position", "title"]
    search_columns = ["programme", "title", "body"]
    show_columns = [
        "programme",
        "position",
        "title",
        "body",
        "reflection_question",
        "checkin_prompt",
    ]
    add_columns = [*show_columns, "slug"]
    edit_columns = add_columns


class AcknowledgementView(TandemModelView):
    """Who acknowledged which campaign item."""

    datamodel = RowInterface(Acknowledgement)
    class_permission_name = "TandemAcknowledgement"
    route_base = "/mentoring/acknowledgements"
    base_filters = scoped("person_id")
    include_route_methods = READ_ONLY
    list_columns = ["item", "person", "acknowledged_at"]  # a quiz answer is content: never per person
    search_columns = ["item", "person", "acknowledged_at"]
    show_columns = list_columns
