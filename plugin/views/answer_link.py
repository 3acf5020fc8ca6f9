"""The one-click answer page, ``/tandem/answer/<token>``: a signed link from a check-in e-mail.

Following a valid link records the rating without a login form, then offers
the full answer page. It is recorded on GET, as the e-mail promises, and
idempotently: the same link again, or any other rating link of an answered
check-in, changes nothing and says so. A ``HEAD`` request (what some link
checkers send) records nothing. A tampered link answers 400 and an expired one
410, each with a page a person understands.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_appbuilder import expose

from tandem.workflows.clock import SystemClock

from ..errors import SelfServiceError
from ..links import LinkError
from ..models import CheckIn
from ..scoping import current_user, person_for_user
from ..selfservice.checkins import Answer, answer
from ..selfservice.links import read_answer_token
from .page import TandemPage
from .selfservice import RESOURCE

LINK_STATUS = {"tampered": 400, "expired": 410}


class AnswerLinkView(TandemPage):
    """Public on purpose: the signed token is the authorisation, and it names one check-in and one rating."""

    route_base = "/tandem/answer"
    class_permission_name = RESOURCE
    base_permissions = ["can_read", "can_write"]

    def _page(self, status: int, **context: Any) -> Any:
        return self.page("tandem/me/answer_link.html", status, **context)

    @expose("/<token>", methods=["GET"])
    def follow(self, token: str) -> Any:
        """Record the rating the link carries (once), then offer the full answer."""
        session = current_app.appbuilder.session
        try:
            checkin_id, rating = read_answer_token(token)
        except LinkError as error:
            return self._page(LINK_STATUS[error.reason], problem=error.reason)
        checkin = session.get(CheckIn, checkin_id, with_for_update=request.method != "HEAD" or None)
        if checkin is None:
            return self._page(410, problem="gone")
        outcome = "recorded"
        if request.method == "HEAD":
            outcome = "not-yet"
        elif checkin.status == "completed":
            outcome = "already"
        else:
            try:
                answer(session, checkin, Answer(rating=rating), SystemClock().now(), source="one-click link")
                session.commit()
            except SelfServiceError as error:
                session.rollback()
                return self._page(409, problem="closed", message=error.message, checkin=checkin)
        person = person_for_user(current_user())
        is_respondent = person is not None and person.id == checkin.respondent_id
        full_page = url_for("MyCheckInsView.checkin", pk=checkin.id)
        return self._page(
            200,
            outcome=outcome,
            checkin=checkin,
            rating=rating,
            is_respondent=is_respondent,
            full_page=full_page,
            login_url=f"{self.appbuilder.get_url_for_login}?next={full_page}",
        )
