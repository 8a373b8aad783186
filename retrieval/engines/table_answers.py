"""How the offline engine answers from table results: the direct answer first, then only the rows the
operation used, in the question's language; and the small helpers that turn a table operation into a tool
call, read the raw follow-up out of a joined question, and let the refusal check read table evidence."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from retrieval.engines.table_questions import table_years
from retrieval.intent import QuestionIntent, fold
from tools.rankings import RankingResult, RowMatch, Table, TableSet, normalize, table_keywords_in
from tools.table_ops import TableOperation, TableOperationResult
from tools.table_ops_text import answer_lines, with_unit
from tools.text import has_japanese

MAX_ROWS_SHOWN = 20


@dataclass
class TableBlock:
    """What one table contributes to an answer: direct-answer lines, then the rows used."""

    table_id: str
    title: str
    slide_title: str
    heads: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    head_names_table: bool = False  # a count's answer line already names the table


def operation_args(operation: TableOperation) -> dict[str, Any]:
    """The lookup_ranking arguments for an operation (always with `op`, so the tool runs the operation)."""
    args = operation.model_dump(exclude_none=True, exclude_defaults=True)
    return {**args, "table": operation.table, "op": operation.op}


def raw_question(question: str, history: Sequence[str]) -> str:
    """The user's own words when the engine joined a bare follow-up to the previous question."""
    if len(history) >= 2 and question.startswith(f"{history[-2]}\n"):
        return question[len(history[-2]) + 1 :]
    return question


def is_operation(result: RankingResult) -> bool:
    """Whether the result comes from an operation other than a plain row lookup."""
    return isinstance(result, TableOperationResult) and result.operation.op != "lookup"


Translate = Callable[[str, str], "str | None"]  # (slide title, Japanese text) -> reviewed English, if any


def table_blocks(
    results: Sequence[RankingResult],
    ts: TableSet | None,
    intent: QuestionIntent,
    translate: Translate | None = None,
) -> list[TableBlock]:
    """One block per table with rows, in call order: operations answer with their own lines, lookups with
    the named rows (each row once). `translate` gives English answers the deck's English for Japanese cells."""
    lang = "en" if intent.lang == "en" else "ja"
    blocks: dict[str, TableBlock] = {}
    seen: dict[str, set[int]] = {}
    for result in results:
        if not result.matches and not (isinstance(result, TableOperationResult) and result.count is not None):
            continue
        title = result.title_ja if lang == "ja" else result.title_en
        block = blocks.setdefault(result.table_id, TableBlock(result.table_id, title, result.slide_title))
        table = ts.get(result.table_id) if ts is not None else None
        if is_operation(result):
            lines = answer_lines(result, lang)  # type: ignore[arg-type]
            if lang == "en" and translate is not None:
                lines = _cells_in_english(lines, result, translate)
            block.head_names_table = block.head_names_table or result.operation.op == "count"  # type: ignore[attr-defined]
            block.heads.append(lines[0])
            block.rows += lines[1:]
            continue
        if isinstance(result, TableOperationResult) and result.operation.column:
            block.heads.append(answer_lines(result, lang)[0])
        shown = seen.setdefault(result.table_id, set())
        for match in result.matches[:MAX_ROWS_SHOWN]:
            if match.row.index not in shown:
                shown.add(match.row.index)
                row = format_row(table, result, match, intent, translate)
                if row not in block.heads:  # the answer line already says all the row would
                    block.rows.append(row)
        if table is not None and len(result.matches) <= MAX_ROWS_WITH_NOTES:
            block.rows += [n for n in _notes_on(table, result, lang, translate) if n not in block.rows]
    return list(blocks.values())


MAX_ROWS_WITH_NOTES = 3  # a note about a row belongs with that row, not under a whole listing
_DECK_NOTE = re.compile(r"^\s*(?:※|[（(]?注|\*\d)")


def _notes_on(table: Table, result: RankingResult, lang: str, translate: Translate | None) -> list[str]:
    """The table's notes (※) that name one of the rows shown: 「※2021年の海外投資は…」 for the 2021 row."""
    names = [fold(table.name_of(m.row)) for m in result.matches]
    notes = []
    for note in table.notes:
        if not _DECK_NOTE.match(note) or not any(len(n) >= 2 and n in fold(note) for n in names):
            continue  # only the deck's own notes (※, 注); the others are the bundle's remarks on its reading
        english = translate(result.slide_title, note) if translate and lang == "en" else None
        notes.append(f"{english} ({note})" if english else note)
    return notes


def _cells_in_english(lines: list[str], result: RankingResult, translate: Translate) -> list[str]:
    """An operation's lines with each Japanese cell of the rows it used given with its English:
    the tool prints cells as the deck does, the English answer reads them in English first."""
    values = {v for m in result.matches for v in m.row.display.values() if has_japanese(v)}
    # longest first: 「中国/香港」 is rendered whole before 「中国」 could be replaced inside it
    ordered = sorted(values, key=lambda v: (-len(v), v))
    english = {v: e for v in ordered if (e := translate(result.slide_title, v))}
    for value, rendered in english.items():
        lines = [line.replace(f": {value}", f": {rendered} ({value})") for line in lines]
    return lines


def format_row(
    table: Table | None,
    result: RankingResult,
    match: RowMatch,
    intent: QuestionIntent,
    translate: Translate | None = None,
) -> str:
    """One row in the question's language, restricted to the columns the question names (wide tables)."""
    lang = intent.lang
    row = match.row
    columns = result.columns
    entity_column = table.entity_column if table else columns[0].name
    rank_column = table.rank_column if table else None
    rows = table.rows if table else [row]

    def names_column(entity: str, column: Any) -> bool:
        folded = fold(entity)
        if folded in (fold(column.label_ja), fold(column.label_en)):
            return True
        # 「北海大学」 holds the label 「大学」 but is a value of that column, not a request for it
        values = (fold(r.display.get(column.name, "")) for r in rows)
        return fold(column.label_ja) in folded and not any(folded in value for value in values if value)

    named = [
        c
        for c in columns
        if c.name not in (entity_column, rank_column) and any(names_column(e, c) for e in intent.entities)
    ]
    shown = named or [c for c in columns if c.name not in (entity_column, rank_column)]
    name = row.display.get(entity_column, "")
    if lang == "en":  # the table's English name first, the deck's printed name in brackets
        latin = row.latin_alias
        if latin and not name.isascii():
            name = f"{latin} ({name})"
    head = name
    if match.rank is not None and rank_column:
        head = f"{name}（{match.rank}位）" if lang == "ja" else f"{name} (rank {match.rank})"
    english = (lambda text: translate(result.slide_title, text)) if translate and lang == "en" else None
    parts = [_cell(column, row.display.get(column.name, ""), lang, english) for column in shown]
    parts = [part for part in parts if part]
    if match.change:
        change, rank_suffix = match.change, "位" if lang == "ja" else ""
        parts.append(
            f"{change.label_before}: {change.before}{rank_suffix} → "
            f"{change.label_after}: {change.after}{rank_suffix}"
        )
    return f"{head} — {'; '.join(parts)}" if parts else head


def _cell(column: Any, value: str, lang: str, english: Callable[[str], "str | None"] | None = None) -> str:
    if not value or value == "-":
        return ""
    rendered = english(value) if english and has_japanese(value) else None
    if rendered:  # the deck's reviewed English, then the printed Japanese
        value = f"{rendered} ({value})"
    label = column.label_ja if lang == "ja" else column.label_en
    return f"{label}: {with_unit(value, column.unit, lang)}"


def _names_table(name: str, table: Table) -> bool:
    """Whether a name only names the table ('QS2025': each letter/digit run is in its titles or keywords)."""
    pieces = re.findall(r"[a-z]+|\d+|[^\x00-\x7f]+", unicodedata.normalize("NFKC", name).casefold())
    own = normalize(f"{table.id} {table.title_ja} {table.title_en} {' '.join(table.keywords)}")
    return bool(pieces) and all(normalize(piece) in own for piece in pieces)


def evidence_intent(
    intent: QuestionIntent, question: str, results: Sequence[RankingResult], ts: TableSet
) -> QuestionIntent:
    """The intent the refusal check reads when tables answered: the table keywords the question uses count
    as topic terms (the table is evidence too), and a name that only names a consulted table is not a
    missing entity."""
    tables = [ts.get(r.table_id) for r in results if r.matches]
    if not tables:
        return intent
    keywords = [kw for table in tables for kw in table_keywords_in(table, question)]
    terms = list(dict.fromkeys([*intent.terms, *keywords]))
    unknown = [n for n in intent.unknown_names if not any(_names_table(n, t) for t in tables)]
    entities = [e for e in intent.entities if not any(_names_table(e, t) for t in tables)]
    # a year the table itself covers (its title, a column label such as 'Rank 2023', a cell) is in the deck
    years = [y for y in intent.years if not any(y in table_years(t) for t in tables)]
    return dataclasses.replace(intent, terms=terms, unknown_names=unknown, entities=entities, years=years)
