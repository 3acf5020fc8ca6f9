"""Self-match for staff: find a mentor (suggestions with why), ask one, answer requests, end a pair that is not a fit.

Every query is scoped to the signed-in person; the work is done by
:mod:`tandem.plugin.matchmaking.selfmatch` and :mod:`~tandem.plugin.matchmaking.rematch`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from sqlalchemy import select

from ..errors import NotFound, Refused, SelfServiceError
from ..matchmaking import rematch, selfmatch
from ..matchmaking.explain import explain, pairing_weights
from ..matchmaking.sentences import suggestion_sentences
from ..models import MatchRequest, Programme
from .selfservice import READ, WRITE, SelfServiceView


class MyMatchingView(SelfServiceView):
    """``/tandem/matching``"""

    route_base = "/tandem/matching"
    default_view = "find"
    method_permission_name = {
        "find": READ,
        "ask": WRITE,
        "withdraw": WRITE,
        "answer": WRITE,
        "end": WRITE,
    }

    @expose("/find/<int:pk>")
    @has_access
    def find(self, pk: int) -> Any:
        """My best mentors in programme ``pk``, with why, and my requests waiting for an answer."""
        person = self.me()
        back = url_for("MyMentoringView.mentoring")
        try:
            programme = selfmatch.mentee_programme(self.session, person, pk)
            found, why = selfmatch.suggestions(self.session, programme, person)
        except SelfServiceError as error:
            return self.refused(error, back)
        requests = self.session.scalars(
            select(MatchRequest)
            .where(MatchRequest.programme_id == programme.id, MatchRequest.mentee_id == person.id)
            .order_by(MatchRequest.created_at.desc())
        ).all()
        return self.page(
            "tandem/me/find_mentor.html",
            programme=programme,
            suggestions=found,
            why=why,
            requests=requests,
            fit=partial(explain, weights=pairing_weights(programme.matching_settings)),
            said={
                s.mentor.id: suggestion_sentences(self.session, programme, person, s.mentor, s.breakdown) for s in found
            },
            rules=selfmatch.SelfMatchRules.of(programme),
        )

    @expose("/find/<int:pk>/ask", methods=["POST"])
    @has_access
    def ask(self, pk: int) -> Any:
        """Ask the mentor chosen in the form (field ``mentor``), with an optional ``message``."""
        person = self.me()
        back = url_for("MyMatchingView.find", pk=pk)
        programme = self.session.get(Programme, pk)
        mentor = request.form.get("mentor", "")
        try:
            if programme is None:
                raise NotFound("There is no such programme.", "programme")
            if not mentor.isdigit():
                raise Refused("Choose a mentor to ask.", "mentor")
            asked = selfmatch.request_mentor(
                self.session, programme, person, int(mentor), request.form.get("message", ""), self.clock()
            )
        except SelfServiceError as error:
            return self.refused(error, back)
        self.session.commit()
        flash(f"Your request to {asked.mentor.full_name} is sent; you will hear as soon as they answer.", "success")
        return redirect(back)

    @expose("/request/<int:pk>/withdraw", methods=["POST"])
    @has_access
    def withdraw(self, pk: int) -> Any:
        """Take back one of my pending requests."""
        person = self.me()
        try:
            asked = selfmatch.own_request(self.session, pk, person.id, "mentee")
            selfmatch.withdraw(self.session, asked, self.clock())
        except SelfServiceError as error:
            return self.refused(error, url_for("MyMentoringView.mentoring"))
        self.session.commit()
        flash("Request withdrawn.", "info")
        return redirect(url_for("MyMatchingView.find", pk=asked.programme_id))

    @expose("/request/<int:pk>/<any(accept, decline):decision>", methods=["POST"])
    @has_access
    def answer(self, pk: int, decision: str) -> Any:
        """As the mentor asked: accept (the pair is proposed and introduced) or decline."""
        person = self.me()
        try:
            asked = selfmatch.own_request(self.session, pk, person.id, "mentor")
            if decision == "accept":
                selfmatch.accept(self.session, asked, self.clock())
            else:
                selfmatch.decline(self.session, asked, self.clock())
        except SelfServiceError as error:
            return self.refused(error, url_for("MyMentoringView.mentoring"))
        self.session.commit()
        if decision == "accept":
            flash(f"You are now paired with {asked.mentee.full_name}; you will both get an introduction.", "success")
        else:
            flash(f"{asked.mentee.full_name} will be told kindly and can ask someone else.", "info")
        return redirect(url_for("MyMentoringView.mentoring"))

    @expose("/pairing/<int:pk>/end", methods=["POST"])
    @has_access
    def end(self, pk: int) -> Any:
        """End my pairing as not a fit (after its first check-in), with an optional ``reason``."""
        person = self.me()
        try:
            pairing = rematch.own_pairing(self.session, pk, person.id)
            rematch.end_early(self.session, pairing, person, request.form.get("reason", ""), self.clock())
        except SelfServiceError as error:
            return self.refused(error, url_for("MyMentoringView.mentoring"))
        self.session.commit()
        flash("The pairing has ended. You are both back in the pool and will be matched with someone new.", "info")
        return redirect(url_for("MyMentoringView.mentoring"))
