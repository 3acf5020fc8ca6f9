"""Sign up: programmes open to sign-ups, each with its short questionnaire (HR's invitations link here too).

``/tandem/signup/`` lists them with my sign-ups; ``/tandem/signup/<ref>`` (slug or
number; endpoint ``SignUpView.programme``) asks the questionnaire. HR's invitation
adds ``?invite=<signed token>`` (:func:`tandem.plugin.selfservice.signup.invitation_url`).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access

from ..errors import SelfServiceError
from ..selfservice import signup as signups
from ..selfservice.content import GOALS_READERS
from .selfservice import READ, WRITE, SelfServiceView


def _invite() -> str:
    return (request.values.get("invite") or "")[:2000]


class SignUpView(SelfServiceView):
    """``/tandem/signup``"""

    route_base = "/tandem/signup"
    default_view = "index"
    method_permission_name = {"index": READ, "programme": READ, "submit": WRITE}

    @expose("/")
    @has_access
    def index(self) -> Any:
        """Open programmes and my sign-ups."""
        person = self.me()
        mine = signups.mine(self.session, person)
        return self.page(
            "tandem/me/signup_list.html",
            programmes=signups.open_programmes(self.session),
            mine=mine,
            taken={s.programme_id for s in mine if s.status != "declined"},
        )

    def _form(self, programme: Any, status: int = 200, error: Any = None, sent: Any = None) -> Any:
        return self.page(
            "tandem/me/signup.html",
            status=status,
            programme=programme,
            roles=signups.roles_of(programme),
            error=error,
            sent=sent or {},
            invite=_invite(),
            goals_readers=GOALS_READERS,
            max_goals=signups.MAX_GOALS,
            max_capacity=signups.MAX_CAPACITY,
        )

    @expose("/<ref>")
    @has_access
    def programme(self, ref: str) -> Any:
        """The questionnaire of programme ``ref`` (its slug, or its number)."""
        person = self.me()
        try:
            programme = signups.programme_for(self.session, ref, person, _invite())
        except SelfServiceError as error:
            return self.refused(error, url_for("SignUpView.index"))
        return self._form(programme)

    @expose("/<ref>", methods=["POST"])
    @has_access
    def submit(self, ref: str) -> Any:
        """Send my answers: enrolled at once, or waiting for HR where the programme asks."""
        person = self.me()
        try:
            programme = signups.programme_for(self.session, ref, person, _invite())
        except SelfServiceError as error:
            return self.refused(error, url_for("SignUpView.index"))
        answers = signups.Answers(
            role=request.form.get("role", ""),
            goals=request.form.get("goals", ""),
            capacity=request.form.get("capacity", ""),
            availability=request.form.get("availability", ""),
        )
        try:
            done = signups.sign_up(self.session, person, programme, answers, self.clock(), _invite())
        except SelfServiceError as error:
            self.session.rollback()
            return self._form(programme, status=error.status, error=error, sent=request.form)
        self.session.commit()
        if done.status == "approved":
            flash(f"You are signed up for {programme.name} as a {done.role}.", "success")
            return redirect(url_for("MyMentoringView.mentoring"))
        flash(f"Thank you. HR will look at your sign-up for {programme.name} and you will hear back.", "info")
        return redirect(url_for("SignUpView.index"))
