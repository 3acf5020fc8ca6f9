"""``/api/v1/matching/`` (HR: runs, review, publish) and ``/api/v1/selfmatch/`` (staff: suggestions, requests).

Same services and errors as the pages: a refused change answers 400/404/409
with ``{"message": {field: [sentence]}}`` and saves nothing.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_appbuilder.api import BaseApi, expose, protect
from sqlalchemy import select

from tandem.workflows.clock import SystemClock

from ..errors import NotFound, Refused, SelfServiceError
from ..matchmaking import present, review, selfmatch
from ..models import MatchRequest
from ..scoping import current_user, current_username, person_for_user


class _Answers(BaseApi):
    """Shared error handling: a :class:`SelfServiceError` becomes its status with the field at fault."""

    @property
    def session(self) -> Any:
        """The add-on's database session."""
        return current_app.appbuilder.session

    def refused(self, error: SelfServiceError) -> Any:
        """Roll back and answer the error's status, naming the field."""
        self.session.rollback()
        return self.response(error.status, message={error.field or "request": [error.message]})

    def body(self) -> dict[str, Any]:
        """The JSON body (an object), or :class:`Refused`."""
        data = request.get_json(silent=True)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise Refused("expected a JSON object", "body")
        return data


class MatchingApi(_Answers):
    """HR's matching runs: ``POST /programmes/<key>/runs``, ``GET /runs/<id>``, accept, reject, swap, publish."""

    resource_name = "matching"
    class_permission_name = "TandemMatching"
    base_permissions = ["can_read", "can_write"]
    method_permission_name = {
        "index": "read",
        "create_run": "write",
        "get_run": "read",
        "decide": "write",
        "accept_all": "write",
        "swap": "write",
        "publish": "write",
    }

    @expose("/", methods=["GET"])
    @protect()
    def index(self) -> Any:
        """The programmes that pair people or form circles, with their latest run."""
        result = [
            {
                "programme": programme.slug,
                "kind": programme.kind,
                "latest_run": {"id": runs[0].id, "status": runs[0].status} if runs else None,
            }
            for programme, runs in present.programmes_with_runs(self.session, latest=1)
        ]
        return self.response(200, programmes=result)

    @expose("/programmes/<key>/runs", methods=["POST"])
    @protect()
    def create_run(self, key: str) -> Any:
        """Solve a programme's pool into a draft; body ``{"settings": {...}}`` overrides its weights."""
        try:
            programme = review.find_programme(self.session, key)
            settings = self.body().get("settings")
            if settings is not None and not isinstance(settings, dict):
                raise Refused("expected an object of weights and constraints", "settings")
            run = review.run_matching(self.session, programme, settings, author=current_username())
        except SelfServiceError as error:
            return self.refused(error)
        self.session.commit()
        return self.response(201, **present.run_as_json(self.session, run))

    @expose("/runs/<int:pk>", methods=["GET"])
    @protect()
    def get_run(self, pk: int) -> Any:
        """A run: totals, unmatched with reasons, proposals by mentor with load and breakdowns."""
        try:
            run = review.find_run(self.session, pk)
        except SelfServiceError as error:
            return self.refused(error)
        return self.response(200, **present.run_as_json(self.session, run))

    @expose("/runs/<int:pk>/proposals/<int:proposal_id>/<any(accept, reject):decision>", methods=["POST"])
    @protect()
    def decide(self, pk: int, proposal_id: int, decision: str) -> Any:
        """Accept or reject one proposal of a draft."""
        return self._change(pk, lambda run: review.decide(review.find_proposal(run, proposal_id), decision))

    @expose("/runs/<int:pk>/accept-all", methods=["POST"])
    @protect()
    def accept_all(self, pk: int) -> Any:
        """Accept every proposal not rejected."""
        return self._change(pk, review.accept_all)

    @expose("/runs/<int:pk>/proposals/<int:proposal_id>/swap", methods=["POST"])
    @protect()
    def swap(self, pk: int, proposal_id: int) -> Any:
        """Exchange mentors with the proposal ``{"other": id}``."""

        def swap_mentors(run: Any) -> None:
            other = self.body().get("other")
            if not isinstance(other, int) or isinstance(other, bool):
                raise Refused("expected the id of another proposal of this run", "other")
            review.swap(self.session, review.find_proposal(run, proposal_id), review.find_proposal(run, other))

        return self._change(pk, swap_mentors)

    @expose("/runs/<int:pk>/publish", methods=["POST"])
    @protect()
    def publish(self, pk: int) -> Any:
        """Publish the accepted proposals as pairings (each introduced by the programme's workflow)."""
        return self._change(pk, lambda run: review.publish_run(self.session, run, SystemClock()))

    def _change(self, pk: int, change: Any) -> Any:
        try:
            run = review.find_run(self.session, pk)
            change(run)
        except SelfServiceError as error:
            return self.refused(error)
        self.session.commit()
        return self.response(200, **present.run_as_json(self.session, run))


class SelfMatchApi(_Answers):
    """A person's own self-match: suggestions, requests, answers (``TandemSelfService``)."""

    resource_name = "selfmatch"
    class_permission_name = "TandemSelfService"
    base_permissions = ["can_read", "can_write"]
    method_permission_name = {"index": "read", "suggestions": "read", "ask": "write", "act": "write"}

    @expose("/", methods=["GET"])
    @protect()
    def index(self) -> Any:
        """My mentee places that take requests, my requests, and the requests waiting for my answer."""
        try:
            person = self._me()
        except SelfServiceError as error:
            return self.refused(error)
        mine = self.session.scalars(
            select(MatchRequest)
            .where((MatchRequest.mentee_id == person.id) | (MatchRequest.mentor_id == person.id))
            .order_by(MatchRequest.id)
        ).all()
        return self.response(
            200,
            programmes=[e.programme_id for e in selfmatch.mentee_enrolments(self.session, person)],
            requests=[
                {
                    "id": r.id,
                    "programme_id": r.programme_id,
                    "side": "mentee" if r.mentee_id == person.id else "mentor",
                    "mentee": r.mentee.full_name,
                    "mentor": r.mentor.full_name,
                    "status": r.status,
                    "score": r.score,
                    "breakdown": r.breakdown,
                }
                for r in mine
            ],
        )

    @expose("/programmes/<int:pk>/suggestions", methods=["GET"])
    @protect()
    def suggestions(self, pk: int) -> Any:
        """My best mentors in the programme, with score and breakdown."""
        try:
            person, programme = self._mine(pk)
            found, why = selfmatch.suggestions(self.session, programme, person)
        except SelfServiceError as error:
            return self.refused(error)
        result = [
            {"mentor_id": s.mentor.id, "mentor": s.mentor.full_name, "score": s.score, "breakdown": s.breakdown}
            for s in found
        ]
        return self.response(200, suggestions=result, why=why)

    @expose("/programmes/<int:pk>/requests", methods=["POST"])
    @protect()
    def ask(self, pk: int) -> Any:
        """Ask a mentor: ``{"mentor_id": id, "message": "..."}``."""
        try:
            person, programme = self._mine(pk)
            data = self.body()
            mentor_id, message = data.get("mentor_id"), data.get("message", "")
            if not isinstance(mentor_id, int) or isinstance(mentor_id, bool):
                raise Refused("expected the id of a suggested mentor", "mentor_id")
            if not isinstance(message, str):
                raise Refused("expected text", "message")
            asked = selfmatch.request_mentor(self.session, programme, person, mentor_id, message, SystemClock())
        except SelfServiceError as error:
            return self.refused(error)
        self.session.commit()
        return self.response(201, id=asked.id, status=asked.status, score=asked.score)

    @expose("/requests/<int:pk>/<any(accept, decline, withdraw):action>", methods=["POST"])
    @protect()
    def act(self, pk: int, action: str) -> Any:
        """As the mentor: accept or decline; as the mentee: withdraw."""
        try:
            person = self._me()
            side = "mentee" if action == "withdraw" else "mentor"
            asked: MatchRequest = selfmatch.own_request(self.session, pk, person.id, side)
            getattr(selfmatch, action)(self.session, asked, SystemClock())
        except SelfServiceError as error:
            return self.refused(error)
        self.session.commit()
        return self.response(200, id=asked.id, status=asked.status, pairing_id=asked.pairing_id)

    def _me(self) -> Any:
        person = person_for_user(current_user())
        if person is None:
            raise NotFound("your login has no directory entry", "person")
        return person

    def _mine(self, programme_id: int) -> tuple[Any, Any]:
        person = self._me()
        return person, selfmatch.mentee_programme(self.session, person, programme_id)
