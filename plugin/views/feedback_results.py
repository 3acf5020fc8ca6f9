"""Feedback and goals results: HR's page per programme (with the completion CSV), a manager's for their subtree.

Permission: ``can_read`` on ``TandemReport`` (HR and managers, like the
participation reports). The programme pages are HR's (a manager gets 403);
the manager page shows only their whole reporting line. Every number comes
from :mod:`tandem.plugin.feedback.results`, which applies the small-group rule.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, url_for
from flask_appbuilder import expose, has_access

from tandem.workflows.clock import SystemClock

from ..feedback.results import completion, goal_counts, programme_results, subtree_results
from ..feedback.surveys import QUESTIONS
from ..models import Programme
from ..reports.privacy import shown
from ..safecsv import csv_text
from ..scoping import current_user, person_for_user, sees_everyone
from ..settings import settings
from .page import TandemPage

RESOURCE = "TandemReport"
COMPLETION_COLUMNS = (("label", "programme"), ("survey", "survey"), ("sent", "sent"), ("answered", "answered"))


class FeedbackResultsView(TandemPage):
    """``/mentoring/feedback``: survey results and goal counts in aggregate, never per person."""

    route_base = "/mentoring/feedback"
    default_view = "index"
    class_permission_name = RESOURCE
    base_permissions = ["can_read"]
    method_permission_name = {name: "read" for name in ("index", "programme", "completion_csv", "manager")}

    def clock(self) -> SystemClock:
        """The time source (what is due by now)."""
        return SystemClock()

    def hr_only(self) -> None:
        """Refuse anyone but HR (and FAB's admin) with a plain 403 page."""
        if not sees_everyone(current_user()):
            abort(403)

    @expose("/")
    @has_access
    def index(self) -> Any:
        """HR: every programme's completion and goal counts, each linking to its results; a manager: their page."""
        if not sees_everyone(current_user()):
            return redirect(url_for("FeedbackResultsView.manager"))
        threshold = settings().min_group_size
        programmes = self.session.query(Programme).order_by(Programme.name).all()
        return self.page(
            "tandem/feedback_results.html",
            programme=None,
            programmes=programmes,
            completion=completion(self.session, threshold, self.clock().now()),
            goals=goal_counts(self.session, threshold),
            threshold=threshold,
            shown=shown,
        )

    @expose("/programme/<int:pk>")
    @has_access
    def programme(self, pk: int) -> Any:
        """One programme's survey results (total and by role), completion and goal counts."""
        self.hr_only()
        programme = self.session.get(Programme, pk) or abort(404)
        threshold = settings().min_group_size
        return self.page(
            "tandem/feedback_results.html",
            programme=programme,
            results=programme_results(self.session, pk, threshold),
            questions=QUESTIONS,
            completion=completion(self.session, threshold, self.clock().now(), pk),
            goals=goal_counts(self.session, threshold, pk),
            threshold=threshold,
            shown=shown,
        )

    @expose("/completion.csv")
    @has_access
    def completion_csv(self) -> Any:
        """Survey completion per programme as CSV (HR), the same suppression as the page, cells neutralised."""
        self.hr_only()
        threshold = settings().min_group_size
        rows = completion(self.session, threshold, self.clock().now())
        body = csv_text(
            [
                [heading for _, heading in COMPLETION_COLUMNS] + ["answered share"],
                *([shown(row[key]) for key, _ in COMPLETION_COLUMNS] + [shown(row["rate"])] for row in rows),
            ]
        )
        return Response(
            body, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="survey-completion.csv"'}
        )

    @expose("/manager")
    @has_access
    def manager(self) -> Any:
        """A manager's whole reporting line: each programme's survey results, when enough people answered."""
        person = person_for_user(current_user())
        if person is None:
            abort(403)
        threshold = settings().min_group_size
        return self.page(
            "tandem/feedback_manager.html",
            results=subtree_results(self.session, person.id, threshold),
            questions=QUESTIONS,
            threshold=threshold,
            shown=shown,
        )
