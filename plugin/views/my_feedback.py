"""My feedback: the 30-day pulse and the end-of-programme survey a programme's workflow sent me."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access

from ..errors import Refused, SelfServiceError
from ..feedback.surveys import QUESTIONS, RECOMMEND, SCALE, answer_survey, open_surveys, own_survey
from ..settings import settings
from .selfservice import READ, WRITE, SelfServiceView


class MyFeedbackView(SelfServiceView):
    """``/tandem/feedback``: the surveys waiting for my answer, each a short form."""

    route_base = "/tandem/feedback"
    default_view = "surveys"
    method_permission_name = {"surveys": READ, "answer": WRITE}

    @expose("/")
    @has_access
    def surveys(self) -> Any:
        """Every survey sent to me that I have not answered yet."""
        return self.show()

    def show(self, error: SelfServiceError | None = None, failed: int | None = None) -> Any:
        """The page; with ``error``, the form of survey message ``failed`` comes back with what was chosen."""
        person = self.me()
        return self.page(
            "tandem/me/feedback.html",
            status=error.status if error else 200,
            person=person,
            surveys=open_surveys(self.session, person.id, self.clock().now()),
            questions=QUESTIONS,
            recommend=RECOMMEND,
            scale=SCALE,
            error=error,
            failed=failed,
            given=request.form if error else {},
            min_group_size=settings().min_group_size,
        )

    @expose("/<int:pk>/answer", methods=["POST"])
    @has_access
    def answer(self, pk: int) -> Any:
        """Answer the survey of message ``pk``."""
        person = self.me()
        now = self.clock().now()
        try:
            survey = own_survey(self.session, pk, person.id, now)
            answer_survey(self.session, survey, person.id, request.form, now)
        except Refused as error:
            self.session.rollback()
            return self.show(error, pk)
        except SelfServiceError as error:
            return self.refused(error, url_for("MyFeedbackView.surveys"))
        self.session.commit()
        flash(f"Thank you — your answers to the {survey.title.lower()} are recorded.", "success")
        return redirect(url_for("MyFeedbackView.surveys"))
