"""Plain REST resources: programmes, enrolments, pairings, check-ins, notifications."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from ..models import CheckIn, Enrolment, Notification, Pairing, Programme
from ..programme_workflow import check_workflow_name
from ..records import CHECK_IN, ENROLMENT, NOTIFICATION, PAIRING, PROGRAMME
from ..scoping import PublishedProgrammeFilter, scoped
from .base import TandemRestApi


class ProgrammeApi(TandemRestApi):
    """``/api/v1/programme/``"""

    resource_name = "programme"
    class_permission_name = "TandemProgramme"
    datamodel = SQLAInterface(Programme)
    base_filters = [["status", PublishedProgrammeFilter, "status"]]
    list_columns = PROGRAMME.rest(PROGRAMME.listed)
    show_columns = PROGRAMME.rest_shown()
    add_columns = [*PROGRAMME.added, *PROGRAMME.data]
    edit_columns = [*PROGRAMME.edited, *PROGRAMME.data]
    search_columns = list(PROGRAMME.searched)
    validators_columns = {"workflow": check_workflow_name}


class EnrolmentApi(TandemRestApi):
    """``/api/v1/enrolment/``"""

    resource_name = "enrolment"
    class_permission_name = "TandemEnrolment"
    datamodel = SQLAInterface(Enrolment)
    base_filters = scoped("person_id")
    list_columns = ENROLMENT.rest(ENROLMENT.listed)
    show_columns = ENROLMENT.rest_shown()  # goals are the pair's: see the module ``selfservice.content``
    add_columns = list(ENROLMENT.added)
    edit_columns = list(ENROLMENT.edited)
    search_columns = list(ENROLMENT.searched)


class PairingApi(TandemRestApi):
    """``/api/v1/pairing/``"""

    resource_name = "pairing"
    class_permission_name = "TandemPairing"
    datamodel = SQLAInterface(Pairing)
    base_filters = scoped("mentor_id", "mentee_id")
    list_columns = PAIRING.rest(PAIRING.listed)
    show_columns = PAIRING.rest_shown()  # not end_reason: the person's own words
    add_columns = list(PAIRING.added)
    edit_columns = list(PAIRING.edited)
    search_columns = list(PAIRING.searched)


class CheckInApi(TandemRestApi):
    """``/api/v1/checkin/`` (read-only): participation only, never a rating, topic or note (see the view)."""

    resource_name = "checkin"
    class_permission_name = "TandemCheckIn"
    datamodel = SQLAInterface(CheckIn)
    base_filters = scoped("respondent_id")
    include_route_methods = {"get", "get_list", "info"}
    list_columns = CHECK_IN.rest(CHECK_IN.listed)
    show_columns = CHECK_IN.rest_shown()
    search_columns = list(CHECK_IN.searched)


class NotificationApi(TandemRestApi):
    """``/api/v1/notification/`` (read-only: the engine writes the outbox)."""

    resource_name = "notification"
    class_permission_name = "TandemNotification"
    datamodel = SQLAInterface(Notification)
    base_filters = scoped("recipient_id")
    include_route_methods = {"get", "get_list", "info"}
    list_columns = NOTIFICATION.rest(NOTIFICATION.listed)
    show_columns = NOTIFICATION.rest_shown()
    search_columns = list(NOTIFICATION.searched)
