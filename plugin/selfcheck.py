"""``python -m tandem.plugin.selfcheck``: does this installation carry everything it needs?

CI runs it in a fresh venv holding only the built wheel: it imports the
add-on manager, renders a shipped notification template, validates the
built-in workflows against the shipped schema and finds the migrations and
page templates inside the installed package.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from tandem.plugin.content import builtin_campaigns
from tandem.plugin.database import VERSION_TABLE  # noqa: F401  (import check)
from tandem.plugin.manager import PAGE_TEMPLATES, TandemManager
from tandem.templates import notification_environment, root
from tandem.workflows.builtin import builtin_definitions

BUILTIN_WORKFLOWS = {"onboarding-buddy", "mentoring-cohort", "peer-circle", "career-advice-campaign", "manager-digest"}


def main() -> int:
    """Print what was found; return non-zero when anything is missing."""
    problems = []
    text = (
        notification_environment()
        .get_template("welcome.txt.j2")
        .render(first_name="Ada", programme="Onboarding buddies")
    )
    if "Hello Ada" not in text:
        problems.append("the welcome template did not render")
    from tandem.workflows.notification_context import sample_context
    from tandem.workflows.templating import render

    if "/tandem/answer/" not in render(None, "checkin/prompt", sample_context("http://intranet")).html:
        problems.append("the check-in prompt notification template did not render")
    migrations = Path(str(files("tandem.plugin"))) / "migrations" / "versions"
    if not any(migrations.glob("0001_*.py")):
        problems.append(f"no migrations in {migrations}")
    shipped = {definition.name for definition in builtin_definitions()}
    if not shipped >= BUILTIN_WORKFLOWS:
        problems.append(f"built-in workflow definitions missing: {', '.join(sorted(BUILTIN_WORKFLOWS - shipped))}")
    if not builtin_campaigns():
        problems.append("the shipped campaign content (tandem.plugin.content) is missing")
    if not (root() / "overrides" / "appbuilder" / "navbar_right.html").is_file():
        problems.append("the navbar override with the inbox bell is missing")
    if not (root() / "pages" / "tandem" / "index.html").is_file():
        problems.append(f"no page templates in {PAGE_TEMPLATES}")
    origin = sys.modules["tandem.plugin"].__file__
    print(f"{TandemManager.__module__}.{TandemManager.__name__} imported from {origin}")
    for problem in problems:
        print(f"MISSING: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
