"""Column helpers for table operations: resolving a column by id or label, reading cells as numbers,
ordering rows (ties share a place), filtering by a column value, and the columns a change compares. Pure."""

from __future__ import annotations

import re
import unicodedata

from tools.rankings import COUNTRY_ALIASES, ColumnSpec, Table, TableError, TableRow, normalize

Number = int | float


# --- columns and values ------------------------------------------------------------------------


def resolve_column(table: Table, name: str) -> ColumnSpec:
    """The column called `name`: its id, Japanese or English label, or a label containing it (or inside it).

    Raises:
        TableError: when no column fits, listing the table's columns.
    """
    wanted = normalize(name)
    for column in table.columns:
        if wanted in (normalize(column.name), normalize(column.label_ja), normalize(column.label_en)):
            return column
    for column in table.columns:
        labels = [normalize(column.label_ja), normalize(column.label_en)]
        if wanted and any(wanted in label or (len(label) >= 2 and label in wanted) for label in labels):
            return column
    listing = ", ".join(f"{c.name} ({c.label_ja} / {c.label_en})" for c in table.columns)
    raise TableError(
        f"表 {table.id} に列「{name}」はありません。列: {listing}",
        f"Table {table.id} has no column '{name}'. Columns: {listing}",
    )


def is_rank_column(table: Table, column: str) -> bool:
    """Whether smaller numbers are better in this column: the rank column, or a period of a rank change."""
    if column == table.rank_column:
        return True
    return bool(table.change and table.rank_column in table.change and column in table.change)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def cell_number(row: TableRow, column: str) -> Number | None:
    """The cell as a number: typed cells as they are; a text cell when it holds exactly one figure after any
    'label：' prefix ('2021年：16,100社' -> 16100, '36%' -> 36)."""
    value = row.cells.get(column)
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).replace(",", "")
    text = text.split(":", 1)[1] if ":" in text else text
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1:
        return None
    number = float(numbers[0])
    return int(number) if number.is_integer() else number


def is_numeric(table: Table, column: ColumnSpec) -> bool:
    if column.type in ("int", "float"):
        return True
    values = [cell_number(row, column.name) for row in table.rows]
    return sum(v is not None for v in values) >= max(2, len(values) - 1)


# --- ordering ------------------------------------------------------------------------------------


def _order_key(table: Table, row: TableRow, column: ColumnSpec | None, descending: bool) -> tuple:
    if column is None:
        rank = table.rank_of(row)
        value = rank if rank is not None else row.index + 1
        return (0, -value if descending else value)
    number = cell_number(row, column.name)
    if number is not None:
        return (0, -number if descending else number)
    text = normalize(row.display.get(column.name, ""))
    return (1, text) if text and text != "-" else (2, "")


def natural_descending(table: Table, column: ColumnSpec | None) -> bool:
    """Best first: ranks and list order ascending, other figures descending, text A-Z."""
    if column is None or is_rank_column(table, column.name) or not is_numeric(table, column):
        return False
    # a column of years (「（1999～）」) is a date: its first is the earliest
    years = [cell_number(row, column.name) for row in table.rows]
    return not all(y is not None and 1900 <= y <= 2100 and y == int(y) for y in years)


def ordered_rows(
    table: Table, rows: list[TableRow], column: ColumnSpec | None, descending: bool | None
) -> list[tuple[int, TableRow]]:
    """(place, row) best first; rows with equal keys share a place, as the deck prints ties.

    Without a column: the printed rank, else the table's ordering figure (`rank_by`), else list order.
    """
    if column is None and table.rank_by:
        column = table.column(table.rank_by)
    desc = natural_descending(table, column) if descending is None else descending
    keyed = sorted(((_order_key(table, r, column, desc), r.index, r) for r in rows), key=lambda k: k[:2])
    placed: list[tuple[int, TableRow]] = []
    for position, (key, _, row) in enumerate(keyed, start=1):
        tied = position > 1 and keyed[position - 2][0] == key
        placed.append((placed[-1][0] if tied else position, row))
    return placed


# --- filtering -----------------------------------------------------------------------------------


def _value_forms(value: str) -> list[str]:
    forms = [value, *COUNTRY_ALIASES.get(value, [])]
    return [normalize(form) for form in forms if form]


def _cell_matches(cell: str, wanted: str) -> bool:
    if not cell or cell == "-":
        return False
    if wanted in _value_forms(cell):
        return True
    return len(wanted) >= 2 and not wanted.isascii() and wanted in normalize(cell)


def filter_rows(table: Table, column: str | None, value: str) -> tuple[ColumnSpec | None, list[TableRow]]:
    """Rows whose column holds `value` (equal, a country alias, or inside Japanese text), and that column.

    Without a column, the table's search columns are tried first, then its other text columns; the first
    column with any match is used.
    """
    wanted = normalize(value)
    if column is not None:
        candidates = [resolve_column(table, column)]
    else:
        search = [table.column(name) for name in table.search_columns]
        rest = [c for c in table.columns if c.type == "text" and c not in search]
        candidates = search + rest
    for spec in candidates:
        rows = [row for row in table.rows if _cell_matches(row.display.get(spec.name, ""), wanted)]
        if rows:
            return spec, rows
    return (candidates[0] if column is not None else None), []


# Column labels that name a period ("2021年", "Rank 2023", "最新"): two such columns are comparable periods.
_PERIOD_LABEL = re.compile(r"\d{4}|最新|現在|前年|latest|current|prior|previous", re.I)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def is_time_series(table: Table) -> bool:
    """Whether each row is a year (the entity column holds years), so consecutive rows can be compared."""
    values = [unicodedata.normalize("NFKC", table.name_of(row)).strip() for row in table.rows]
    return len(values) >= 3 and all(_YEAR.match(value) for value in values)


def change_columns(
    table: Table, column_from: str | None = None, column_to: str | None = None
) -> tuple[ColumnSpec, ColumnSpec] | None:
    """The (earlier, later) columns a change compares: as asked, else the table's periods, else two
    numeric columns whose labels name periods (in column order)."""
    if column_from and column_to:
        return resolve_column(table, column_from), resolve_column(table, column_to)
    if table.change:
        return table.column(table.change[0]), table.column(table.change[1])
    periods = [
        c
        for c in table.columns
        if c.name != table.entity_column
        and is_numeric(table, c)
        and (_PERIOD_LABEL.search(c.label_ja) or _PERIOD_LABEL.search(c.label_en))
    ]
    return (periods[0], periods[1]) if len(periods) >= 2 else None


def first_numeric(table: Table) -> str:
    return next(c.name for c in table.columns if c.name != table.entity_column and is_numeric(table, c))


# The deck marks a partial list with these words in a title or note (抜粋 = excerpt, 掲載 = what is listed).
_EXCERPT = re.compile(r"抜粋|掲載|excerpt|only the", re.I)


def excerpt_note(table: Table) -> str | None:
    """The table's note (or title) saying the deck lists only part of the ranking, if any."""
    for note in table.notes:
        if _EXCERPT.search(note):
            return note
    return table.title_ja if _EXCERPT.search(table.title_ja) else None
