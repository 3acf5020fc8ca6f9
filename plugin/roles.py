"""Tandem's roles and their exact permissions, kept current by ``tandem init``.

Every Tandem view and API shares one permission resource per model
(``class_permission_name``) with two verbs, ``can_read`` and ``can_write``, so
a role reads as a short list and the UI and the REST API can never disagree.
"""

from __future__ import annotations

from typing import Any

HR_ROLE = "TandemHR"
MANAGER_ROLE = "TandemManager"
STAFF_ROLE = "TandemStaff"
ROLES = (HR_ROLE, MANAGER_ROLE, STAFF_ROLE)

# The admin's menu, grouped by task: category -> its items, in menu order.
CATEGORIES = {
    "Programmes": (
        "Today",
        "Run a programme",
        "Programmes",
        "Enrolments",
        "Sign-ups",
        "Campaign items",
        "Acknowledgements",
    ),
    "People": ("People", "Import people"),  # "Import people": helper hrtools' directory import page
    "Matching": ("Match review", "Pairings", "Check-ins"),
    "Messages": ("Notifications", "Notification templates", "Mail outbox", "Notification preferences"),
    "Operations": ("Operations inbox", "Workflow runs", "Events"),
    "Reports": ("Reports",),
    "Settings": ("Workflows", "Workflow editor"),
}
CATEGORY_ICONS = {
    "Programmes": "fa-seedling",
    "People": "fa-address-book",
    "Matching": "fa-people-arrows",
    "Messages": "fa-envelope",
    "Operations": "fa-inbox",
    "Reports": "fa-chart-bar",
    "Settings": "fa-cog",
}


def menu_position(item: str) -> tuple[int, int]:
    """Where ``item`` goes in the admin's menus: its category's place, then its own place in that category."""
    categories = list(CATEGORIES)
    category = category_of(item)
    items = CATEGORIES[category]
    return categories.index(category), items.index(item) if item in items else len(items)


# HR's own pages that list no model: the home page and the programme pages.
HR_PAGES = ("Today", "Run a programme", "Import people")


def category_of(item: str) -> str:
    """The menu category of admin menu item ``item`` (an item added later without a place goes to Settings)."""
    return next((category for category, items in CATEGORIES.items() if item in items), "Settings")


# resource (permission view name) -> menu item that lists it
RESOURCES = {
    "TandemPerson": "People",
    "TandemProgramme": "Programmes",
    "TandemEnrolment": "Enrolments",
    "TandemPairing": "Pairings",
    "TandemCheckIn": "Check-ins",
    "TandemCampaignItem": "Campaign items",
    "TandemAcknowledgement": "Acknowledgements",
    "TandemNotification": "Notifications",
    "TandemEvent": "Events",
    "TandemWorkflow": "Workflows",
    "TandemWorkflowInstance": "Workflow runs",
    "TandemIncident": "Operations inbox",
    "TandemNotificationTemplate": "Notification templates",
    "TandemMailOutbox": "Mail outbox",
    "TandemNotificationPreference": "Notification preferences",
    "TandemReport": "Reports",
    "TandemMatching": "Match review",
}

# What HR edits; check-ins, acknowledgements and notifications belong to the
# people who answer them and to the engine.
HR_WRITABLE = [
    "TandemPerson",
    "TandemProgramme",
    "TandemEnrolment",
    "TandemPairing",
    "TandemCampaignItem",
    "TandemEvent",
    "TandemWorkflow",
    "TandemWorkflowInstance",
    "TandemIncident",
    "TandemNotificationTemplate",
    "TandemNotificationPreference",
    "TandemMatching",
]


# Every permission a resource has, shared by all its views and APIs. FAB's
# permission update removes a view's permissions that its base_permissions do
# not list, so views on one resource must agree on this list.
def resource_permissions(resource: str) -> list[str]:
    """The permissions of ``resource``: read, write where HR edits it, import on people."""
    permissions = ["can_read"]
    if resource in HR_WRITABLE:
        permissions.append("can_write")
    if resource == "TandemPerson":
        permissions.append("can_import")
    return permissions


READ = "read"
WRITE = "write"

# FAB method name -> shared verb, for ModelView and ModelRestApi alike.
METHOD_PERMISSIONS = {
    "list": READ,
    "show": READ,
    "download": READ,
    "get": READ,
    "get_list": READ,
    "info": READ,
    "add": WRITE,
    "edit": WRITE,
    "delete": WRITE,
    "action": WRITE,
    "action_post": WRITE,
    "post": WRITE,
    "put": WRITE,
}

# HR's list of sign-ups waiting for approval (permission: write enrolments).
SIGNUP_MENU = "Sign-ups"

SELF_SERVICE = [
    ("can_userinfo", "UserDBModelView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
]

_SHARED_READ = [
    "TandemPerson",
    "TandemProgramme",
    "TandemEnrolment",
    "TandemPairing",
    "TandemCheckIn",
    "TandemCampaignItem",
    "TandemAcknowledgement",
]


# Staff self-service pages (plugin/views/my_*.py, inbox.py): one resource, read and write, own records only.
SELF_SERVICE_RESOURCE = "TandemSelfService"
SELF_SERVICE_MENU = "Me"
SELF_SERVICE_ITEMS = (
    "My mentoring",
    "My profile",
    "Sign up",
    "My check-ins",
    "My timeline",
    "My campaign items",
    "Inbox",
    "My feedback",
    "My data",
)


def self_service_permissions() -> list[tuple[str, str]]:
    """The staff pages: answer my check-ins, opt out, acknowledge items, read my inbox."""
    perms = [("can_read", SELF_SERVICE_RESOURCE), ("can_write", SELF_SERVICE_RESOURCE)]
    return perms + [("menu_access", item) for item in (SELF_SERVICE_MENU, *SELF_SERVICE_ITEMS)]


def _readable(resources: list[str]) -> list[tuple[str, str]]:
    perms = [("can_read", resource) for resource in resources]
    return perms + [("menu_access", RESOURCES[resource]) for resource in resources]


def _with_categories(perms: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``perms`` plus menu access to each category holding one of its admin menu items (no empty category)."""
    own = {SELF_SERVICE_MENU, *SELF_SERVICE_ITEMS}
    items = [view for perm, view in perms if perm == "menu_access" and view not in own]
    categories = list(dict.fromkeys(category_of(item) for item in items))
    return perms + [("menu_access", category) for category in categories if ("menu_access", category) not in perms]


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Each Tandem role with its exact list of (permission, view) pairs."""
    everything = list(RESOURCES)
    hr = _readable(everything)
    hr += [("can_write", resource) for resource in HR_WRITABLE]
    hr += [("can_import", "TandemPerson"), ("menu_access", "Workflow editor"), ("menu_access", SIGNUP_MENU)]
    hr += [("menu_access", page) for page in HR_PAGES]
    # Everyone sets their own notification preferences (the view finds the person of the login).
    own_preferences = [
        ("can_read", "TandemNotificationPreference"),
        ("can_write", "TandemNotificationPreference"),
        ("menu_access", RESOURCES["TandemNotificationPreference"]),
    ]
    return {
        HR_ROLE: _with_categories(hr + SELF_SERVICE),
        MANAGER_ROLE: _with_categories(_readable([*_SHARED_READ, "TandemReport"]) + own_preferences + SELF_SERVICE),
        STAFF_ROLE: _with_categories(
            _readable([*_SHARED_READ, "TandemNotification"])
            + own_preferences
            + SELF_SERVICE
            + self_service_permissions()
        ),
    }


def sync_roles(security_manager: Any) -> dict[str, int]:
    """Create the Tandem roles and set their permissions to exactly the declared lists.

    Permissions a role gained by hand are removed: the declaration is the truth.
    Returns the number of permissions per role.
    """
    counts = {}
    for name, pairs in role_permissions().items():
        role = security_manager.find_role(name) or security_manager.add_role(name)
        wanted = [security_manager.add_permission_view_menu(perm, view) for perm, view in pairs]
        role.permissions = wanted
        counts[name] = len(wanted)
    security_manager.session.commit()
    return counts
