"""Matching over the deck's tables: forgiving table names, entity names in a row, and free-text questions.

Entity matching is exact, alias, partial, column or fuzzy (difflib); free text is scored against each
table's keywords, titles and named rows. Pure; re-exported by `tools.rankings`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from tools.ranking_models import (
    COUNTRY_ALIASES,
    Candidate,
    MatchKind,
    RankChange,
    RowMatch,
    Table,
    TableRow,
    TableSet,
    UnknownTableError,
    normalize,
)
from tools.text import english_stems

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
        if re.search(rf"(?<![a-z0-9]){stem}(?![a-z0-9])", text_casefolded) is not None:
            return True
        return _phrase_with_gaps(english_stems(keyword), english_stems(text_casefolded))
    return normalize(keyword) in text_nows


MAX_PHRASE_GAP = 2  # words another phrase may put between a keyword's words ("central R&D lab")


def _phrase_with_gaps(phrase: list[str], words: list[str]) -> bool:
    """Whether a several-word phrase's words all occur close together in `words` (stems, any order)."""
    if len(phrase) < 2:
        return False
    width = len(phrase) + MAX_PHRASE_GAP
    return any(set(phrase) <= set(words[start : start + width]) for start in range(max(len(words) - 1, 1)))


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


# --- names a table does not list --------------------------------------------------------------


def _stem_words(text: str) -> list[str]:
    """Lower-case words with a plural s dropped ("sensors" and "sensor" compare equal)."""
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _spaced(text).split()]


def _common_part(a: str, b: str) -> str:
    match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[match.a : match.a + match.size]


def rows_sharing(table: Table, phrase: str) -> tuple[bool, list[TableRow]]:
    """Whether `phrase` names one of the table's rows, and otherwise the rows whose names share part of it.

    A phrase names a row when one of the row's names is within it or it is within one (whole words for Latin
    script). Otherwise a row shares it when a name has one of its words (Latin, 3+ letters) or 2+ of its
    characters in a row (Japanese), unless most rows' names have that part (大学, "university")."""
    ascii_phrase = phrase.isascii()
    words = _stem_words(phrase) if ascii_phrase else []
    folded = normalize(phrase)
    names_by_row = [
        (row, [name for _, name in _names(table, row) if name.isascii() == ascii_phrase])
        for row in table.rows
    ]
    parts_by_row: list[tuple[TableRow, set[str]]] = []
    for row, names in names_by_row:
        parts: set[str] = set()
        for name in names:
            if ascii_phrase:
                name_words, asked = " ".join(_stem_words(name)), " ".join(words)
                if name_words and (_word_in(asked, name_words) or _word_in(name_words, asked)):
                    return True, []
                parts |= {w for w in words if len(w) >= 3 and w in name_words.split()}
            else:
                norm = normalize(name)
                if len(norm) >= 2 and (folded in norm or norm in folded):
                    return True, []
                common = _common_part(folded, norm)
                if len(common) >= 2:
                    parts.add(common)
        parts_by_row.append((row, parts))
    # a part most rows share says what kind of row it is, not which
    counts: dict[str, int] = {}
    for _, parts in parts_by_row:
        for part in parts:
            counts[part] = counts.get(part, 0) + 1
    generic = {part for part, n in counts.items() if n * 2 > max(len(table.rows), 1)}
    return False, [row for row, parts in parts_by_row if parts - generic]
