"""The intranet's landing page."""

from __future__ import annotations

from flask_appbuilder import IndexView, expose

from .scoping import current_user, person_for_user


class HomeView(IndexView):
    """Greets the signed-in person and points them at what they can do."""

    index_template = "tandem/index.html"

    @expose("/")
    def index(self):
        """The landing page."""
        user = current_user()
        person = person_for_user(user) if user is not None else None
        return self.render_template(self.index_template, appbuilder=self.appbuilder, person=person)
