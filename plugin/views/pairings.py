"""Pairings and check-ins in the admin (private notes never appear here)."""

from __future__ import annotations

from ..matchmaking.explain import explain_match
from ..models import PAIRING_STATUSES, CheckIn, Pairing
from ..scoping import scoped
from ..selfservice.content import PARTICIPATION_COLUMNS
from .base import READ_ONLY, RowInterface, TandemModelView, choice_field
from .formatting import fit, reasons
from .pickers import person_picker


class PairingView(TandemModelView):
    """Mentor–mentee pairs with how well they fit (out of 100) and why."""

    datamodel = RowInterface(Pairing, computed={"fit": explain_match, "why": explain_match})
    class_permission_name = "TandemPairing"
    route_base = "/mentoring/pairings"
    base_filters = scoped("mentor_id", "mentee_id")
    list_columns = ["programme", "mentor", "mentee", "status", "fit", "proposed_at"]
    search_columns = ["programme", "mentor", "mentee", "status"]
    show_columns = [
        "programme",
        "mentor",
        "mentee",
        "status",
        "fit",
        "why",
        "proposed_at",
        "started_at",
        "ended_at",
    ]  # the end reason is the person's own words: not shown here (README, Security)
    add_columns = ["programme", "mentor", "mentee", "status"]
    edit_columns = ["status"]
    add_form_extra_fields = {
        "status": choice_field("Status", PAIRING_STATUSES),
        "mentor": person_picker("Mentor"),
        "mentee": person_picker("Mentee"),
    }
    edit_form_extra_fields = {"status": add_form_extra_fields["status"]}
    label_columns = {"fit": "Fit", "why": "Why they were matched"}
    formatters_columns = {"fit": fit, "why": reasons}


class CheckInView(TandemModelView):
    """Check-in occurrences: who, which pair, when due and whether it happened; never what was said.

    Ratings, topics and notes are content: a person reads their own under *Me → My check-ins*, their pair
    reads the shared note there, and HR and managers see ratings only as aggregates in the reports.
    """

    datamodel = RowInterface(CheckIn)
    class_permission_name = "TandemCheckIn"
    route_base = "/mentoring/check-ins"
    base_filters = scoped("respondent_id")
    include_route_methods = READ_ONLY
    base_order = ("due_at", "desc")
    list_columns = list(PARTICIPATION_COLUMNS)
    label_columns = {"sequence": "Check-in", "due_at": "Due"}
    search_columns = ["respondent", "pairing", "status", "due_at"]
    show_columns = ["respondent", "pairing", "enrolment", "sequence", "due_at", "status", "completed_at"]
