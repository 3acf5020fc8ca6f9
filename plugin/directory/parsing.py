"""Reading the CSV and checking each row on its own."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from .columns import COLUMNS, PARSERS, REQUIRED_COLUMNS, CellError, attribute
from .errors import ImportRejected, RowError

Progress = Callable[[int], None]


@dataclass
class Record:
    """One valid row: the attributes it sets, keyed by Person attribute name."""

    row: int
    values: dict[str, Any]

    @property
    def employee_id(self) -> str:
        """The row's employee id."""
        return self.values["employee_id"]


def read_csv(stream: TextIO) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a directory CSV (a UTF-8 BOM is tolerated)."""
    reader = csv.reader(stream)
    try:
        header = [name.strip().lstrip("\ufeff").lower() for name in next(reader)]
    except StopIteration:
        raise ImportRejected([RowError(1, "-", "the file is empty")]) from None
    except csv.Error as error:
        raise ImportRejected([RowError(1, "-", f"not a CSV file: {error}")]) from None
    try:
        return header, list(reader)
    except csv.Error as error:
        raise ImportRejected([RowError(reader.line_num, "-", f"broken CSV: {error}")]) from None


def check_header(header: list[str]) -> list[RowError]:
    """Errors for unknown, repeated or missing columns in the header row."""
    errors = [
        RowError(
            1,
            name or f"#{index + 1}",
            f"unknown column; expected only: {', '.join(COLUMNS)}",
        )
        for index, name in enumerate(header)
        if name not in COLUMNS
    ]
    errors += [
        RowError(1, name, "column appears more than once")
        for index, name in enumerate(header)
        if name in COLUMNS and name in header[:index]
    ]
    errors += [RowError(1, name, "required column is missing") for name in REQUIRED_COLUMNS if name not in header]
    return errors


def parse_rows(
    header: list[str], rows: Iterable[list[str]], progress: Progress | None = None
) -> tuple[list[Record], list[RowError]]:
    """Turn each data row into a :class:`Record`, collecting every cell error."""
    records: list[Record] = []
    errors: list[RowError] = []
    width = len(header)
    for index, cells in enumerate(rows):
        row = index + 2
        if progress:
            progress(1)
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            errors.append(RowError(row, "-", f"has {len(cells)} cells, the header has {width}"))
            continue
        values: dict[str, Any] = {}
        for column, cell in zip(header, cells, strict=True):
            try:
                values[attribute(column)] = PARSERS[column](cell.strip())
            except CellError as error:
                errors.append(RowError(row, column, str(error)))
        records.append(Record(row, values))
    return records, errors
