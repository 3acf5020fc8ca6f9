"""One page of a list that grows (an inbox, past check-ins, a timeline), chosen by ``?page=N``.

A page reads one row more than it shows, so it knows whether an older page exists
without counting the whole list; ``templates/pages/tandem/_pager.html`` renders the
links ("Newer" and "Older").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, request

from ..layout import render_page

PAGE_SIZE = 25
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Paged:
    """The rows of page ``page`` (from 1) and whether an older page follows."""

    rows: list[Any]
    page: int
    more: bool

    @property
    def newer(self) -> int | None:
        """The number of the page before this one, None on the first."""
        return self.page - 1 if self.page > 1 else None

    @property
    def older(self) -> int | None:
        """The number of the page after this one, None on the last."""
        return self.page + 1 if self.more else None


def page_number() -> int:
    """The ``page`` argument of the request (1 when absent); 400 naming the field when it is no page number."""
    given = request.args.get("page", "1")
    if not given.isdigit() or not 1 <= int(given) <= MAX_PAGE:
        heading = "That page number could not be used"
        explanation = f"page: a whole number from 1 to {MAX_PAGE}. The first page is at {request.path}."
        abort(render_page("tandem/error.html", 400, heading=heading, explanation=explanation, code=400))
    return int(given)


def paged(read: Callable[[int, int], Sequence[Any]], size: int = PAGE_SIZE) -> Paged:
    """Page :func:`page_number` of a list: ``read(offset, limit)`` returns up to ``limit`` rows from ``offset``."""
    page = page_number()
    rows = list(read((page - 1) * size, size + 1))
    return Paged(rows[:size], page, len(rows) > size)
