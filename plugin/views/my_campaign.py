"""Campaign items: read, acknowledge, answer the short quiz."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access

from ..errors import Refused, SelfServiceError
from ..selfservice.campaign import acknowledge, items_for, own_item
from .selfservice import READ, WRITE, SelfServiceView


class MyCampaignView(SelfServiceView):
    """``/tandem/campaign``"""

    route_base = "/tandem/campaign"
    default_view = "items"
    method_permission_name = {"items": READ, "acknowledge": WRITE}

    @expose("/")
    @has_access
    def items(self) -> Any:
        """Every item of my campaigns, with what I acknowledged."""
        return self.show()

    def show(self, error: SelfServiceError | None = None, item_id: int | None = None) -> Any:
        """The items page; with ``error``, the form of item ``item_id`` comes back with it (status 400)."""
        person = self.me()
        return self.page(
            "tandem/me/campaign.html",
            status=error.status if error else 200,
            person=person,
            items=items_for(self.session, person.id),
            error=error,
            error_item=item_id,
        )

    @expose("/<int:pk>/acknowledge", methods=["POST"])
    @has_access
    def acknowledge(self, pk: int) -> Any:
        """Acknowledge an item, with the quiz answer when it has a quiz."""
        person = self.me()
        try:
            item = own_item(self.session, pk, person.id)
            ack = acknowledge(self.session, item, person.id, request.form.get("quiz_answer"), self.clock().now())
        except Refused as error:
            self.session.rollback()
            return self.show(error, pk)
        except SelfServiceError as error:
            return self.refused(error, url_for("MyCampaignView.items"))
        self.session.commit()
        if ack.quiz_correct is False:
            flash(f"Thanks for reading “{item.title}”. Not quite — see the explanation below.", "warning")
        else:
            flash(f"Thanks for reading “{item.title}”.", "success")
        return redirect(url_for("MyCampaignView.items") + f"#item-{item.id}")
