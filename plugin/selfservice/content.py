"""Who reads what a person writes in Tandem, in one place (the forms and the admin views follow it).

- the private note of a check-in: its author only;
- the shared note of a check-in, and an enrolment's goals: the person and their pair (or circle);
- ratings, topics and pulse answers: HR and managers only as aggregates over groups of at least
  ``TANDEM_MIN_GROUP_SIZE`` people (the reports), never per person.

So the admin views and REST API of check-ins show participation only (who, which pair, when due, whether it
happened), to managers and HR alike; HR sees content only in aggregate (see README, Security).
"""

from __future__ import annotations

from typing import Any

GOALS_READERS = "Read by the person and their pair (mentor or circle) only; never shown to managers or HR."

# Keys under which a person's own words or ratings travel in event payloads (the engine branches on them).
CONTENT_KEYS = frozenset(
    {"rating", "topics", "shared_note", "private_note", "goals", "answers", "quiz_answer", "reason"}
)
HIDDEN = "(content: shown only in aggregate)"


def without_content(value: Any) -> Any:
    """``value`` (a payload) with every content key's value replaced by a placeholder, at any depth."""
    if isinstance(value, dict):
        return {key: HIDDEN if key in CONTENT_KEYS else without_content(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_content(item) for item in value]
    return value
