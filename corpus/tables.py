"""Read a bundle's tables (`tables/tables.yaml` + one CSV per table) into a validated `TableSet`.

Nothing here knows a line number: each table's span of the source text is found by its content anchors, and
each row's lines inside that span by where its cells are printed (`corpus.anchors`). A malformed file, or a
cell the source does not print where the table is, fails loudly with a `TableLoadError` naming file and row.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from corpus.anchors import SpanText, find_line, row_window
from corpus.deck import Slide
from tools.rankings import CellValue, ColumnSpec, Table, TableRow, TableSet

METADATA_FILE = "tables.yaml"
CELLS_EN_FILE = "cells_en.csv"  # table,ja,en: the English of text cells no unit rendering covers
ROW_META_COLUMNS = ("aliases",)
_NOT_TABLE_FIELDS = ("columns", "rows", "anchors", "row_count")


class TableLoadError(ValueError):
    """A table file is missing or malformed; the message names the file and row."""

    def __init__(self, path: Path, message: str, row: int | None = None) -> None:
        where = f"{path.name}" + (f", row {row}" if row is not None else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.row = row


class Anchors(BaseModel):
    """Where a table is printed, by content: the text of its first and of its last line."""

    first: str
    last: str


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


def table_span(lines: list[str], slides: list[Slide], meta: dict[str, Any], where: Path) -> SpanText:
    """The table's lines: from the first line at or after its slide's start that holds `anchors.first`,
    to the first line from there that holds `anchors.last`."""
    try:
        anchors = Anchors.model_validate(meta.get("anchors"))
    except ValidationError as error:
        raise TableLoadError(
            where, f"table {meta.get('id')}: anchors need 'first' and 'last': {error}"
        ) from None
    slide = next((s for s in slides if s.title == meta.get("slide_title")), None)
    if slide is None:
        raise TableLoadError(where, f"table {meta.get('id')}: no slide titled {meta.get('slide_title')!r}")
    first = find_line(lines, anchors.first, slide.line_start - 1)
    last = find_line(lines, anchors.last, first) if first is not None else None
    if first is None or last is None:
        missing = anchors.first if first is None else anchors.last
        raise TableLoadError(where, f"table {meta.get('id')}: anchor {missing!r} not found in the source")
    return SpanText(lines[first : last + 1], first + 1)


def _row_lines(display: dict[str, str], name: str, span: SpanText) -> str | None:
    """'12' or '12-15': the source lines that print the row's cells (None when they are not in the span)."""
    window = row_window([value for value in display.values() if value], span, name)
    if window is None:
        return None
    return str(window[0]) if window[0] == window[1] else f"{window[0]}-{window[1]}"


def _cells(raw: dict[str, str], columns: list[ColumnSpec], path: Path, line_no: int) -> dict[str, CellValue]:
    cells: dict[str, CellValue] = {}
    for column in columns:
        try:
            cells[column.name] = parse_cell(raw[column.name], column)
        except ValueError:
            message = f"column '{column.name}' expects {column.type}, got {raw[column.name]!r}"
            raise TableLoadError(path, message, row=line_no) from None
    return cells


def _load_rows(path: Path, meta: dict[str, Any], columns: list[ColumnSpec], span: SpanText) -> list[TableRow]:
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
            cells = _cells(raw, columns, path, line_no)
            name = raw[meta["entity_column"]].strip()
            if not name:
                raise TableLoadError(path, f"empty entity column '{meta['entity_column']}'", row=line_no)
            display = {c.name: raw[c.name].strip() for c in columns}
            lines = _row_lines(display, name, span)
            if lines is None:
                where = f"lines {span.first}-{span.first + span.count - 1}"
                raise TableLoadError(path, f"cells not printed in the table's source {where}", row=line_no)
            try:
                rows.append(
                    TableRow(
                        table_id=meta["id"],
                        index=len(rows),
                        cells=cells,
                        display=display,
                        slide_title=meta["slide_title"],
                        lines=lines,
                        aliases=[a.strip() for a in raw["aliases"].split(";") if a.strip()],
                    )
                )
            except ValidationError as error:
                raise TableLoadError(path, str(error), row=line_no) from None
    if not rows:
        raise TableLoadError(path, "no data rows")
    return rows


def _read_metadata(path: Path) -> list[dict[str, Any]]:
    try:
        metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TableLoadError(path, "file not found") from None
    except yaml.YAMLError as error:
        raise TableLoadError(path, f"invalid YAML: {error}") from None
    tables = metadata.get("tables") if isinstance(metadata, dict) else None
    if not isinstance(tables, list) or not tables:
        raise TableLoadError(path, "lists no tables")
    return tables


def _read_table(tables_dir: Path, meta: Any, position: int, lines: list[str], slides: list[Slide]) -> Table:
    meta_path = tables_dir / METADATA_FILE
    try:
        columns = [ColumnSpec.model_validate(c) for c in meta["columns"]]
        csv_path = tables_dir / meta["file"]
    except (KeyError, TypeError, ValidationError) as error:
        raise TableLoadError(meta_path, f"table entry {position} is malformed: {error}") from None
    if not csv_path.is_file():
        raise TableLoadError(csv_path, f"listed in {METADATA_FILE} but not found")
    if meta.get("entity_column") not in {c.name for c in columns}:
        raise TableLoadError(meta_path, f"table entry {position}: entity_column not among its columns")
    rows = _load_rows(csv_path, meta, columns, table_span(lines, slides, meta, meta_path))
    if meta.get("row_count") not in (None, len(rows)):
        raise TableLoadError(csv_path, f"{len(rows)} rows, {METADATA_FILE} says {meta['row_count']}")
    fields = {k: v for k, v in meta.items() if k in Table.model_fields and k not in _NOT_TABLE_FIELDS}
    try:
        return Table(**fields, columns=columns, rows=rows)
    except ValidationError as error:
        raise TableLoadError(meta_path, f"table entry {position} ({meta.get('id')}): {error}") from None


def read_tables(tables_dir: Path, *, text: str, slides: list[Slide]) -> TableSet:
    """Read tables.yaml and every CSV it lists into a validated TableSet, rows located in `text`.

    Args:
        tables_dir: The bundle's `tables/` folder.
        text: The document's source text (the rows' lines are found in it).
        slides: Its parsed slides (a table's anchors are searched from its slide's first line).

    Raises:
        TableLoadError: naming the file (and CSV row) that is missing, malformed or not in the source.
    """
    lines = text.split("\n")
    tables: dict[str, Table] = {}
    for position, meta in enumerate(_read_metadata(tables_dir / METADATA_FILE), start=1):
        table = _read_table(tables_dir, meta, position, lines, slides)
        if table.id in tables:
            raise TableLoadError(tables_dir / METADATA_FILE, f"duplicate table id {table.id}")
        tables[table.id] = table
    for table_id, english in _read_cells_en(tables_dir / CELLS_EN_FILE, tables).items():
        tables[table_id] = tables[table_id].model_copy(update={"cells_en": english})
    return TableSet(tables=tables)


def _read_cells_en(path: Path, tables: dict[str, Table]) -> dict[str, dict[str, str]]:
    """table id -> {Japanese cell: English}; each cell must be one of that table's (a stale rendering is an
    error, not a silent miss)."""
    if not path.is_file():
        return {}
    found: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line_no, record in enumerate(csv.DictReader(handle), start=2):
            table = tables.get(record.get("table") or "")
            japanese, english = record.get("ja") or "", (record.get("en") or "").strip()
            if table is None or not english:
                raise TableLoadError(path, "needs a known table id and an English rendering", line_no)
            if not any(japanese in row.display.values() for row in table.rows):
                raise TableLoadError(path, f"「{japanese}」 is no cell of {table.id}", line_no)
            found.setdefault(table.id, {})[japanese] = english
    return found
