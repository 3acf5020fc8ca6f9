"""Pairings and check-ins in the admin (private notes never appear here)."""

from __future__ import annotations

from ..matchmaking.explain import explain_match
from ..models import PAIRING_STATUSES, CheckIn, Pairing
from ..records import CHECK_IN, PAIRING
from ..scoping import scoped
from .base import READ_ONLY, RowInterface, TandemModelView, choice_field
from .formatting import fit, reasons
from .pickers import person_picker

AS_SHOWN = {"score": "fit", "score_breakdown": "why"}  # the stored numbers, in words


class PairingView(TandemModelView):
    """Mentor–mentee pairs with how well they fit (out of 100) and why."""

    datamodel = RowInterface(Pairing, computed={"fit": explain_match, "why": explain_match})
    class_permission_name = "TandemPairing"
    route_base = "/mentoring/pairings"
    base_filters = scoped("mentor_id", "mentee_id")
    list_columns = PAIRING.page(PAIRING.listed, AS_SHOWN)
    search_columns = list(PAIRING.searched)
    show_columns = PAIRING.page(PAIRING.shown, AS_SHOWN)
    add_columns = list(PAIRING.added)
    edit_columns = list(PAIRING.edited)
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
    list_columns = list(CHECK_IN.listed)
    label_columns = {"sequence": "Check-in", "due_at": "Due"}
    search_columns = list(CHECK_IN.searched)
    show_columns = list(CHECK_IN.shown)
