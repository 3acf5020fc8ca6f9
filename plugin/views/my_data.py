"""My data: a person downloads everything Tandem holds about them (JSON and CSV in one zip)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_appbuilder import expose, has_access

from ..personaldata import archive, personal_data
from .selfservice import READ, SelfServiceView


class MyDataView(SelfServiceView):
    """``/tandem/my-data``: what is held, section by section, and the archive to download."""

    route_base = "/tandem/my-data"
    default_view = "overview"
    method_permission_name = {"overview": READ, "download": READ}

    @expose("/")
    @has_access
    def overview(self) -> Any:
        """How many records each section holds, and the download button."""
        person = self.me()
        sections = {name: len(rows) for name, rows in personal_data(self.session, person).items()}
        return self.page("tandem/me/my_data.html", person=person, sections=sections)

    @expose("/download")
    @has_access
    def download(self) -> Any:
        """The zip: ``data.json`` and one CSV per section."""
        person = self.me()
        return Response(
            archive(self.session, person),
            mimetype="application/zip",
            headers={"Content-Disposition": 'attachment; filename="tandem-my-data.zip"'},
        )
