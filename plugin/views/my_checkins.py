"""My check-ins: open prompts with the answer form, past answers, and my pair's shared notes."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from sqlalchemy import select

from ..errors import Refused, SelfServiceError
from ..models import CheckIn
from ..selfservice.campaign import discussion_prompts
from ..selfservice.checkins import (
    SUGGESTED_TOPICS,
    Answer,
    add_details,
    answer,
    correct_rating,
    correctable_until,
    own_checkin,
    the_pairs_notes,
)
from ..selfservice.goals import (
    STATUS_LABELS,
    agree_goals,
    goals_for,
    group_of,
    progress_said,
    record_progress,
)
from ..selfservice.timeline import local_time, person_zone, why_checkin
from ..settings import settings
from .paging import paged
from .selfservice import READ, WRITE, SelfServiceView


def form_answer() -> Answer:
    """The answer in the submitted form (validation happens in the service)."""
    topics = [*request.form.getlist("topics"), request.form.get("other_topics", "")]
    return Answer(
        rating=request.form.get("rating") or None,
        topics=topics,
        private_note=request.form.get("private_note", ""),
        shared_note=request.form.get("shared_note", ""),
    )


def form_goals() -> list[str] | None:
    """The goal texts of a first check-in's form, or None when the form has no goal fields."""
    if "goal_1" not in request.form:
        return None
    return [request.form.get(f"goal_{position}", "") for position in (1, 2, 3)]


def form_progress() -> dict[int, str]:
    """How each goal moved, from a later check-in's form (goal position → status)."""
    given = {}
    for position in (1, 2, 3):
        status = request.form.get(f"goal_progress_{position}")
        if status:
            given[position] = status
    return given


def save_goals(session: Any, checkin: CheckIn, now: Any) -> None:
    """The goals part of an answer: agree them at the first check-in, say how they moved at later ones."""
    texts = form_goals()
    if texts is not None:
        agree_goals(session, checkin, texts, now)  # the first check-in, or a later one of a pair with none yet
    elif checkin.sequence > 1 and form_progress():
        record_progress(session, checkin, form_progress(), now)


class MyCheckInsView(SelfServiceView):
    """``/tandem/check-ins``"""

    route_base = "/tandem/check-ins"
    default_view = "checkins"
    method_permission_name = {"checkins": READ, "checkin": READ, "submit": WRITE}

    def local_times(self, person: Any) -> Any:
        """A formatter of stored times in the zone the person chose (looked up once per page)."""
        zone = person_zone(self.session, person)
        return lambda moment: local_time(moment, zone)

    def correctable(self, checkin: CheckIn) -> Any:
        """Until when the rating may still be corrected (a UTC time), or None once it may not."""
        until = correctable_until(checkin)
        return until if until is not None and self.clock().now() <= until else None

    @expose("/")
    @has_access
    def checkins(self) -> Any:
        """Open prompts first (all of them: a few at most), then past answers, a page at a time."""
        person = self.me()
        mine = select(CheckIn).where(CheckIn.respondent_id == person.id)
        past = mine.where(CheckIn.status != "open").order_by(CheckIn.due_at.desc(), CheckIn.id.desc())
        shown = paged(lambda offset, limit: self.session.scalars(past.offset(offset).limit(limit)).all())
        waiting = mine.where(CheckIn.status == "open").order_by(CheckIn.due_at.desc())
        return self.page(
            "tandem/me/checkins.html",
            person=person,
            open_checkins=self.session.scalars(waiting).all(),
            past=shown.rows,
            paged=shown,
            local=self.local_times(person),
        )

    @expose("/<int:pk>")
    @has_access
    def checkin(self, pk: int) -> Any:
        """One check-in: the answer form while open, the answer (and a form to add details) once completed."""
        return self.show(pk)

    def show(self, pk: int, error: SelfServiceError | None = None, given: Answer | None = None) -> Any:
        """Render one of my check-ins, with an error from a refused submission if any."""
        person = self.me()
        try:
            checkin = own_checkin(self.session, pk, person.id)
        except SelfServiceError as missing:
            return self.refused(missing, url_for("MyCheckInsView.checkins"))
        return self.page(
            "tandem/me/checkin.html",
            status=error.status if error else 200,
            person=person,
            checkin=checkin,
            error=error,
            given=given,
            suggested=SUGGESTED_TOPICS,
            pair_notes=the_pairs_notes(self.session, checkin),
            prompts=discussion_prompts(self.session, checkin),
            why=why_checkin(self.session, checkin),
            correctable=self.correctable(checkin),
            local=self.local_times(person),
            min_group_size=settings().min_group_size,
            goals=goals_for(self.session, group_of(self.session, checkin), person.id),
            goal_said=progress_said(self.session, checkin),
            goal_labels=STATUS_LABELS,
            given_goals=form_goals() if error else None,
            given_progress=form_progress() if error else None,
        )

    @expose("/<int:pk>/answer", methods=["POST"])
    @has_access
    def submit(self, pk: int) -> Any:
        """Answer an open check-in, or add topics and notes to a completed one."""
        person = self.me()
        given = form_answer()
        try:
            checkin = own_checkin(self.session, pk, person.id, lock=True)
            if request.form.get("mode") == "correct":
                correct_rating(self.session, checkin, request.form.get("rating"), self.clock().now())
                message = f"Your rating is corrected to {checkin.rating}/5."
            elif checkin.status == "completed" and request.form.get("mode") == "details":
                add_details(self.session, checkin, given)
                save_goals(self.session, checkin, self.clock().now())
                message = "Your notes are saved."
            else:
                answer(self.session, checkin, given, self.clock().now())
                save_goals(self.session, checkin, self.clock().now())
                message = "Thank you — your answer is recorded."
        except Refused as error:
            self.session.rollback()
            return self.show(pk, error, given)
        except SelfServiceError as error:
            return self.refused(error, url_for("MyCheckInsView.checkins"))
        self.session.commit()
        flash(message, "success")
        return redirect(url_for("MyCheckInsView.checkin", pk=pk))
