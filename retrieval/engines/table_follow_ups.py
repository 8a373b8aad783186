"""Carry a table operation across a thread. A follow-up that changes one slot — a year (「2018年は？」), a
relative year ("and the year before?"), a place (「3位は？」), a column (「韓国は？」 on a country-by-column
table), a filter value, or a row ("what about Osaka?") — re-runs the previous table question's operation with
that slot changed. The previous question is re-parsed; the slot is found from the table's own years, columns,
values and rows, never from phrases."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.engines.table_questions import (
    asked_filter,
    asked_position,
    named_columns,
    named_rows,
    siblings,
    table_operations_from_question,
    table_years,
    year_conflict,
)
from retrieval.intent import analyze, years_in
from tools.rankings import COUNTRY_ALIASES, Table, TableSet, normalize, table_keyword_scores
from tools.table_columns import filter_rows, is_time_series
from tools.table_ops import TableOperation

# A follow-up is short; a long question is a new question even if it names a row of the last table.
MAX_FOLLOW_UP_CHARS = 60
# Keyword score a question needs to name a table by itself (a bare year scores 0.5 and does not).
MIN_TABLE_SCORE = 1.0
# Relative years (ja/en): general ways to say "one year earlier/later".
_YEAR_BEFORE = re.compile(
    r"前年|昨年|前の年|1年前|一年前|year before|previous year|prior year|a year earlier", re.I
)
_YEAR_AFTER = re.compile(r"翌年|次の年|1年後|一年後|year after|next year|following year|a year later", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class TableTurn:
    """A table operation and the question that named its table (search context for the follow-up)."""

    operation: TableOperation
    question: str


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def named_table(question: str, ts: TableSet) -> Table | None:
    """The table a question names by keyword or title (not just by a row), the best whose years fit."""
    scored = [(tid, score) for tid, score in table_keyword_scores(ts, question) if score >= MIN_TABLE_SCORE]
    fitting = [ts.get(tid) for tid, _ in scored if not year_conflict(question, ts.get(tid), ts)]
    return fitting[0] if fitting else None


def year_mismatch(question: str, ts: TableSet) -> Table | None:
    """The table a question names when its years fit neither that table nor a same-columns table of another
    year (2025 asked of the 2024/2018 funding rankings): the deck has no such figures."""
    scored = [(tid, score) for tid, score in table_keyword_scores(ts, question) if score >= MIN_TABLE_SCORE]
    if not scored:
        return None
    table = ts.get(scored[0][0])
    if not table_years(table):
        return None  # a table of no year (tax rules by class) is not used, but the slide's text may date it
    family = [table, *siblings(ts, table)]
    return table if all(year_conflict(question, t, ts) for t in family) else None


def _table_in_answer(answer: str, ts: TableSet) -> Table | None:
    """The table whose title the bot's previous answer shows."""
    folded = normalize(answer)
    for table in ts.tables.values():
        if any(len(normalize(t)) >= 6 and normalize(t) in folded for t in (table.title_ja, table.title_en)):
            return table
    # a one-row answer prints no title: 「<row> — <column>: <value>」 names the table by its row and label
    for table in ts.tables.values():
        labels = [normalize(f"{c.label_ja}:") for c in table.columns] + [
            normalize(f"{c.label_en}:") for c in table.columns
        ]
        rows = [normalize(table.name_of(row)) for row in table.rows]
        if any(len(r) >= 6 and f"{r}-" in folded for r in rows) and any(label in folded for label in labels):
            return table
    return None


def previous_table_turn(history: Sequence[str], ts: TableSet) -> TableTurn | None:
    """The table operation in force after the thread's turns (questions at even positions, answers at odd)."""
    current: TableTurn | None = None
    for position in range(0, len(history), 2):
        question = history[position]
        answer = history[position + 1] if position + 1 < len(history) else ""
        table = named_table(question, ts)
        if table is None and current is not None:
            changed = apply_follow_up(question, current.operation, ts)
            if changed is not None:
                current = TableTurn(changed, current.question)
                continue
        table = table or _table_in_answer(answer, ts)
        operations = table_operations_from_question(question, table, ts) if table else []
        current = TableTurn(operations[0], question) if operations else None
    return current


_MEMO: dict[tuple[int, str, tuple[str, ...]], tuple[TableSet, TableTurn | None]] = {}
_MEMO_SIZE = 64


def table_follow_up(question: str, history: Sequence[str], ts: TableSet) -> TableTurn | None:
    """The previous table operation with the slot this follow-up changes; None when it is not one.

    Memoised per (tables, question, thread): the planner asks several times while answering one turn.
    """
    if len(history) < 2:
        return None
    key = (id(ts), question, tuple(history))
    cached = _MEMO.get(key)
    if cached is not None and cached[0] is ts:
        return cached[1]
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    turn = _table_follow_up(question, history, ts)
    _MEMO[key] = (ts, turn)
    return turn


def _table_follow_up(question: str, history: Sequence[str], ts: TableSet) -> TableTurn | None:
    turn = previous_table_turn(history, ts)
    if turn is None:
        return None
    changed = apply_follow_up(question, turn.operation, ts)
    return TableTurn(changed, turn.question) if changed is not None else None


def apply_follow_up(question: str, operation: TableOperation, ts: TableSet) -> TableOperation | None:
    """`operation` with the one slot the follow-up names changed, or None when it is not a bare follow-up.

    A value, column or row of this table wins over another table's keyword (韓国 is a column here and a
    keyword of the Korea table); a bare place or year counts only when no other table is named.
    """
    text = _nfkc(question).strip()
    table = ts.get(operation.table)
    other = _other_table(text, table, ts)
    if len(text) > MAX_FOLLOW_UP_CHARS or (other is not None and _names_slot_of(text, other, ts)):
        return None
    if other is None:
        # a follow-up that is a whole neighbour question on this table (「じゃあ名古屋のひとつ上は？」) runs it
        own = table_operations_from_question(text, table, ts)
        if own and own[0].op == "neighbor":
            return own[0]
    for slot in (_value_slot, _column_slot, _row_slot):
        changed = slot(text, operation, table, ts)
        if changed is not None:
            return changed
    if other is not None:
        return None
    for slot in (_position_slot, _year_slot):
        changed = slot(text, operation, table, ts)
        if changed is not None:
            return changed
    return None


def _other_table(text: str, table: Table, ts: TableSet) -> Table | None:
    """Another table (not this one or its other years) that the text names by keyword, if any."""
    family = {table.id, *(t.id for t in siblings(ts, table))}
    scored = [tid for tid, score in table_keyword_scores(ts, text) if score >= MIN_TABLE_SCORE]
    return ts.get(scored[0]) if scored and scored[0] not in family else None


def _names_slot_of(text: str, table: Table, ts: TableSet) -> bool:
    """Whether the text names a row, value or column of `table` (then it is a question about that table)."""
    return bool(named_rows(text, table, ts) or asked_filter(text, table) or named_columns(text, table))


def _position_slot(text: str, op: TableOperation, table: Table, ts: TableSet) -> TableOperation | None:
    position = asked_position(text)
    if position is None:
        return None
    keep = op.op in ("rank_position", "sort")
    return op.model_copy(
        update={
            "op": "rank_position",
            "position": position[0],
            "from_end": position[1],
            "entity": None,
            "direction": None,
            "column": op.column if keep else None,
            "descending": op.descending if keep else None,
        }
    )


def _asked_year(text: str, op: TableOperation, table: Table) -> str | None:
    years = years_in(text)
    if years:
        return years[0]
    step = -1 if _YEAR_BEFORE.search(text) else 1 if _YEAR_AFTER.search(text) else 0
    base = _year_in_force(op, table)
    return str(int(base) + step) if step and base else None


def _year_in_force(op: TableOperation, table: Table) -> str | None:
    """The year the operation reads: its column's label, else the rank column's, else the table's title."""
    for name in (op.column, table.rank_column):
        if name:
            column = table.column(name)
            found = _YEAR.findall(f"{column.label_en} {column.label_ja}")
            if found:
                return found[-1]
    if op.entity and is_time_series(table):
        return _nfkc(op.entity)
    found = _YEAR.findall(_nfkc(f"{table.title_ja} {table.title_en} {table.id}"))
    return found[-1] if found else None


def _year_slot(text: str, op: TableOperation, table: Table, ts: TableSet) -> TableOperation | None:
    """Another year: the same-columns table titled with it, else this table's column labelled with it, else
    (a time series) the row for that year."""
    year = _asked_year(text, op, table)
    if year is None:
        return None
    for other in siblings(ts, table):
        if year in _YEAR.findall(_nfkc(f"{other.id} {other.title_ja} {other.title_en}")):
            return op.model_copy(update={"table": other.id})
    for column in table.columns:
        if year in f"{column.label_ja} {column.label_en}" and column.name != table.entity_column:
            chosen = None if column.name == table.rank_column else column.name
            if op.op in ("lookup", "rank_position", "sort"):
                return op.model_copy(update={"column": chosen})
    if is_time_series(table) and year in table_years(table):
        entity_op = op.op if op.op in ("lookup", "neighbor") else "lookup"
        return op.model_copy(update={"op": entity_op, "entity": year, "position": None, "direction": None})
    return None


def _value_slot(text: str, op: TableOperation, table: Table, ts: TableSet) -> TableOperation | None:
    """Another value of the column the operation filters on (韓国 after 日本)."""
    if not op.filter_column:
        return None
    for value in dict.fromkeys(row.display.get(op.filter_column, "") for row in table.rows):
        if value and value != op.filter_value and filter_rows(table, op.filter_column, value)[1]:
            if _mentions(text, value):
                return op.model_copy(update={"filter_value": value})
    return None


def _mentions(text: str, value: str) -> bool:
    forms = [value, *COUNTRY_ALIASES.get(value, [])]
    folded = _nfkc(text).casefold()
    return any(
        re.search(rf"(?<![a-z0-9]){re.escape(_nfkc(f).casefold())}(?![a-z0-9])", folded)
        for f in forms
        if len(f) >= 2
    )


def _column_slot(text: str, op: TableOperation, table: Table, ts: TableSet) -> TableOperation | None:
    """Another column asked about (韓国 after 米国 in a country-by-column comparison)."""
    if op.op != "lookup" or not op.column:
        return None
    columns = [c for c in named_columns(text, table) if c.name != op.column]
    return op.model_copy(update={"column": columns[0].name}) if columns else None


def _row_slot(text: str, op: TableOperation, table: Table, ts: TableSet) -> TableOperation | None:
    """Another row: the same neighbour/change/lookup question about it, else a lookup of it."""
    rows = named_rows(text, table, ts, analyze(text).entities)
    if not rows:
        return None
    name = rows[0][0]
    if op.op in ("lookup", "neighbor") or (op.op == "change" and op.entity):
        return op.model_copy(update={"entity": name})
    return TableOperation(table=table.id, entity=name)
