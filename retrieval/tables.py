"""Load corpus/tables (tables.json + one CSV per table) into a validated `tools.rankings.TableSet`.

A malformed file fails loudly at start-up with a `TableLoadError` naming the file and the CSV row.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from corpus import TABLES_DIR
from tools.rankings import CellValue, ColumnSpec, Table, TableRow, TableSet

METADATA_FILE = "tables.json"
ROW_META_COLUMNS = ("slide_title", "lines", "aliases")


class TableLoadError(ValueError):
    """A table file is missing or malformed; the message names the file and row."""

    def __init__(self, path: Path, message: str, row: int | None = None) -> None:
        where = f"{path.name}" + (f", row {row}" if row is not None else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.row = row


def parse_cell(raw: str, column: ColumnSpec) -> CellValue:
    """Convert one printed cell to its column type ('26,840' -> 26840); empty text stays None.

    Raises:
        ValueError: when a numeric column holds a non-number.
    """
    text = raw.strip()
    if column.type == "text":
        return text
    if not text:
        return None
    cleaned = text.replace(",", "").replace("，", "")
    if column.type == "int":
        return int(cleaned)
    return float(cleaned)


def _load_rows(path: Path, table_meta: dict[str, Any], columns: list[ColumnSpec]) -> list[TableRow]:
    expected = [c.name for c in columns] + list(ROW_META_COLUMNS)
    rows: list[TableRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if header != expected:
            raise TableLoadError(path, f"header {header} does not match expected columns {expected}", row=1)
        for line_no, raw in enumerate(reader, start=2):  # row 1 is the header
            if None in raw or any(value is None for value in raw.values()):
                raise TableLoadError(path, "wrong number of cells", row=line_no)
            cells: dict[str, CellValue] = {}
            for column in columns:
                try:
                    cells[column.name] = parse_cell(raw[column.name], column)
                except ValueError:
                    raise TableLoadError(
                        path,
                        f"column '{column.name}' expects {column.type}, got {raw[column.name]!r}",
                        row=line_no,
                    ) from None
            entity = raw[table_meta["entity_column"]].strip()
            if not entity:
                raise TableLoadError(
                    path, f"empty entity column '{table_meta['entity_column']}'", row=line_no
                )
            if not raw["slide_title"].strip() or not raw["lines"].strip():
                raise TableLoadError(path, "slide_title and lines are required", row=line_no)
            try:
                rows.append(
                    TableRow(
                        table_id=table_meta["id"],
                        index=len(rows),
                        cells=cells,
                        display={c.name: raw[c.name].strip() for c in columns},
                        slide_title=raw["slide_title"].strip(),
                        lines=raw["lines"].strip(),
                        aliases=[a.strip() for a in raw["aliases"].split(";") if a.strip()],
                    )
                )
            except ValidationError as error:
                raise TableLoadError(path, str(error), row=line_no) from None
    if not rows:
        raise TableLoadError(path, "no data rows")
    return rows


def load_tables(tables_dir: Path = TABLES_DIR) -> TableSet:
    """Read tables.json and every CSV it lists into a validated TableSet.

    Raises:
        TableLoadError: naming the file (and CSV row) that is missing or malformed.
    """
    meta_path = tables_dir / METADATA_FILE
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TableLoadError(meta_path, "file not found") from None
    except json.JSONDecodeError as error:
        raise TableLoadError(meta_path, f"invalid JSON: {error}") from None
    tables: dict[str, Table] = {}
    for position, meta in enumerate(metadata.get("tables", []), start=1):
        try:
            columns = [ColumnSpec.model_validate(c) for c in meta["columns"]]
            csv_path = tables_dir / meta["file"]
        except (KeyError, TypeError, ValidationError) as error:
            raise TableLoadError(meta_path, f"table entry {position} is malformed: {error}") from None
        if not csv_path.is_file():
            raise TableLoadError(csv_path, f"listed in {METADATA_FILE} but not found")
        if meta.get("entity_column") not in {c.name for c in columns}:
            raise TableLoadError(meta_path, f"table entry {position}: entity_column not among its columns")
        rows = _load_rows(csv_path, meta, columns)
        fields = {k: v for k, v in meta.items() if k in Table.model_fields and k not in ("columns", "rows")}
        try:
            table = Table(**fields, columns=columns, rows=rows)
        except ValidationError as error:
            raise TableLoadError(meta_path, f"table entry {position} ({meta.get('id')}): {error}") from None
        if table.id in tables:
            raise TableLoadError(meta_path, f"duplicate table id {table.id}")
        tables[table.id] = table
    if not tables:
        raise TableLoadError(meta_path, "lists no tables")
    return TableSet(tables=tables)
