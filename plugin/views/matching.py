"""HR's matching screen: run the solver into a draft, review it by mentor, edit, re-run with other weights, publish.

Permission: ``can_read``/``can_write`` on ``TandemMatching`` (HR only). Every change is a
CSRF-protected POST that calls :mod:`tandem.plugin.matchmaking.review`; a refused change
answers 400/404/409 with a page naming the field at fault, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access

from tandem.workflows.clock import SystemClock
from tandem.workflows.matching.settings import CRITERION_LABELS

from ..errors import NotFound, Refused, SelfServiceError
from ..matchmaking import present, review
from ..matchmaking.explain import circle_weights, explain, pairing_weights
from ..matchmaking.settings_form import settings_from_form
from ..models import MatchRun, Programme
from ..scoping import current_username
from .page import TandemPage

RESOURCE = "TandemMatching"


class MatchingView(TandemPage):
    """``/mentoring/matching``"""

    route_base = "/mentoring/matching"
    default_view = "index"
    class_permission_name = RESOURCE
    base_permissions = ["can_read", "can_write"]
    method_permission_name = {
        "index": "read",
        "show": "read",
        "run": "write",
        "accept_all": "write",
        "publish": "write",
        "discard": "write",
        "decide": "write",
        "swap": "write",
    }

    @expose("/")
    @has_access
    def index(self) -> Any:
        """Every programme that pairs people: its pool now, its runs, and a form to run matching."""
        rows = [
            (programme, present.pool_sizes(self.session, programme), runs)
            for programme, runs in present.programmes_with_runs(self.session, latest=5)
        ]
        return self.page("tandem/matching/index.html", rows=rows, form_values=present.settings_form_values)

    @expose("/programme/<int:pk>/run", methods=["POST"])
    @has_access
    def run(self, pk: int) -> Any:
        """Solve the programme's pool into a new draft, with the weights from the form."""
        back = url_for("MatchingView.index")
        programme = self.session.get(Programme, pk)
        if programme is None:
            return self.refused(NotFound(f"no programme {pk}", "programme"), back)
        try:
            settings = None
            if request.form.get("custom") == "on":
                settings = settings_from_form(request.form, programme.matching_settings or {})
            run = review.run_matching(self.session, programme, settings, author=current_username())
        except SelfServiceError as error:
            return self.refused(error, back)
        self.session.commit()
        made = f"{len(run.circles)} circle(s)" if run.circles else f"{len(run.proposals)} proposal(s)"
        flash(f"{programme.name}: {made} to review, {len(run.unmatched)} unmatched.", "info")
        return redirect(url_for("MatchingView.show", pk=run.id))

    @expose("/run/<int:pk>")
    @has_access
    def show(self, pk: int) -> Any:
        """A run's proposals grouped by mentor with their load, the unmatched and why, and the actions."""
        try:
            run = review.find_run(self.session, pk)
        except SelfServiceError as error:
            return self.refused(error, url_for("MatchingView.index"))
        weights = circle_weights(run.settings) if run.circles else pairing_weights(run.settings)

        def fit(score: float, breakdown: dict[str, Any]) -> Any:
            return explain(score, breakdown, weights)

        scored = [fit(item.score, item.breakdown) for item in (run.circles or run.proposals)]
        average = round(sum(e.points for e in scored if e) / len(scored)) if scored else None
        return self.page(
            "tandem/matching/run.html",
            run=run,
            fit=fit,
            average=average,
            groups=present.groups(self.session, run),
            unmatched=present.unmatched(self.session, run),
            labels=CRITERION_LABELS,
            constraint_labels=present.CONSTRAINT_LABELS,
            form_values=present.settings_form_values(run.settings),
        )

    @expose("/run/<int:pk>/accept-all", methods=["POST"])
    @has_access
    def accept_all(self, pk: int) -> Any:
        """Accept every proposal HR has not rejected."""
        return self._change(pk, lambda run: flash(f"{review.accept_all(run)} proposal(s) accepted.", "success"))

    @expose("/run/<int:pk>/publish", methods=["POST"])
    @has_access
    def publish(self, pk: int) -> Any:
        """Publish the accepted proposals: staff see them, and the programme's workflow introduces each pair."""

        return self._change(pk, lambda run: flash(review.publish_run(self.session, run, SystemClock()), "success"))

    @expose("/run/<int:pk>/discard", methods=["POST"])
    @has_access
    def discard(self, pk: int) -> Any:
        """Throw the draft away."""
        return self._change(pk, lambda run: (review.discard(run), flash("Draft discarded.", "info")))

    @expose("/run/<int:pk>/proposal/<int:proposal_id>/<any(accept, reject):decision>", methods=["POST"])
    @has_access
    def decide(self, pk: int, proposal_id: int, decision: str) -> Any:
        """Accept or reject one proposal."""
        return self._change(pk, lambda run: review.decide(review.find_proposal(run, proposal_id), decision))

    @expose("/run/<int:pk>/proposal/<int:proposal_id>/swap", methods=["POST"])
    @has_access
    def swap(self, pk: int, proposal_id: int) -> Any:
        """Exchange the mentors of this proposal and the one chosen in the form (field ``other``)."""

        def swap_mentors(run: MatchRun) -> None:
            other = request.form.get("other", "")
            if not other.isdigit():
                raise Refused("choose the proposal to swap mentors with", "other")
            first, second = review.find_proposal(run, proposal_id), review.find_proposal(run, int(other))
            review.swap(self.session, first, second)
            flash(f"Swapped: {first.mentee.full_name} and {second.mentee.full_name} have new mentors.", "success")

        return self._change(pk, swap_mentors)

    def _change(self, pk: int, change: Any) -> Any:
        back = url_for("MatchingView.show", pk=pk)
        try:
            change(review.find_run(self.session, pk))
        except SelfServiceError as error:
            return self.refused(error, back)
        self.session.commit()
        return redirect(back)
