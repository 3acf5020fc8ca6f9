"""The staff directory import: CSV in, validated as a whole, upserted in one transaction."""

from .errors import ImportRejected, RowError
from .importer import ImportResult, import_people, read_csv

__all__ = ["ImportRejected", "ImportResult", "RowError", "import_people", "read_csv"]
