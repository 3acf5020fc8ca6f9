"""What every Tandem REST resource shares."""

from __future__ import annotations

from flask_appbuilder import ModelRestApi

from ..roles import METHOD_PERMISSIONS


class TandemRestApi(ModelRestApi):
    """A ModelRestApi on the shared ``can_read``/``can_write`` permissions.

    Read-only resources set ``base_permissions = ["can_read"]``.
    """

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = True
    page_size = 50
    max_page_size = 500
