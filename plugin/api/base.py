"""What every Tandem REST resource shares."""

from __future__ import annotations

from flask_appbuilder import ModelRestApi

from ..roles import METHOD_PERMISSIONS, resource_permissions


class TandemRestApi(ModelRestApi):
    """A ModelRestApi on the shared ``can_read``/``can_write`` permissions.

    Its permissions come from its resource (:mod:`tandem.plugin.roles`);
    read-only resources also narrow ``include_route_methods``.
    """

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = True
    page_size = 50
    max_page_size = 500

    def __init__(self) -> None:
        self.base_permissions = resource_permissions(self.class_permission_name)
        super().__init__()
