"""Typed operations over one deck table: the N-th row, a row's neighbour, sorting, the change between two
columns (or between consecutive rows of a time series), counting and filtering.

Pure: no I/O. Every result is a `RankingResult` (so renderers, charts and citations keep working) whose
`matches` are exactly the rows the operation used, each carrying its table id, slide title, deck lines and
cells. Rendering lives in `tools/table_ops_text.py`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from tools.rankings import (
    Candidate,
    MatchKind,
    RankingQuery,
    RankingResult,
    RowMatch,
    Table,
    TableError,
    TableRow,
    TableSet,
    closest_candidates,
    lookup_ranking,
    match_entity,
    row_match,
)
from tools.table_columns import (
    ColumnSpec,
    Number,
    cell_number,
    change_columns,
    excerpt_note,
    filter_rows,
    first_numeric,
    is_rank_column,
    is_time_series,
    natural_descending,
    ordered_rows,
    resolve_column,
)

OpName = Literal["lookup", "rank_position", "standing", "neighbor", "sort", "change", "count", "filter"]
Direction = Literal["next", "previous", "fell", "rose"]
_DIRECTIONS: dict[str, set[str]] = {"neighbor": {"next", "previous"}, "change": {"fell", "rose"}}


class TableOperation(BaseModel):
    """One operation on one table; any op first narrows the rows to those matching filter_column/value."""

    table: str = Field(min_length=1, description="Table id or a forgiving name ('GII', 'QS', 'unicorns').")
    op: OpName = Field(
        "lookup",
        description=(
            "lookup: rows by entity (or all); rank_position: the row at a place; standing: the place of the "
            "entity's row when rows are ordered by a column; neighbor: the row right "
            "after/before an entity; sort: rows ordered by a column; change: which rows rose/fell between "
            "two columns (or from the previous row); count: how many rows the deck lists; filter: rows whose "
            "column has a value."
        ),
    )
    entity: str | None = Field(
        None, description="lookup/standing/neighbor/change: the row's name, any language."
    )
    position: int | None = Field(None, ge=1, description="rank_position: 1 = first place.")
    from_end: bool = Field(False, description="rank_position: count from the bottom (position 1 = last).")
    listed: bool = Field(
        False, description="rank_position: the N-th row as listed, not the row whose printed rank is N."
    )
    direction: Direction | None = Field(
        None, description="neighbor: next | previous (default next); change: fell | rose (default both)."
    )
    column: str | None = Field(
        None,
        description=(
            "lookup: the column asked about; rank_position/standing/neighbor/sort: the column to order by (default: "
            "the table's rank, else the deck's list order); change: compare each row with the previous row "
            "on this column (time series)."
        ),
    )
    descending: bool | None = Field(
        None,
        description="sort/rank_position/neighbor order; default best first (ranks up, figures down).",
    )
    column_from: str | None = Field(
        None, description="change: the earlier column (default: the table's periods)."
    )
    column_to: str | None = Field(None, description="change: the later column.")
    filter_column: str | None = Field(
        None, description="Restrict rows to this column's value (default: search columns)."
    )
    filter_value: str | None = Field(
        None, description="The value, e.g. '日本' or 'Japan'; text cells may contain it."
    )
    top_n: int | None = Field(
        None,
        ge=1,
        le=1000,
        description="How many rows to return (ties at the cut are kept); for `count`, count only the rows "
        "ranked this or better.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> TableOperation:
        for name in ("entity", "column", "column_from", "column_to", "filter_column", "filter_value"):
            value = getattr(self, name)
            if isinstance(value, str) and not value.strip():
                setattr(self, name, None)
        if self.op == "rank_position" and self.position is None:
            raise ValueError("rank_position needs position / rank_position には position が必要です")
        if self.op in ("neighbor", "standing") and not self.entity:
            raise ValueError(f"{self.op} needs entity / {self.op} には entity が必要です")
        if self.op == "filter" and not self.filter_value:
            raise ValueError("filter needs filter_value / filter には filter_value が必要です")
        if self.direction and self.direction not in _DIRECTIONS.get(self.op, set()):
            raise ValueError(
                f"direction '{self.direction}' does not fit op '{self.op}' (neighbor: next/previous, "
                f"change: fell/rose) / direction と op が合いません"
            )
        if (self.column_from is None) != (self.column_to is None):
            raise ValueError(
                "give both column_from and column_to / column_from と column_to は両方指定してください"
            )
        return self


class ValueChange(BaseModel):
    """One row's change between two columns, or from the previous row of a time series.

    `gain` is positive for an improvement in the reader's sense. For rank columns a *fall* is a rank number
    that grew (rank 1 -> 26 fell 25 places, gain -25); for value columns a fall is a smaller value.
    """

    row_index: int
    label_from: str
    label_to: str
    before: Number
    after: Number
    before_text: str
    after_text: str
    delta: Number = Field(description="after - before, as numbers.")
    gain: Number = Field(description="Improvement: before - after for ranks, after - before for values.")
    movement: Literal["rose", "fell", "same"]
    is_rank: bool
    unit: str | None = None


class TableOperationResult(RankingResult):
    """The rows an operation used (in `matches`), plus what it computed."""

    operation: TableOperation
    entity_column: str
    rank_column: str | None = None
    anchor: RowMatch | None = Field(None, description="neighbor: the row named by entity.")
    changes: list[ValueChange] = Field(default_factory=list, description="change: one per row in matches.")
    count: int | None = Field(None, description="count: rows the deck lists (after any filter).")
    places: list[int] = Field(default_factory=list, description="Place of each row in the order used.")
    order_column: str | None = Field(None, description="The column rows were ordered by (None: table order).")
    excerpt_note: str | None = Field(None, description="The deck's own note that the list is an excerpt.")
    message_ja: str | None = None
    message_en: str | None = None


# --- the operations -------------------------------------------------------------------------------


def run_table_operation(ts: TableSet, operation: TableOperation) -> TableOperationResult:
    """Run one operation; the result's matches are exactly the rows it used, in answer order.

    An entity or filter value that matches nothing yields no rows (and near candidates); it is not an error.

    Raises:
        UnknownTableError: when the table name fits no table.
        TableError: when a column name fits no column, or a change has no two comparable columns.
    """
    table = ts.get(operation.table)
    op = operation.model_copy(update={"table": table.id})
    rows = list(table.rows)
    if op.filter_value:
        spec, rows = filter_rows(table, op.filter_column, op.filter_value)
        op = op.model_copy(update={"filter_column": spec.name if spec else op.filter_column})
    if op.column:
        op = op.model_copy(update={"column": resolve_column(table, op.column).name})
    return _HANDLERS[op.op](table, op, rows)


def _result(
    table: Table, op: TableOperation, matches: list[RowMatch], **extra: object
) -> TableOperationResult:
    if op.filter_value and not matches and "message_en" not in extra:
        extra["message_ja"] = f"「{op.filter_value}」に当てはまる行はありません。"
        extra["message_en"] = f"No row has '{op.filter_value}'."
        extra.setdefault("candidates", _value_candidates(table, op))
    return TableOperationResult(
        **table.result_header(),
        query=RankingQuery(table=table.id, entity=op.entity, top=op.top_n),
        matches=matches,
        operation=op,
        entity_column=table.entity_column,
        rank_column=table.rank_column,
        **extra,  # type: ignore[arg-type]
    )


def _value_candidates(table: Table, op: TableOperation) -> list[Candidate]:
    column = op.filter_column or (table.search_columns[0] if table.search_columns else table.entity_column)
    values = dict.fromkeys(row.display.get(column, "") for row in table.rows)
    return [Candidate(name=value, score=0.0, via=column) for value in values if value and value != "-"][:12]


def _column(table: Table, name: str | None) -> ColumnSpec | None:
    return resolve_column(table, name) if name else None


def _cut(placed: list[tuple[int, TableRow]], top_n: int | None) -> list[tuple[int, TableRow]]:
    """The first top_n places, keeping rows tied with the last one kept."""
    if top_n is None or len(placed) <= top_n:
        return placed
    last = placed[top_n - 1][0]
    return [pair for pair in placed if pair[0] <= last]


def _matches(table: Table, placed: list[tuple[int, TableRow]], how: MatchKind) -> list[RowMatch]:
    return [row_match(table, row, how) for _, row in placed]


def _lookup(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    allowed = {row.index for row in rows}
    if op.entity:
        matches = [m for m in match_entity(table, op.entity) if m.row.index in allowed][: op.top_n]
        candidates = [] if matches else closest_candidates(table, op.entity)
        return _result(table, op, matches, candidates=candidates, order_column=op.column)
    placed = _cut(ordered_rows(table, rows, None, None), op.top_n)
    how: MatchKind = "filter" if op.filter_value else "all"
    return _result(table, op, _matches(table, placed, how), places=[p for p, _ in placed])


def _rank_position(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    """The row(s) at place N. Without a filter, order column or `listed`, N is the printed rank; when no row
    prints that rank (the QS extract starts at 8), the N-th listed row is returned with a note."""
    column = _column(table, op.column)
    natural = natural_descending(table, column or (table.column(table.rank_by) if table.rank_by else None))
    descending = op.descending if op.descending is not None else natural
    placed = ordered_rows(table, rows, column, (not descending) if op.from_end else descending)
    n = op.position or 1
    printed = bool(table.rank_column) and not (op.listed or op.from_end or column or op.filter_value)
    chosen = [pair for pair in placed if table.rank_of(pair[1]) == n] if printed else []
    extra: dict[str, object] = {}
    if not chosen:
        chosen = [pair for pair in placed if pair[0] == n] or placed[n - 1 : n]
        if printed and chosen:
            extra = {
                "message_ja": f"{n}位の行はありません。上から{n}番目に掲載されているのは次のとおりです。",
                "message_en": f"No row is ranked {n}; the row listed {_ordinal(n)} is shown.",
            }
        elif not chosen:
            extra = {
                "message_ja": f"{n}番目の行はありません（{len(placed)}行）。",
                "message_en": f"There is no {_ordinal(n)} row ({len(placed)} rows).",
            }
    return _result(
        table,
        op,
        _matches(table, chosen, "position"),
        places=[p for p, _ in chosen],
        order_column=column.name if column else table.rank_by,
        **extra,
    )


def _standing(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    """Where the named row stands when the rows are ordered by a column (best first): a place the deck does
    not print but its figures decide. `count` is how many rows were ordered."""
    column = _column(table, op.column)
    placed = ordered_rows(table, rows, column, op.descending)
    place_of = {row.index: place for place, row in placed}
    anchors = [m for m in match_entity(table, op.entity or "") if m.row.index in place_of][:1]
    if not anchors:
        return _result(table, op, [], candidates=closest_candidates(table, op.entity or ""))
    return _result(
        table,
        op,
        anchors,
        places=[place_of[m.row.index] for m in anchors],
        count=len(placed),
        order_column=column.name if column else table.rank_by,
    )


def _neighbor(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    column = _column(table, op.column)
    placed = ordered_rows(table, rows, column, op.descending)
    order = [row.index for _, row in placed]
    anchors = [m for m in match_entity(table, op.entity or "") if m.row.index in order]
    if not anchors:
        return _result(table, op, [], candidates=closest_candidates(table, op.entity or ""))
    anchor = anchors[0]
    at = order.index(anchor.row.index)
    n = op.top_n or 1
    picked = placed[max(0, at - n) : at] if op.direction == "previous" else placed[at + 1 : at + 1 + n]
    extra: dict[str, object] = {}
    if not picked:
        first = op.direction == "previous"
        extra = {
            "message_ja": f"{table.name_of(anchor.row)}は{'先頭' if first else '最後'}の行です。",
            "message_en": f"{table.name_of(anchor.row)} is the {'first' if first else 'last'} row.",
        }
    anchor_match = row_match(table, anchor.row, anchor.how, anchor.score, anchor.matched_on)
    return _result(
        table,
        op,
        _matches(table, picked, "neighbor"),
        anchor=anchor_match,
        places=[p for p, _ in picked] + [placed[at][0]],  # last entry: the anchor's place
        order_column=column.name if column else table.rank_by,
        **extra,
    )


def _sort(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    column = _column(table, op.column)
    placed = _cut(ordered_rows(table, rows, column, op.descending), op.top_n)
    return _result(
        table,
        op,
        _matches(table, placed, "sort"),
        places=[p for p, _ in placed],
        order_column=column.name if column else table.rank_by,
    )


def _count(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    if op.top_n is not None:
        rows = _within_top(table, rows, op.top_n, op.column)
    placed = ordered_rows(table, rows, None, None)
    return _result(
        table,
        op,
        _matches(table, placed, "count"),
        count=len(rows),
        excerpt_note=excerpt_note(table),
    )


def _within_top(table: Table, rows: list[TableRow], top_n: int, column: str | None) -> list[TableRow]:
    """Rows ranked top_n or better: by the printed rank (the column asked, else the table's rank column;
    Japan's rank 5 is in the top 5 however many rows rank above it), else by place in the table's order."""
    name = column or table.rank_column
    rank = table.column(name) if name else None
    if rank is not None:
        return [
            row
            for row in rows
            if isinstance(row.cells.get(rank.name), int | float) and row.cells[rank.name] <= top_n
        ]
    return [row for place, row in ordered_rows(table, rows, None, None) if place <= top_n]


def _filter(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    placed = _cut(ordered_rows(table, rows, None, None), op.top_n)
    return _result(
        table, op, _matches(table, placed, "filter"), places=[p for p, _ in placed], count=len(rows)
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- change --------------------------------------------------------------------------------------


def _value_change(
    table: Table,
    row: TableRow,
    before_row: TableRow,
    columns: tuple[ColumnSpec, ColumnSpec],
    labels: tuple[str, str],
) -> ValueChange | None:
    start, end = columns
    before, after = cell_number(before_row, start.name), cell_number(row, end.name)
    if before is None or after is None:
        return None
    is_rank = is_rank_column(table, end.name)
    delta = after - before
    gain = -delta if is_rank else delta
    return ValueChange(
        row_index=row.index,
        label_from=labels[0],
        label_to=labels[1],
        before=before,
        after=after,
        before_text=before_row.display.get(start.name, ""),
        after_text=row.display.get(end.name, ""),
        delta=delta,
        gain=gain,
        movement="rose" if gain > 0 else "fell" if gain < 0 else "same",
        is_rank=is_rank,
        unit=end.unit,
    )


def row_changes(table: Table, op: TableOperation, rows: list[TableRow]) -> list[tuple[TableRow, ValueChange]]:
    """Each row's change: between two period columns, or (time series, or `column` given) from the row before.

    Raises:
        TableError: when the table has neither two comparable columns nor rows that are years.
    """
    pair = (
        None if (op.column and is_time_series(table)) else change_columns(table, op.column_from, op.column_to)
    )
    changes: list[tuple[TableRow, ValueChange]] = []
    if pair is not None:
        labels = (
            table.change_labels if table.change and pair == tuple(map(table.column, table.change)) else None
        )
        labels = labels or (pair[0].label_ja, pair[1].label_ja)
        for row in rows:
            change = _value_change(table, row, row, pair, (labels[0], labels[1]))
            if change is not None:
                changes.append((row, change))
        return changes
    if not is_time_series(table):
        raise TableError(
            f"表 {table.id} には比較できる2つの列がありません。column_from と column_to を指定してください。",
            f"Table {table.id} has no two comparable columns; give column_from and column_to.",
        )
    column = (
        resolve_column(table, op.column) if op.column else table.column(table.rank_by or first_numeric(table))
    )
    allowed = {row.index for row in rows}
    series = sorted(table.rows, key=lambda r: r.index)
    for previous, row in zip(series, series[1:], strict=False):
        if row.index in allowed:
            labels = (table.name_of(previous), table.name_of(row))
            change = _value_change(table, row, previous, (column, column), labels)
            if change is not None:
                changes.append((row, change))
    return changes


def _change(table: Table, op: TableOperation, rows: list[TableRow]) -> TableOperationResult:
    """Rows that rose or fell (or both), biggest movement first; top_n keeps ties at the cut."""
    if op.entity:
        named = {m.row.index for m in match_entity(table, op.entity)}
        rows = [row for row in rows if row.index in named]
    changes = row_changes(table, op, rows)
    if op.direction == "fell":
        changes = sorted((c for c in changes if c[1].gain < 0), key=lambda c: (c[1].gain, c[0].index))
    elif op.direction == "rose":
        changes = sorted((c for c in changes if c[1].gain > 0), key=lambda c: (-c[1].gain, c[0].index))
    elif not op.entity:
        changes = sorted((c for c in changes if c[1].gain != 0), key=lambda c: (-abs(c[1].gain), c[0].index))
    if op.top_n is not None and len(changes) > op.top_n:
        last = abs(changes[op.top_n - 1][1].gain)
        changes = [c for c in changes[: op.top_n]] + [
            c for c in changes[op.top_n :] if abs(c[1].gain) == last
        ]
    extra: dict[str, object] = {}
    if not changes:
        word = {"fell": ("下がった", "fell"), "rose": ("上がった", "rose")}.get(
            op.direction or "", ("変化した", "changed")
        )
        extra = {"message_ja": f"{word[0]}行はありません。", "message_en": f"No row {word[1]}."}
    if op.entity and not rows:
        extra["candidates"] = closest_candidates(table, op.entity)
    return _result(
        table,
        op,
        [row_match(table, row, "change") for row, _ in changes],
        changes=[change for _, change in changes],
        **extra,
    )


_HANDLERS = {
    "lookup": _lookup,
    "rank_position": _rank_position,
    "standing": _standing,
    "neighbor": _neighbor,
    "sort": _sort,
    "change": _change,
    "count": _count,
    "filter": _filter,
}


# --- the lookup_ranking tool's arguments ---------------------------------------------------------

RANKING_TOOL_DESCRIPTION = (
    "Look up or compute over one of the deck's tables (rankings, funding lists, budgets); exact figures "
    "as printed. Without `op`: rows by entity, rank, rank_range or top N. With `op`: rank_position (the "
    "row at a place, optionally by a column), standing (where an entity's row places when ordered by a "
    "column), neighbor (right after/before an entity), sort (by a column), "
    "change (which rows rose/fell most between two columns or years), count (how many rows the deck "
    "lists), filter (rows whose column has a value, e.g. country=Japan); filter_column/filter_value "
    "narrow any op."
)


class RankingToolInput(TableOperation):
    """Arguments of the `lookup_ranking` tool: the original lookup (no `op`) or any table operation."""

    op: OpName | None = Field(None, description="Omit for a plain lookup; else one of the operations.")
    rank: int | None = Field(None, ge=1, description="Plain lookup: the row with this printed rank.")
    rank_range: tuple[int, int] | None = Field(None, description="Plain lookup: ranks from-to.")
    top: int | None = Field(None, ge=1, le=1000, description="Plain lookup: the top N rows.")


def run_ranking_tool(ts: TableSet, args: RankingToolInput) -> RankingResult:
    """A plain `lookup_ranking` when no op is given (backward compatible), else the operation."""
    if args.op is None:
        return lookup_ranking(
            ts,
            RankingQuery(
                table=args.table, entity=args.entity, rank=args.rank, rank_range=args.rank_range, top=args.top
            ),
        )
    fields = args.model_dump(exclude={"rank", "rank_range", "top"})
    if fields["top_n"] is None and args.top is not None:
        fields["top_n"] = args.top
    return run_table_operation(ts, TableOperation.model_validate(fields))
