"""A bundle's tables as a validated `tools.rankings.TableSet` (read by `corpus.tables`, cached on the bundle).

A malformed file fails loudly with a `TableLoadError` naming the file and the CSV row.
"""

from __future__ import annotations

from corpus.bundle import DocumentBundle
from corpus.tables import METADATA_FILE, TableLoadError, parse_cell
from tools.rankings import TableSet

__all__ = ["METADATA_FILE", "TableLoadError", "load_tables", "parse_cell"]


def load_tables(bundle: DocumentBundle) -> TableSet:
    """The bundle's tables.

    Raises:
        TableLoadError: a table file is missing or malformed, or the bundle has no tables folder.
    """
    tables = bundle.tables
    if tables is None:
        raise TableLoadError(bundle.root / (bundle.tables_dir or "tables"), "the bundle has no tables")
    return tables
