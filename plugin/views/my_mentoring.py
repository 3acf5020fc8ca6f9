"""My mentoring: my pairings (who, how to reach them, why we were matched), my programmes, opt out / back in."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_appbuilder import expose, has_access
from sqlalchemy import or_, select

from ..errors import SelfServiceError
from ..matchmaking import rematch, selfmatch
from ..matchmaking.sentences import match_sentences
from ..models import Enrolment, MatchRequest, Pairing, Programme, effective
from ..profiles import profile_of
from ..selfservice.enrolments import opt_in, opt_out, own_enrolment
from .selfservice import READ, WRITE, SelfServiceView


class MyMentoringView(SelfServiceView):
    """``/tandem/mentoring``"""

    route_base = "/tandem/mentoring"
    default_view = "mentoring"
    method_permission_name = {"mentoring": READ, "opt_out": WRITE, "opt_in": WRITE}

    @expose("/")
    @has_access
    def mentoring(self) -> Any:
        """My pairings and my programmes."""
        person = self.me()
        pairings = self.session.scalars(
            select(Pairing)
            .where(or_(Pairing.mentor_id == person.id, Pairing.mentee_id == person.id))
            .order_by(Pairing.proposed_at.desc())
        ).all()
        enrolments = self.session.scalars(
            select(Enrolment)
            .join(Programme, Programme.id == Enrolment.programme_id)
            .where(Enrolment.person_id == person.id, Programme.status != "draft")
            .order_by(Programme.name)
        ).all()
        incoming = self.session.scalars(
            select(MatchRequest)
            .where(MatchRequest.mentor_id == person.id, MatchRequest.status == "pending")
            .order_by(MatchRequest.created_at)
        ).all()
        paired = {p.programme_id for p in pairings if p.is_open and p.mentee_id == person.id}
        findable = [e for e in selfmatch.mentee_enrolments(self.session, person) if e.programme_id not in paired]
        can_end = {p.id for p in pairings if p.status == "active" and rematch.completed_checkins(self.session, p.id)}
        shown = [p for p in pairings if p.status != "declined"]
        reasons = {p.id: match_sentences(self.session, p, person.id) for p in shown}
        reasons.update({("request", r.id): match_sentences(self.session, r, person.id) for r in incoming})
        others = {p.mentee if p.mentor_id == person.id else p.mentor for p in shown}
        cards = {other.id: effective(other, profile_of(self.session, other.id)) for other in others}
        return self.page(
            "tandem/me/mentoring.html",
            person=person,
            pairings=pairings,
            enrolments=enrolments,
            incoming=incoming,
            findable=findable,
            can_end=can_end,
            reasons=reasons,
            cards=cards,
        )

    @expose("/enrolment/<int:pk>/opt-out", methods=["POST"])
    @has_access
    def opt_out(self, pk: int) -> Any:
        """Leave a programme: its workflow runs for me stop, so no new prompts come."""
        person = self.me()
        try:
            enrolment = own_enrolment(self.session, pk, person.id)
            stopped = opt_out(self.session, enrolment, self.clock())
        except SelfServiceError as error:
            return self.refused(error, url_for("MyMentoringView.mentoring"))
        self.session.commit()
        flash(f"You have left {enrolment.programme.name}; it will send you no more prompts.", "info")
        if stopped:
            flash("Your pairing there is closed; HR has been told through the workflow history.", "info")
        return redirect(url_for("MyMentoringView.mentoring"))

    @expose("/enrolment/<int:pk>/opt-in", methods=["POST"])
    @has_access
    def opt_in(self, pk: int) -> Any:
        """Take part again."""
        person = self.me()
        try:
            enrolment = opt_in(self.session, own_enrolment(self.session, pk, person.id))
        except SelfServiceError as error:
            return self.refused(error, url_for("MyMentoringView.mentoring"))
        self.session.commit()
        flash(f"Welcome back to {enrolment.programme.name}.", "success")
        return redirect(url_for("MyMentoringView.mentoring"))
