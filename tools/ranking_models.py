"""Pure models over the deck's structured tables (rankings, funding lists, fund budgets). No I/O.

Owns: `TableSet`/`Table`/`TableRow`, `RankingQuery` -> `RankingResult` and their parts, the comparison
form `normalize`, and the bilingual table errors. Everything here is re-exported by `tools.rankings`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

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

    @property
    def latin_alias(self) -> str | None:
        """The row's first Latin-script alias, its English name ('Tokyo', 'Kyoto University'), if any."""
        return next((alias for alias in self.aliases if alias.isascii()), None)


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
    cells_en: dict[str, str] = Field(
        default_factory=dict, description="Reviewed English of the table's Japanese text cells, by cell."
    )
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

    def result_header(self) -> dict[str, Any]:
        """The fields every lookup or operation result repeats from its table (what it cites)."""
        return {
            "table_id": self.id,
            "title_ja": self.title_ja,
            "title_en": self.title_en,
            "slide_title": self.slide_title,
            "source": self.source,
            "columns": self.columns,
            "total_rows": len(self.rows),
        }


class TableSet(BaseModel):
    """All loaded tables by id, in load order."""

    tables: dict[str, Table]

    def ids(self) -> list[str]:
        """Table ids in load order."""
        return list(self.tables)

    def get(self, table_id: str) -> Table:
        """The table called table_id (after resolving forgiving names); UnknownTableError otherwise."""
        from tools.ranking_matching import resolve_table_id  # deferred: matching builds on these models

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
