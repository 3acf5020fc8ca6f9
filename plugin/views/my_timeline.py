"""My timeline: what happened, what comes next, and why each prompt came."""

from __future__ import annotations

from typing import Any

from flask_appbuilder import expose, has_access

from ..feedback.surveys import open_surveys
from ..selfservice.goals import STATUS_LABELS, my_goal_groups
from ..selfservice.timeline import coming, happened, person_zone
from .paging import paged
from .selfservice import READ, SelfServiceView


class MyTimelineView(SelfServiceView):
    """``/tandem/timeline``"""

    route_base = "/tandem/timeline"
    default_view = "timeline"
    method_permission_name = {"timeline": READ}

    @expose("/")
    @has_access
    def timeline(self) -> Any:
        """The person's past (a page at a time) and future, in their own time zone."""
        person = self.me()
        shown = paged(lambda offset, limit: happened(self.session, person, offset + limit)[offset:])
        return self.page(
            "tandem/me/timeline.html",
            person=person,
            zone=person_zone(self.session, person),
            coming=coming(self.session, person),
            happened=shown.rows,
            paged=shown,
            goal_groups=my_goal_groups(self.session, person.id),
            goal_labels=STATUS_LABELS,
            surveys=open_surveys(self.session, person.id, self.clock().now()),
        )
