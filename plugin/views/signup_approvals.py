"""Sign-ups waiting for HR: a plain list, approve or decline each (permission: write enrolments)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_appbuilder import expose, has_access

from tandem.workflows.clock import SystemClock

from ..errors import SelfServiceError
from ..roles import resource_permissions
from ..scoping import current_username
from ..selfservice import signup as signups
from .page import TandemPage


class SignUpApprovalView(TandemPage):
    """``/mentoring/signups/``"""

    route_base = "/mentoring/signups"
    default_view = "waiting"
    class_permission_name = "TandemEnrolment"
    base_permissions = resource_permissions("TandemEnrolment")
    method_permission_name = {"waiting": "write", "decide": "write"}

    @expose("/")
    @has_access
    def waiting(self) -> Any:
        """Every sign-up waiting for a decision, oldest first."""
        return self.page("tandem/signup_approvals.html", waiting=signups.pending(self.session))

    @expose("/<int:pk>/<any(approve, decline):decision>", methods=["POST"])
    @has_access
    def decide(self, pk: int, decision: str) -> Any:
        """Approve (the person is enrolled with their answers) or decline one sign-up."""
        back = url_for("SignUpApprovalView.waiting")
        try:
            signup = signups.waiting_signup(self.session, pk)
            action = signups.approve if decision == "approve" else signups.decline
            action(self.session, signup, current_username(), SystemClock())
        except SelfServiceError as error:
            return self.refused(error, back)
        self.session.commit()
        verb = "approved: they are enrolled" if decision == "approve" else "declined"
        flash(f"{signup.person.full_name}'s sign-up for {signup.programme.name} is {verb}.", "success")
        return redirect(back)
