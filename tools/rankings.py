"""Pure models and lookups over the deck's structured tables (rankings, funding lists, fund budgets).

Owns: `TableSet`/`Table`/`TableRow`, `RankingQuery` -> `RankingResult`, entity matching (exact, alias,
partial, column, fuzzy via difflib), period-to-period rank changes, and compact text rendering. No I/O.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, Field, model_validator

CellValue = int | float | str | None
LookupKind = Literal["exact", "alias", "partial", "column", "fuzzy", "rank", "top", "all"]
# Why a table operation (tools/table_ops.py) returned a row.
OperationKind = Literal["position", "neighbor", "sort", "change", "count", "filter"]
MatchKind = LookupKind | OperationKind
Lang = Literal["ja", "en"]

# Country names as the deck writes them, with English/other spellings (lookup help only, not deck text).
COUNTRY_ALIASES: dict[str, list[str]] = {
    "日本": ["Japan", "Japanese", "JP", "日本企業"],
    "米国": ["United States", "USA", "US", "America", "American", "アメリカ", "米"],
    "中国": ["China", "Chinese"],
    "中国/香港": ["China/Hong Kong", "China", "Hong Kong"],
    "韓国": ["Korea", "South Korea", "Korean"],
    "英国": ["United Kingdom", "UK", "Britain", "British", "イギリス"],
    "ドイツ": ["Germany", "German", "独"],
    "フランス": ["France", "French", "仏"],
    "イスラエル": ["Israel"],
    "シンガポール": ["Singapore"],
    "オランダ": ["Netherlands", "Dutch"],
    "オーストラリア": ["Australia", "Australian", "豪州"],
    "香港": ["Hong Kong"],
    "台湾": ["Taiwan"],
    "マレーシア": ["Malaysia"],
    "ニュージーランド": ["New Zealand", "NZ"],
}

_DASHES = re.compile(r"[‐‑‒–—―−－-]")
_DROP = re.compile(r"[\s.,・、。()（）「」『』\"'’]")


def normalize(text: str) -> str:
    """Comparison form: NFKC, casefolded, dashes unified, spaces and light punctuation removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _DROP.sub("", _DASHES.sub("-", folded))


class TableError(ValueError):
    """A lookup problem with a bilingual, user-facing message."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ja = message_ja
        self.message_en = message_en


class UnknownTableError(TableError):
    """The table name matches no table; `available` lists the valid ids."""

    def __init__(self, table: str, available: list[str], ambiguous: list[str] | None = None) -> None:
        self.table = table
        self.available = available
        self.ambiguous = ambiguous or []
        if self.ambiguous:
            options = ", ".join(self.ambiguous)
            super().__init__(
                f"「{table}」に当てはまる表が複数あります。どれかを指定してください: {options}",
                f"'{table}' fits several tables; pick one: {options}",
            )
            return
        listing = ", ".join(available)
        super().__init__(
            f"表「{table}」は見つかりません。利用できる表: {listing}",
            f"No table called '{table}'. Available tables: {listing}",
        )


class ColumnSpec(BaseModel):
    """One data column of a table."""

    name: str
    type: Literal["int", "float", "text"]
    label_ja: str
    label_en: str
    unit: str | None = None


class TableRow(BaseModel):
    """One table row: typed cells keyed by column name, the printed strings, and provenance."""

    table_id: str
    index: int = Field(description="0-based position in the deck's order.")
    cells: dict[str, CellValue]
    display: dict[str, str] = Field(description="Each cell exactly as printed in the deck (e.g. '26,840').")
    slide_title: str
    lines: str = Field(description="Deck line(s) the row was read from, e.g. '2983' or '1630-1636'.")
    aliases: list[str] = Field(
        default_factory=list, description="Lookup names NOT in the deck (English etc.)."
    )


class Table(BaseModel):
    """A deck table with its metadata; rows are kept in the deck's order."""

    id: str
    title_ja: str
    title_en: str
    title_from_deck: bool = Field(
        True, description="False when title_ja was composed (the slide has no heading)."
    )
    slide_title: str
    also_on_slides: list[str] = Field(default_factory=list)
    source: str
    notes: list[str] = Field(default_factory=list)
    columns: list[ColumnSpec]
    entity_column: str
    rank_column: str | None = None
    rank_by: str | None = Field(
        None, description="Numeric column to order by when the table has no rank column."
    )
    change: tuple[str, str] | None = Field(None, description="(earlier, later) rank columns.")
    change_labels: tuple[str, str] | None = None
    search_columns: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    extraction: str = "regex"
    file: str
    rows: list[TableRow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _columns_exist(self) -> Table:
        names = {c.name for c in self.columns}
        referenced = [
            self.entity_column,
            self.rank_column,
            self.rank_by,
            *self.search_columns,
            *(self.change or ()),
        ]
        missing = [name for name in referenced if name and name not in names]
        if missing:
            raise ValueError(f"table {self.id}: metadata names unknown columns {missing}")
        return self

    def column(self, name: str) -> ColumnSpec:
        """The column spec called name."""
        return next(c for c in self.columns if c.name == name)

    def name_of(self, row: TableRow) -> str:
        """The row's entity name as printed."""
        return row.display[self.entity_column]

    def rank_of(self, row: TableRow) -> int | None:
        """The row's rank: its rank column, else its place when ordered by `rank_by` (ties share a place)."""
        if self.rank_column:
            value = row.cells[self.rank_column]
            return int(value) if isinstance(value, int | float) else None
        if self.rank_by:
            value = row.cells[self.rank_by]
            if not isinstance(value, int | float):
                return None
            others = [r.cells[self.rank_by] for r in self.rows]
            return 1 + sum(1 for other in others if isinstance(other, int | float) and other > value)
        return None

    def is_ranked(self) -> bool:
        """Whether rows have a rank (a rank column or an ordering column)."""
        return bool(self.rank_column or self.rank_by)


class TableSet(BaseModel):
    """All loaded tables by id, in load order."""

    tables: dict[str, Table]

    def ids(self) -> list[str]:
        """Table ids in load order."""
        return list(self.tables)

    def get(self, table_id: str) -> Table:
        """The table called table_id (after resolving forgiving names); UnknownTableError otherwise."""
        return self.tables[resolve_table_id(self, table_id)]


class RankingQuery(BaseModel):
    """What to look up in one table: an entity, a rank, a rank range and/or the top N."""

    table: str = Field(min_length=1)
    entity: str | None = None
    rank: int | None = Field(None, ge=1)
    rank_range: tuple[int, int] | None = None
    top: int | None = Field(None, ge=1, le=1000)

    @model_validator(mode="after")
    def _consistent(self) -> RankingQuery:
        if self.rank is not None and self.rank_range is not None:
            raise ValueError(
                "give either rank or rank_range, not both / "
                "rank と rank_range はどちらか一方を指定してください"
            )
        if self.rank_range is not None:
            low, high = self.rank_range
            if low < 1 or high < low:
                raise ValueError(
                    f"rank range {low}-{high} must be ascending and start at 1 or more / "
                    f"順位の範囲 {low}-{high} が不正です"
                )
        if self.entity is not None and not self.entity.strip():
            self.entity = None
        return self


class RankChange(BaseModel):
    """A row's rank in two periods; improved means the rank number went down."""

    column_before: str
    column_after: str
    label_before: str
    label_after: str
    before: int
    after: int
    places_gained: int = Field(description="before - after: positive when the rank improved.")
    direction: Literal["up", "down", "same"]


class RowMatch(BaseModel):
    """A row returned by a lookup and why it was returned."""

    row: TableRow
    how: MatchKind
    score: float = Field(ge=0, le=1)
    matched_on: str | None = Field(None, description="The name, alias or cell value that matched.")
    rank: int | None = None
    change: RankChange | None = None


class Candidate(BaseModel):
    """A near miss offered when an entity matched nothing."""

    name: str
    score: float
    via: str = Field(description="The name or alias the score was computed against.")


class TableInfo(BaseModel):
    """One line of `list_tables`."""

    id: str
    title_ja: str
    title_en: str
    slide_title: str
    row_count: int
    columns: list[str]
    ranked: bool


class RankingResult(BaseModel):
    """The answer to a RankingQuery, with provenance."""

    table_id: str
    title_ja: str
    title_en: str
    slide_title: str
    source: str
    columns: list[ColumnSpec]
    query: RankingQuery
    matches: list[RowMatch] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)
    total_rows: int
    notes: list[str] = Field(default_factory=list)

    @property
    def found(self) -> bool:
        """Whether any row matched."""
        return bool(self.matches)


# --- table resolution -----------------------------------------------------------------------


def resolve_table_id(ts: TableSet, name: str) -> str:
    """Map a forgiving table name (id, unique prefix, or keywords like 'GII', 'QS') to a table id.

    Raises:
        UnknownTableError: when nothing or several tables fit equally well.
    """
    if name in ts.tables:
        return name
    wanted = normalize(name).replace("-", "_")
    by_norm = {normalize(tid).replace("-", "_"): tid for tid in ts.tables}
    if wanted in by_norm:
        return by_norm[wanted]
    prefixed = [tid for norm, tid in by_norm.items() if norm.startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    scored = _table_scores(ts, name, use_entities=False)
    if scored and (len(scored) == 1 or scored[0][1] > scored[1][1]):
        return scored[0][0]
    tied = [tid for tid, score in scored if score == scored[0][1]] if scored else prefixed
    raise UnknownTableError(name, ts.ids(), ambiguous=tied if len(tied) > 1 else None)


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


# --- entity matching ------------------------------------------------------------------------


def _strip_brackets(text: str) -> str:
    return re.sub(r"[（(].*?[）)]", "", text).strip()


def _names(table: Table, row: TableRow) -> list[tuple[str, str]]:
    """(kind, name) pairs a row answers to: its printed name, that name without brackets, its aliases."""
    printed = table.name_of(row)
    names = [("exact", printed)]
    bare = _strip_brackets(printed)
    if bare and bare != printed:
        names.append(("alias", bare))
    names.extend(("alias", alias) for alias in row.aliases)
    return names


def _column_values(value: str) -> list[str]:
    return [value, *COUNTRY_ALIASES.get(value, [])]


def _with_rank_info(
    table: Table, row: TableRow, how: MatchKind, score: float, matched_on: str | None
) -> RowMatch:
    return RowMatch(
        row=row,
        how=how,
        score=round(min(score, 1.0), 3),
        matched_on=matched_on,
        rank=table.rank_of(row),
        change=rank_change(table, row),
    )


def row_match(
    table: Table, row: TableRow, how: MatchKind, score: float = 1.0, matched_on: str | None = None
) -> RowMatch:
    """A RowMatch for `row` with its rank and rank change filled in (for callers outside this module)."""
    return _with_rank_info(table, row, how, score, matched_on)


def match_entity(table: Table, entity: str) -> list[RowMatch]:
    """Rows of `table` that `entity` names, best tier only: exact/alias, else partial/column, else fuzzy."""
    query = normalize(entity)
    if not query:
        return []
    exact: list[RowMatch] = []
    partial: list[RowMatch] = []
    fuzzy: list[RowMatch] = []
    for row in table.rows:
        best_partial: tuple[float, str] | None = None
        best_fuzzy: tuple[float, str] | None = None
        hit = None
        for kind, name in _names(table, row):
            norm = normalize(name)
            if not norm:
                continue
            if norm == query:
                hit = (kind, 1.0 if kind == "exact" else 0.97, name)
                break
            shorter, longer = sorted((len(norm), len(query)))
            if shorter >= 2 and (query in norm or norm in query) and _whole_words(entity, name):
                score = 0.6 + 0.3 * shorter / longer
                if best_partial is None or score > best_partial[0]:
                    best_partial = (score, name)
            ratio = difflib.SequenceMatcher(None, query, norm).ratio()
            if best_fuzzy is None or ratio > best_fuzzy[0]:
                best_fuzzy = (ratio, name)
        if hit:
            exact.append(_with_rank_info(table, row, hit[0], hit[1], hit[2]))
            continue
        column_hit = _column_hit(table, row, query)
        if best_partial:
            partial.append(_with_rank_info(table, row, "partial", best_partial[0], best_partial[1]))
        elif column_hit:
            partial.append(_with_rank_info(table, row, "column", 0.85, column_hit))
        elif best_fuzzy and best_fuzzy[0] >= 0.72:
            fuzzy.append(_with_rank_info(table, row, "fuzzy", best_fuzzy[0], best_fuzzy[1]))
    for tier in (exact, partial, fuzzy):
        if tier:
            return sorted(tier, key=lambda m: (-m.score, m.row.index))
    return []


def _spaced(text: str) -> str:
    """NFKC casefolded with every non-alphanumeric run turned into one space (keeps word boundaries)."""
    return " ".join(re.split(r"[^0-9a-z]+", unicodedata.normalize("NFKC", text).casefold())).strip()


def _whole_words(a: str, b: str) -> bool:
    """For two ASCII names, whether the shorter occurs in the longer as whole words ("go" not in "google")."""
    if not (normalize(a).isascii() and normalize(b).isascii()):
        return True
    short, long = sorted((_spaced(a), _spaced(b)), key=len)
    return bool(short) and _word_in(short, long)


def _word_in(short: str, long: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(short)}(?![a-z0-9])", long) is not None


def _column_hit(table: Table, row: TableRow, query: str) -> str | None:
    for column in table.search_columns:
        value = row.display.get(column, "")
        for form in _column_values(value):
            if form and normalize(form) == query:
                return f"{column}={value}"
    return None


def closest_candidates(table: Table, entity: str, limit: int = 5) -> list[Candidate]:
    """The rows whose names or aliases are most similar to `entity` (difflib ratio), best first."""
    query = normalize(entity)
    best: dict[int, Candidate] = {}
    for row in table.rows:
        for _, name in _names(table, row):
            score = difflib.SequenceMatcher(None, query, normalize(name)).ratio()
            current = best.get(row.index)
            if current is None or score > current.score:
                best[row.index] = Candidate(name=table.name_of(row), score=round(score, 3), via=name)
    return sorted(best.values(), key=lambda c: -c.score)[:limit]


def rank_change(table: Table, row: TableRow) -> RankChange | None:
    """The row's change between the table's two periods, if the table has them."""
    if not table.change:
        return None
    before_col, after_col = table.change
    before, after = row.cells.get(before_col), row.cells.get(after_col)
    if not isinstance(before, int) or not isinstance(after, int):
        return None
    labels = table.change_labels or (before_col, after_col)
    gained = before - after
    return RankChange(
        column_before=before_col,
        column_after=after_col,
        label_before=labels[0],
        label_after=labels[1],
        before=before,
        after=after,
        places_gained=gained,
        direction="up" if gained > 0 else "down" if gained < 0 else "same",
    )


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
        table_id=table.id,
        title_ja=table.title_ja,
        title_en=table.title_en,
        slide_title=table.slide_title,
        source=table.source,
        columns=table.columns,
        query=query,
        matches=matches,
        candidates=candidates,
        total_rows=len(table.rows),
        notes=notes,
    )


def _position(table: Table, match: RowMatch) -> int:
    rank = table.rank_of(match.row)
    return rank if rank is not None else match.row.index + 1


# --- free-text helpers ------------------------------------------------------------------------


def _contains(text_cf: str, text_nows: str, name: str) -> bool:
    """Whether a name occurs in the question (ASCII names as whole words; short ones case-sensitively)."""
    name_nfkc = unicodedata.normalize("NFKC", name).strip()
    if not name_nfkc:
        return False
    if name_nfkc.isascii():
        if len(name_nfkc) <= 3:
            return (
                re.search(rf"(?<![A-Za-z0-9]){re.escape(name_nfkc)}(?![A-Za-z0-9])", text_cf[1]) is not None
            )
        return _word_in(name_nfkc.casefold(), text_cf[0])
    norm = normalize(name_nfkc)
    return len(norm) >= 2 and norm in text_nows


def find_entities(ts: TableSet, table_id: str, text: str) -> list[RowMatch]:
    """Rows of one table that a free-text question names ("Tokyo", "東北大学", "Spiber"), deck order.

    When no row name or alias occurs, rows whose country/institution column value occurs are returned
    instead (how="column"), e.g. "日本のクラスター" -> the Japanese GII clusters.
    """
    table = ts.get(table_id)
    text_nfkc = unicodedata.normalize("NFKC", text)
    forms = (text_nfkc.casefold(), text_nfkc)
    text_nows = normalize(text)
    found: list[tuple[TableRow, str, str]] = []
    for row in table.rows:
        hits = [(kind, name) for kind, name in _names(table, row) if _contains(forms, text_nows, name)]
        if hits:
            kind, name = max(hits, key=lambda h: (h[0] == "exact", len(normalize(h[1]))))
            found.append((row, kind, name))
    # drop a hit whose name only occurs inside a longer hit ("東京" inside "東京大学")
    kept = []
    for row, kind, name in found:
        norm = normalize(name)
        longer = [
            normalize(n)
            for r, _, n in found
            if r is not row and norm in normalize(n) and normalize(n) != norm
        ]
        if longer and text_nows.count(norm) <= sum(text_nows.count(n) * n.count(norm) for n in longer):
            continue
        kept.append(_with_rank_info(table, row, kind, 1.0 if kind == "exact" else 0.97, name))  # type: ignore[arg-type]
    if kept:
        return kept
    column_matches = []
    for row in table.rows:
        for column in table.search_columns:
            value = row.display.get(column, "")
            if (
                value
                and value != "-"
                and any(_contains(forms, text_nows, form) for form in _column_values(value))
            ):
                column_matches.append(_with_rank_info(table, row, "column", 0.85, f"{column}={value}"))
                break
    return column_matches


def _keyword_in(text_casefolded: str, text_nows: str, keyword: str) -> bool:
    """Case-insensitive keyword test: ASCII keywords as whole words, others as normalised substrings."""
    keyword = unicodedata.normalize("NFKC", keyword).casefold().strip()
    if keyword.isascii():  # whole words, plurals allowed ("universities", "unicorns")
        if keyword.endswith("y"):
            stem = re.escape(keyword[:-1]) + "(?:y|ies)"
        else:
            stem = re.escape(keyword) + "(?:s|es)?"
        return re.search(rf"(?<![a-z0-9]){stem}(?![a-z0-9])", text_casefolded) is not None
    return normalize(keyword) in text_nows


def _table_scores(ts: TableSet, text: str, *, use_entities: bool) -> list[tuple[str, float]]:
    text_nfkc = unicodedata.normalize("NFKC", text)
    forms = (text_nfkc.casefold(), text_nfkc)
    text_nows = normalize(text)
    scores: list[tuple[str, float]] = []
    for table in ts.tables.values():
        score = 0.0
        year_hits = 0.0  # a year alone ("2024") does not make a question about a table
        for keyword in table.keywords:
            if _keyword_in(forms[0], text_nows, keyword):
                if keyword.isdigit():
                    year_hits += 0.5
                else:
                    score += 1.0 + (0.5 if len(keyword) >= 6 else 0.0)
        for title in (table.title_ja, table.title_en):
            if normalize(title) and normalize(title) in text_nows:
                score += 2.0
        if score > 0:
            score += year_hits
        if use_entities and table.column(table.entity_column).type == "text":
            named = [
                m.row.display[table.entity_column]
                for m in find_entities(ts, table.id, text)
                if m.how in ("exact", "alias")
            ]
            if any(name not in COUNTRY_ALIASES for name in named):
                score += 0.75
            elif named:  # a country named in the question is weak evidence on its own
                score += 0.25
        if score > 0:
            scores.append((table.id, score))
    return sorted(scores, key=lambda pair: -pair[1])


def find_tables_for(ts: TableSet, text: str) -> list[str]:
    """Table ids a free-text question is about, most likely first (JA/EN keywords, titles, named rows)."""
    return [table_id for table_id, _ in _table_scores(ts, text, use_entities=True)]


def table_keywords_in(table: Table, text: str) -> list[str]:
    """The table's keywords (not bare years) that a text uses, as the keyword scoring reads them."""
    text_nfkc = unicodedata.normalize("NFKC", text)
    folded, text_nows = text_nfkc.casefold(), normalize(text)
    return [kw for kw in table.keywords if not kw.isdigit() and _keyword_in(folded, text_nows, kw)]


def table_keyword_scores(ts: TableSet, text: str) -> list[tuple[str, float]]:
    """(table id, score) of the tables a text names by keyword or title alone (named rows ignored)."""
    return _table_scores(ts, text, use_entities=False)


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
