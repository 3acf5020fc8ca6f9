"""Plain REST resources: programmes, enrolments, pairings, check-ins, notifications."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from ..models import CheckIn, Enrolment, Notification, Pairing, Programme
from ..programme_workflow import check_workflow_name
from ..scoping import PublishedProgrammeFilter, scoped
from ..selfservice.content import GOALS_READERS
from .base import TandemRestApi


class ProgrammeApi(TandemRestApi):
    """``/api/v1/programme/``"""

    resource_name = "programme"
    class_permission_name = "TandemProgramme"
    datamodel = SQLAInterface(Programme)
    base_filters = [["status", PublishedProgrammeFilter, "status"]]
    list_columns = [
        "id",
        "name",
        "slug",
        "kind",
        "status",
        "starts_on",
        "ends_on",
        "workflow",
    ]
    show_columns = [
        *list_columns,
        "description",
        "enrolment_rules",
        "matching_settings",
    ]
    add_columns = [
        "name",
        "slug",
        "kind",
        "status",
        "description",
        "starts_on",
        "ends_on",
        "workflow",
        "enrolment_rules",
        "matching_settings",
    ]
    edit_columns = add_columns
    validators_columns = {"workflow": check_workflow_name}


class EnrolmentApi(TandemRestApi):
    """``/api/v1/enrolment/``"""

    resource_name = "enrolment"
    class_permission_name = "TandemEnrolment"
    datamodel = SQLAInterface(Enrolment)
    base_filters = scoped("person_id")
    list_columns = [
        "id",
        "programme.id",
        "programme.name",
        "person.id",
        "person.full_name",
        "role",
        "capacity",
        "status",
        "enrolled_at",
    ]
    show_columns = list_columns  # goals are the pair's: see the module ``selfservice.content``
    description_columns = {"goals": GOALS_READERS}
    add_columns = ["programme", "person", "role", "capacity", "goals", "status"]
    edit_columns = ["role", "capacity", "goals", "status"]


class PairingApi(TandemRestApi):
    """``/api/v1/pairing/``"""

    resource_name = "pairing"
    class_permission_name = "TandemPairing"
    datamodel = SQLAInterface(Pairing)
    base_filters = scoped("mentor_id", "mentee_id")
    list_columns = [
        "id",
        "programme.id",
        "mentor.id",
        "mentor.full_name",
        "mentee.id",
        "mentee.full_name",
        "status",
        "score",
        "proposed_at",
    ]
    show_columns = [
        *list_columns,
        "score_breakdown",
        "started_at",
        "ended_at",
    ]  # not end_reason: the person's own words
    add_columns = [
        "programme",
        "mentor",
        "mentee",
        "status",
        "score",
        "score_breakdown",
    ]
    edit_columns = ["status"]


class CheckInApi(TandemRestApi):
    """``/api/v1/checkin/`` (read-only): participation only, never a rating, topic or note (see the view)."""

    resource_name = "checkin"
    class_permission_name = "TandemCheckIn"
    datamodel = SQLAInterface(CheckIn)
    base_filters = scoped("respondent_id")
    include_route_methods = {"get", "get_list", "info"}
    list_columns = [
        "id",
        "pairing.id",
        "enrolment.id",
        "respondent.id",
        "respondent.full_name",
        "sequence",
        "due_at",
        "status",
        "completed_at",
    ]
    show_columns = list_columns
    search_columns = ["status", "due_at", "respondent"]


class NotificationApi(TandemRestApi):
    """``/api/v1/notification/`` (read-only: the engine writes the outbox)."""

    resource_name = "notification"
    class_permission_name = "TandemNotification"
    datamodel = SQLAInterface(Notification)
    base_filters = scoped("recipient_id")
    include_route_methods = {"get", "get_list", "info"}
    list_columns = [
        "id",
        "recipient.id",
        "channel",
        "template",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    show_columns = [*list_columns, "error", "idempotency_key", "context"]
