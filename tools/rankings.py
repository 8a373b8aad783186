"""Pure models and lookups over the deck's structured tables (rankings, funding lists, fund budgets).

Owns: `RankingQuery` -> `RankingResult` lookups, the table listing, and compact text rendering. No I/O.
The models live in `tools.ranking_models` and the matching (table names, entities, free text) in
`tools.ranking_matching`; every public name of both is importable from here.
"""

from __future__ import annotations

from tools.ranking_matching import (
    _table_scores,
    _with_rank_info,
    closest_candidates,
    find_entities,
    find_tables_for,
    match_entity,
    rank_change,
    resolve_table_id,
    row_match,
    table_keyword_scores,
    table_keywords_in,
)
from tools.ranking_models import (
    COUNTRY_ALIASES,
    Candidate,
    CellValue,
    ColumnSpec,
    Lang,
    LookupKind,
    MatchKind,
    OperationKind,
    RankChange,
    RankingQuery,
    RankingResult,
    RowMatch,
    Table,
    TableError,
    TableInfo,
    TableRow,
    TableSet,
    UnknownTableError,
    normalize,
)

__all__ = [
    "COUNTRY_ALIASES",
    "Candidate",
    "CellValue",
    "ColumnSpec",
    "Lang",
    "LookupKind",
    "MatchKind",
    "OperationKind",
    "RankChange",
    "RankingQuery",
    "RankingResult",
    "RowMatch",
    "Table",
    "TableError",
    "TableInfo",
    "TableRow",
    "TableSet",
    "UnknownTableError",
    "closest_candidates",
    "find_entities",
    "find_tables_for",
    "format_result_text",
    "format_row_text",
    "list_tables",
    "lookup_question",
    "lookup_ranking",
    "match_entity",
    "normalize",
    "rank_change",
    "resolve_table_id",
    "row_match",
    "table_keyword_scores",
    "table_keywords_in",
]

# --- table listing --------------------------------------------------------------------------


def list_tables(ts: TableSet) -> list[TableInfo]:
    """Every table with its titles, slide title and size, in deck order of loading."""
    return [
        TableInfo(
            id=t.id,
            title_ja=t.title_ja,
            title_en=t.title_en,
            slide_title=t.slide_title,
            row_count=len(t.rows),
            columns=[c.name for c in t.columns],
            ranked=t.is_ranked(),
        )
        for t in ts.tables.values()
    ]


# --- the lookup -------------------------------------------------------------------------------


def lookup_ranking(ts: TableSet, query: RankingQuery) -> RankingResult:
    """Answer a RankingQuery: rows by entity (with how they matched), rank, rank range and/or top N.

    An unknown entity yields no matches and the closest candidates; it is not an error.

    Raises:
        UnknownTableError: when the table name fits no table.
    """
    table = ts.get(query.table)
    notes: list[str] = []
    candidates: list[Candidate] = []
    if query.entity:
        matches = match_entity(table, query.entity)
        if not matches:
            candidates = closest_candidates(table, query.entity)
    else:
        how: MatchKind = "top" if query.top else "rank" if (query.rank or query.rank_range) else "all"
        matches = [_with_rank_info(table, row, how, 1.0, None) for row in table.rows]

    if query.rank is not None or query.rank_range is not None:
        low, high = query.rank_range or (query.rank, query.rank)
        if not table.is_ranked():
            notes.append("This table has no ranks; positions follow the deck's list order.")
        matches = [
            m.model_copy(update={"how": m.how if query.entity else "rank"})
            for m in matches
            if low <= _position(table, m) <= high
        ]  # type: ignore[operator]
    if query.top is not None:
        matches = sorted(matches, key=lambda m: (_position(table, m), m.row.index))[: query.top]
    elif not query.entity and table.is_ranked():
        matches = sorted(matches, key=lambda m: (_position(table, m), m.row.index))
    return RankingResult(
        **table.result_header(),
        query=query,
        matches=matches,
        candidates=candidates,
        notes=notes,
    )


def _position(table: Table, match: RowMatch) -> int:
    rank = table.rank_of(match.row)
    return rank if rank is not None else match.row.index + 1


# --- rendering ---------------------------------------------------------------------------------

_HOW_JA = {
    "exact": "完全一致",
    "alias": "別名一致",
    "partial": "部分一致",
    "column": "列の値で一致",
    "fuzzy": "類似",
}


def _cell_text(column: ColumnSpec, row: TableRow, lang: Lang) -> str:
    value = row.display.get(column.name, "")
    if column.unit and value:
        return f"{value}{column.unit}" if lang == "ja" or column.unit in ("%",) else f"{value} {column.unit}"
    return value


def format_row_text(table_columns: list[ColumnSpec], match: RowMatch, lang: Lang = "ja") -> str:
    """One row as 'label: value; ...', with its rank change and how it matched."""
    label = (lambda c: c.label_ja) if lang == "ja" else (lambda c: c.label_en)
    parts = [
        f"{label(c)}: {_cell_text(c, match.row, lang)}"
        for c in table_columns
        if match.row.display.get(c.name)
    ]
    text = "; ".join(parts)
    if match.change:
        ch = match.change
        arrow = f"{ch.before} → {ch.after}"
        if lang == "ja":
            trend = {
                "up": f"{ch.places_gained}位上昇",
                "down": f"{-ch.places_gained}位下降",
                "same": "変化なし",
            }[ch.direction]
            text += f"（{ch.label_before}→{ch.label_after}: {arrow}、{trend}）"
        else:
            trend = {
                "up": f"up {ch.places_gained}",
                "down": f"down {-ch.places_gained}",
                "same": "unchanged",
            }[ch.direction]
            text += f" ({ch.label_before} -> {ch.label_after}: {arrow}, {trend})"
    if match.how in _HOW_JA and match.how != "exact":
        if lang == "ja":
            text += f" 〔{_HOW_JA[match.how]}: {match.matched_on} / {match.score:.2f}〕"
        else:
            text += f" [{match.how} match on '{match.matched_on}', score {match.score:.2f}]"
    return text


def format_result_text(result: RankingResult, lang: Lang = "ja") -> str:
    """Compact plain-text rendering of a RankingResult for the CLI and the answer engines."""
    title = result.title_ja if lang == "ja" else result.title_en
    lines = [
        f"{title}",
        f"  [{result.table_id}] {'スライド' if lang == 'ja' else 'Slide'}: {result.slide_title}",
    ]
    if result.matches:
        lines.extend(f"  ・{format_row_text(result.columns, m, lang)}" for m in result.matches)
    elif result.query.entity:
        if lang == "ja":
            lines.append(f"  「{result.query.entity}」に一致する行はありません。")
        else:
            lines.append(f"  No row matches '{result.query.entity}'.")
        if result.candidates:
            names = ", ".join(f"{c.name} ({c.score:.2f})" for c in result.candidates)
            lines.append(f"  {'近い候補' if lang == 'ja' else 'Closest'}: {names}")
    else:
        lines.append("  該当する行はありません。" if lang == "ja" else "  No rows in that range.")
    lines.extend(f"  ※{note}" for note in result.notes)
    lines.append(f"  {result.source}")
    return "\n".join(lines)


def lookup_question(ts: TableSet, text: str, max_tables: int = 2) -> list[RankingResult]:
    """Results for a free-text question: the likeliest tables, narrowed to the rows the question names.

    Tables scoring at least half the best score are kept (at most max_tables). In each, rows named in the
    text (or matching a country/institution value) are returned; when none are named, the whole table is.
    """
    scored = _table_scores(ts, text, use_entities=True)
    if not scored:
        return []
    best = scored[0][1]
    chosen = [table_id for table_id, score in scored if score >= best / 2][:max_tables]
    results = []
    for table_id in chosen:
        result = lookup_ranking(ts, RankingQuery(table=table_id))
        named = find_entities(ts, table_id, text)
        results.append(result.model_copy(update={"matches": named}) if named else result)
    return results
