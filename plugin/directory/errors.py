"""Import errors that name the row and the column at fault."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class RowError:
    """One problem in one cell (``row`` counts the header as row 1, like a spreadsheet)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The error as JSON-ready data."""
        return asdict(self)


class ImportRejected(Exception):
    """The file was refused as a whole; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} error(s) in the file; nothing was imported")
