"""Read which table operation a question asks for, from its structure: ordinal words (2位, second, last),
neighbour words (東大の次, right after Paidy), movement words (下がった, dropped most), counting words (何社,
how many), ordering words (高い順, highest, sorted by) and the table's own column labels, row names, column
values and years. No phrase is tied to a particular question or table."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from retrieval.designators import without_designators
from retrieval.english_words import content_stems, shared_stems
from retrieval.figures import asked_figure, asks_figure, counted_group, counted_in, counted_words
from retrieval.glossary import english_forms
from retrieval.intent import analyze, is_function_word, short_forms_of, years_in
from tools.rankings import (
    COUNTRY_ALIASES,
    ColumnSpec,
    Table,
    TableSet,
    find_entities,
    match_entity,
    normalize,
)
from tools.table_columns import change_columns, is_rank_column, is_time_series
from tools.table_ops import TableOperation
from tools.table_ops_text import plural

# --- general vocabularies (ja/en) ---------------------------------------------------------------
# Each is the ordinary way either language says "the N-th", "next to", "went down/up", "how many" or
# "highest/lowest"; they hold for any table, so they live here as data.

_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_POSITION_JA = re.compile(
    r"(?<![\d.])(\d{1,3}|[一二三四五六七八九十])\s*(?:位|番目|番手|番(?=に|の|は|が|を))(?!以)"
)
_POSITION_EN = re.compile(
    rf"\b(?:(\d{{1,3}})(?:st|nd|rd|th)|({'|'.join(_EN_ORDINALS)})|(?:number|no\.?|#)\s*(\d{{1,3}}))\b", re.I
)
_FIRST = re.compile(
    r"首位|最上位|最初|先頭|トップ(?![\s\d]*\d)|一番上|\btop[- ](?:ranked|spot|place)\b|\bnumber one\b", re.I
)
_LAST = re.compile(
    r"最下位|最後|一番下|\blast\b(?!\s+(?:year|time|month|fiscal))|\bbottom\b|lowest[- ]ranked", re.I
)
_LISTED = re.compile(r"番目|載って|掲載|並んで|\blisted\b|in the list|on the list|\bentry\b", re.I)
_TOP_N = re.compile(r"(?:上位|トップ|\btop)\s*(\d{1,3})(?!\d)|(\d{1,3})\s*位(?:まで|以内|以上)", re.I)

_NEXT_JA = re.compile(
    r"^(?:さん)?(?:の|より|から)?(?:すぐ|ひとつ|一つ|1つ)?(?:次|直後|後ろ|あと|下(?![位落が]))"
)
_PREV_JA = re.compile(
    r"^(?:さん)?(?:の|より|から)?(?:すぐ|ひとつ|一つ|1つ)?(?:直前|前(?![年期回身半])|上(?![位昇が]))"
)
_NEXT_EN = re.compile(r"(?:\b(?:after|behind|below|following|under|next to)\s+(?:the\s+)?)$", re.I)
_PREV_EN = re.compile(r"(?:\b(?:before|ahead of|above|preceding|in front of)\s+(?:the\s+)?)$", re.I)

_FELL = re.compile(
    r"下が|下げ|下落|後退|落ち|落と|低下|減|悪化|"
    r"\b(?:fell|fall(?:s|en)?|drop(?:s|ped)?|declin\w*|slipp?\w*|lost|worsen\w*|decreas\w*|"
    r"went down|shrank)\b",
    re.I,
)
_ROSE = re.compile(
    r"上が|上げ|上昇|伸び|改善|増(?!減)|躍進|"
    r"\b(?:rose|rise[sn]?|risen|climb\w*|improv\w*|gain(?:s|ed)?|increas\w*|grew|grow\w*|"
    r"went up|moved up|jump\w*)\b",
    re.I,
)
_CHANGED = re.compile(r"増減|変化|変動|\b(?:chang(?:e|ed|es)|moved|movement)\b", re.I)
_MOST = re.compile(
    r"最も|もっとも|一番|いちばん|最大|\b(?:most|biggest|largest|sharpest|steepest|furthest|farthest|worst)\b",
    re.I,
)
# 最低限 / 最大限 are words of their own ("minimum tax", "to the fullest"), not superlatives.
_HIGH = re.compile(
    r"(?:最も|もっとも|一番|いちばん)[^\s、。,?？]{0,6}?(?:高|多|大|デカ|でか)|最高|最大(?!限)|最多|高い順|多い順|大きい順|降順|ピーク|新しい順|"
    r"\b(?:highest|largest|biggest|most|greatest|maximum|peak(?:ed|s)?|newest|most recent)\b",
    re.I,
)
_LOW = re.compile(
    r"(?:最も|もっとも|一番|いちばん)[^\s、。,?？]{0,6}?(?:低|少|小)|最低(?!限)|最小(?!限)|最少|低い順|少ない順|小さい順|昇順|古い順|"
    r"\b(?:lowest|smallest|least|fewest|minimum|oldest|earliest)\b",
    re.I,
)
_RANKISH = re.compile(r"順位|ランキング|上位|下位|\d位|\brank\w*|\bplaced?\b", re.I)
_SORT = re.compile(
    r"順に|順で|順番|並べ|並び替|ソート|\bsort(?:ed)?\b|\border(?:ed)? by\b|\branked by\b", re.I
)
_COUNT = re.compile(
    r"何社|何校|何件|何か国|何カ国|何ヵ国|何ヶ国|何都市|何分野|何個|何行|何本|いくつ|幾つ|件数|社数|"
    r"\bhow many\b|\bnumber of\b|\bcount\b",
    re.I,
)
# Suffixes that widen a word to "…-related" (衛星関連 = satellite-related); stripped before matching cells.
_RELATED = re.compile(r"(?:関連|関係|系|分野|領域|業界|絡み)$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# --- single signals ---------------------------------------------------------------------------------


# "the first startup slide", 「最初のスライド」: a place in the document, not in a table
_PAGE_REFERENCE = re.compile(
    rf"\b(?:{'|'.join(_EN_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th)|last)\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:slides?|pages?|sections?|chapters?|parts?)\b|(?:最初|最後|\d+\s*枚目)の(?:スライド|ページ|章|節)",
    re.I,
)


def asked_position(text: str) -> tuple[int, bool] | None:
    """(N, from_end) for '2位', '3番目', 'second', '4th', 'No. 5', '首位', '最下位', 'last'; else None."""
    text = _PAGE_REFERENCE.sub(" ", without_designators(_nfkc(text)))
    if _LAST.search(text):
        return 1, True
    match = _POSITION_JA.search(text)
    if match:
        value = match.group(1)
        return (int(value) if value.isdigit() else _KANJI_NUMBERS[value]), False
    match = _POSITION_EN.search(text)
    if match:
        digits = match.group(1) or match.group(3)
        return (int(digits) if digits else _EN_ORDINALS[match.group(2).lower()]), False
    return (1, False) if _FIRST.search(text) else None


def asked_movement(text: str) -> tuple[bool, str | None]:
    """(whether the question asks how rows moved, 'fell' | 'rose' | None for either)."""
    text = _nfkc(text)
    fell, rose = bool(_FELL.search(text)), bool(_ROSE.search(text))
    if fell != rose:
        return True, "fell" if fell else "rose"
    return fell or bool(_CHANGED.search(text)), None


def asked_order(text: str) -> bool | None:
    """True for highest-first words, False for lowest-first, None when the question names no order."""
    text = _nfkc(text)
    high, low = bool(_HIGH.search(text)), bool(_LOW.search(text))
    return None if high == low else high


def _superlative_then_ordinal(text: str) -> bool:
    """A superlative, then a later ordinal of 2 or more ("second biggest" is one ordinal, not both)."""
    text = _nfkc(text)
    superlative = _MOST.search(text) or _HIGH.search(text) or _LOW.search(text)
    ordinal = _POSITION_JA.search(text) or _POSITION_EN.search(text)
    return bool(superlative and ordinal) and superlative.end() < ordinal.start()


def asked_top_n(text: str) -> int | None:
    """N of '上位5' / 'トップ10' / 'top 3'."""
    match = _TOP_N.search(_nfkc(text))
    value = int(match.group(1) or match.group(2)) if match else 0
    return value if 0 < value <= 50 else None


def asks_count(text: str) -> bool:
    """Whether the question asks how many."""
    return bool(_COUNT.search(_nfkc(text)))


# A table that shows a selection (主なIPO, 事例, "major", "examples"): its row count is not how many there are.
_SELECTION = re.compile(r"主な|主要な|事例|の例|抜粋|\bmajor\b|\bexamples?\b|\bselected\b|\bextract\b", re.I)


def counts_rows(text: str, table: Table) -> bool:
    """Whether a how-many question is answered by counting the table's rows: always for a full list, for a
    selection only when the question asks what it lists (「何社掲載」, "how many are listed")."""
    if not asks_count(text):
        return False
    counters = counted_in(text)
    if any(c.unit and c.unit in counters for c in table.columns):
        return False  # 何社 of rounds that each give a number of companies: the rows are not what is counted
    if not _rows_are_counted(counted_words(text), table):
        return False  # "how many fields" of a table of technology classes
    selection = [m.group(0).lower() for m in _SELECTION.finditer(f"{table.title_ja} {table.title_en}")]
    if not selection:
        return True
    asks_listed = _LISTED.search(_nfkc(text)) or re.search(r"表|\btable\b|\blist\b", text, re.I)
    return bool(asks_listed) or any(word in text.lower() for word in selection)  # 「抜粋に何校」: the extract


def _rows_are_counted(words: str, table: Table) -> bool:
    """Whether the English noun naming what is counted fits the table's rows: it shares a stem with the
    entity label, titles or keywords, or names the same kind of thing (startups are companies). True when the
    question names no plural noun after "how many" ("how many are listed")."""
    content = [word for word in words.lower().split() if not is_function_word(word)]
    if not content or not content[0].endswith("s") or len(content[0]) <= 3:
        return True
    entity = next((c for c in table.columns if c.name == table.entity_column), None)
    label = entity.label_en.lower() if entity else ""
    about = f"{label} {table.title_en} {' '.join(k for k in table.keywords if k.isascii())}"
    if shared_stems(content[0], about):
        return True
    asked, rows = counted_group(words), counted_group(plural(label)) if label else ()
    return bool(asked) and asked == rows


def asks_sort(text: str) -> bool:
    """Whether the question asks for rows in an order."""
    return bool(_SORT.search(_nfkc(text)))


# --- what the table offers -----------------------------------------------------------------------------


def _occurs(form: str, text: str) -> bool:
    """Whether a label, name or value occurs in the question: short ASCII forms case-sensitively as words,
    longer ASCII forms as words, others as normalised substrings."""
    form = _nfkc(form).strip()
    if not form:
        return False
    if form.isascii():
        if len(form) < 2:
            return False
        flags = 0 if len(form) <= 3 else re.I
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", text, flags) is not None
    norm = normalize(form)
    return len(norm) >= 2 and norm in normalize(text)


def table_years(table: Table) -> set[str]:
    """Years the table covers: in its id, titles, keywords, column labels and cells."""
    texts = [table.id, table.title_ja, table.title_en, *table.keywords]
    texts += [f"{c.label_ja} {c.label_en}" for c in table.columns]
    texts += [value for row in table.rows for value in row.display.values()]
    return {year for text in texts for year in _YEAR.findall(_nfkc(text))}


def _own_years(table: Table) -> set[str]:
    """Years that name the table itself (id and titles): what tells 2018's ranking from 2024's."""
    return set(_YEAR.findall(_nfkc(f"{table.id} {table.title_ja} {table.title_en}")))


def siblings(ts: TableSet, table: Table) -> list[Table]:
    """Tables with the same columns as this one (the same list for another year), this one excluded."""
    names = [c.name for c in table.columns]
    return [t for t in ts.tables.values() if t.id != table.id and [c.name for c in t.columns] == names]


def year_conflict(text: str, table: Table, ts: TableSet) -> bool:
    """Whether the question's years point away from this table: none of them is among the table's years,
    or a table with the same columns is titled with one of them and this one is not."""
    years = set(years_in(text))  # the asker's years: 令和5年度 is 2023, "the 2000s" is no one year
    if not years:
        return False
    if not years & table_years(table):
        return True
    if years & _own_years(table):
        return False
    return any(years & _own_years(other) for other in siblings(ts, table))


# Other words for a statistic a column is labelled with: general vocabulary, not any one table's.
LABEL_SYNONYMS = {
    "mean": ("average", "avg", "avg."),
    "平均値": ("平均",),
    "median": ("midpoint",),
    "中央値": ("メディアン",),
}


def named_columns(text: str, table: Table) -> list[ColumnSpec]:
    """Columns the question names by label (ja/en) or by a year in their label, longest label first.

    The entity column and the table's rank column (its default order) are left out.
    """
    text = _nfkc(text)
    years = set(years_in(text))
    found: list[tuple[int, ColumnSpec]] = []
    for column in table.columns:
        if column.name in (table.entity_column, table.rank_column):
            continue
        labels = [column.label_ja, column.label_en]
        labels += [word for label in labels for word in LABEL_SYNONYMS.get(label.lower(), ())]
        # a cell of the column the question names is a value, not the column (「北海大学」 holds 「大学」)
        values = sorted(
            {_nfkc(row.display.get(column.name, "")) for row in table.rows}, key=len, reverse=True
        )
        own = text
        for value in values:
            if len(value) > 2 and value in own:
                own = own.replace(value, " ")
        hits = [len(label) for label in labels if _occurs(label, own)]
        if any(year in label for year in years for label in labels):
            hits.append(100)
        if hits:
            found.append((max(hits), column))
    return [column for _, column in sorted(found, key=lambda pair: -pair[0])]


def can_change(table: Table) -> bool:
    """Whether a change can be computed: two period columns, or rows that are years."""
    return change_columns(table) is not None or is_time_series(table)


# --- rows, values and neighbours the question names ---------------------------------------------------

# "Japan" is the deck's subject: on its own it names no row of a table about Japan.
_IMPLICIT = {normalize(name) for name in ("日本", "国内", "我が国", "Japan", "Japanese", "JP", "日本企業")}


def named_rows(
    text: str, table: Table, ts: TableSet, names: Sequence[str] = ()
) -> list[tuple[str, str | None]]:
    """(row name, the words that named it) for rows the question names: by printed name or alias, or by a
    lexicon name (大阪 -> 大阪‐神戸‐京都) that matches a row; deck order, each row once."""
    found: dict[int, tuple[str, str | None]] = {}
    for match in find_entities(ts, table.id, text):
        implicit = (
            normalize(match.matched_on or "") in _IMPLICIT
            and normalize(table.name_of(match.row)) not in _IMPLICIT
        )
        if match.how in ("exact", "alias") and not implicit:
            found.setdefault(match.row.index, (table.name_of(match.row), match.matched_on))
    own = normalize(f"{table.title_ja} {' '.join(c.label_ja for c in table.columns)}")
    pieces = [p for p in _pieces(text) if not p.isascii()] if not found else _coordinated(text, found)
    # a run of two scripts is two words (スタートアップ相手 → スタートアップ, 相手): each may be a row's short name
    pieces += [run for p in pieces for run in _SCRIPT_RUN.findall(p) if run != p and len(run) >= 3]
    for piece in pieces:
        # a shortened row name (繰越 for 繰越制度) counts when it fits exactly one row
        partial = [m for m in match_entity(table, piece) if m.how == "partial"]
        if len(partial) == 1 and normalize(piece) not in own:
            found.setdefault(partial[0].row.index, (table.name_of(partial[0].row), piece))
    if not found:
        # an English row name the question inflects differently ("carried forward" for "carry forward"): the
        # same stems exactly ("Korean universities" does not name Korea University)
        stems = set(content_stems(text))
        fits = [
            row
            for row in table.rows
            if (english := row.latin_alias)
            and stems >= set(content_stems(english))
            and content_stems(english)
        ]
        if len(fits) == 1:
            found[fits[0].index] = (table.name_of(fits[0]), fits[0].latin_alias)
    printed = {normalize(table.name_of(row)) for row in table.rows}
    for name in names:
        implicit = normalize(name) in _IMPLICIT and normalize(name) not in printed
        if implicit or any(normalize(name) in normalize(n) for n, _ in found.values()):
            continue
        if normalize(name) in own:
            continue  # the table's own subject (経済産業省 of 「経済産業省における…基金」) names no row
        for match in match_entity(table, name)[:1]:
            if match.how in ("exact", "alias", "partial"):  # a column value is a filter, not a name
                found.setdefault(match.row.index, (table.name_of(match.row), None))
    return [found[index] for index in sorted(found)]


_SCRIPT_RUN = re.compile(r"[\u30a0-\u30ff]+|[\u4e00-\u9fff]+")


def _coordinated(text: str, found: dict[int, tuple[str, str | None]]) -> list[str]:
    """Shortened names of other rows beside a named row: coordinated with it (「申請上限額・下限額」) or
    ending like it (「上限額と、…下限額」)."""
    text = _nfkc(text)
    # a word ending like a named row's name is a row of the same kind (上限額 named, so 下限額 is a row)
    tails = {normalize(name)[-2:] for name, _ in found.values() if len(normalize(name)) >= 4}
    named = " ".join(normalize(words or name) for name, words in found.values())
    pieces = [
        p
        for p in _pieces(text)
        if normalize(p)[-2:] in tails and normalize(p) not in named and not p.isascii()
    ]
    for _, words in found.values():
        if words:
            pieces += re.findall(
                rf"{re.escape(_nfkc(words))}\s*(?:・|、|と|及び|や)\s*([\u4e00-\u9fff\u30a0-\u30ff]{{2,}})",
                text,
            )
    return pieces


def _value_forms(value: str) -> list[str]:
    """A cell value and its other names: a country's aliases, the lexicon's English (東北大学 → Tohoku University)."""
    return [
        value,
        *COUNTRY_ALIASES.get(value, []),
        *(f for f in english_forms(value) if len(f) >= 4),
        *short_forms_of(value),  # 東大 for 東京大学
    ]


# Kanji/katakana runs (the middle dot ・ separates words) and Latin words of 4+ letters.
_CONTENT_RUN = re.compile(r"[\u4e00-\u9fff\u30a0-\u30fa\u30fc-\u30ff]{2,}|[A-Za-z][A-Za-z0-9&\-]{3,}")


def _pieces(text: str) -> list[str]:
    """Content words of a question: kanji/katakana runs and Latin words, '…関連' suffixes dropped."""
    runs = _CONTENT_RUN.findall(_nfkc(text))
    return [_RELATED.sub("", run) for run in runs if len(_RELATED.sub("", run)) >= 2]


def asked_filter(text: str, table: Table) -> tuple[str, str] | None:
    """(column, value) when the question names a value of one of the table's search columns: a whole value
    (日本 / Japan for a country column) or a word inside descriptive cells (衛星 in 超小型人工衛星)."""
    text = _nfkc(text)
    own = normalize(f"{table.title_ja} {table.title_en} {' '.join(table.keywords)}")
    for column in table.search_columns:
        values = list(dict.fromkeys(row.display.get(column, "") for row in table.rows))
        for value in values:
            if value and value != "-" and any(_occurs(form, text) for form in _value_forms(value)):
                return column, value
        for piece in _pieces(text):
            if normalize(piece) in own:
                continue
            hits = [v for v in values if _occurs(piece, v)]
            if hits and len(hits) <= max(1, len(values) // 2):
                return column, piece
    return None


def asked_neighbor(text: str, rows: list[tuple[str, str | None]]) -> tuple[str, str] | None:
    """(row name, 'next' | 'previous') when a neighbour word sits right by a named row: 東大の次 /
    Paidyの前 (after the name), right after Paidy / ahead of Tokyo (before it)."""
    folded = _nfkc(text).casefold()
    for name, said in rows:
        if not said:
            continue
        at = folded.find(_nfkc(said).casefold())
        if at < 0:
            continue
        before, after = folded[:at], folded[at + len(said) :]
        if _NEXT_JA.match(after) or _NEXT_EN.search(before):
            return name, "next"
        if _PREV_JA.match(after) or _PREV_EN.search(before):
            return name, "previous"
    return None


# --- the parse -----------------------------------------------------------------------------------------


def table_operations_from_question(
    question: str, table: Table, ts: TableSet, names: Sequence[str] | None = None
) -> list[TableOperation]:
    """The operations a question asks of one table, main one first; [] when its years point elsewhere.

    Args:
        question: The question (ja/en).
        table: The table it is about.
        ts: All tables (for row matching and same-list tables of other years).
        names: Names the question uses (lexicon entities); read from the question when None.
    """
    text = _nfkc(question)
    if year_conflict(text, table, ts):
        return []
    names = analyze(question).entities if names is None else names
    rows = named_rows(text, table, ts, names)
    columns = named_columns(text, table)
    column = columns[0].name if columns else None
    main = _main_operation(text, table, rows, column)
    ops = [main]
    if main.op == "standing" and asked_order(text) is not None:
        # "which city is highest, and where does Tokyo stand?": the top row as well
        ops.insert(0, _top_row(table, main.column, asked_order(text)))
    if main.op == "standing":
        ops += [main.model_copy(update={"entity": name}) for name, _ in rows[1:4]]
    if main.op == "lookup" and main.entity:  # each named row is its own lookup
        if column is not None and asked_order(text) is not None:
            # "which city has the highest mean, and Osaka's?": the top row of that column as well
            ops.insert(0, _top_row(table, column, asked_order(text)))
        ops += [main.model_copy(update={"entity": name}) for name, _ in rows[1:6]]
        latest = _latest_period_row(table)
        if latest is not None and latest not in [name for name, _ in rows] and _asks_current(text, table, ts):
            ops.append(main.model_copy(update={"entity": latest}))  # "where it stands now, and the target?"
    periods = change_columns(table) if main.op == "count" and main.top_n else None
    if periods is not None and all(is_rank_column(table, c.name) for c in periods):
        # within the top N now, and in the earlier period the table also ranks (8 now, 30 a decade before)
        earlier = main.model_copy(update={"column": periods[0].name})
        ops = [main.model_copy(update={"column": periods[1].name}), earlier]
    if main.op in ("rank_position", "sort") and rows:
        ops += [TableOperation(table=table.id, entity=name, column=column) for name, _ in rows[:4]]
    # the top row asked in a sentence of its own beside a filter or a named row (「最上位の大学は？また日本の
    # 大学は何位？」): the top of the whole table, and the other sentence's rows
    if main.op in ("filter", "lookup", "rank_position") and (main.filter_value or main.entity):
        for part in _SENTENCE_END.split(text):
            order = asked_order(part)
            asks_top = asked_position(part) == (1, False) or order is not None
            if (
                asks_top
                and part.strip() != text.strip()
                and not named_rows(part, table, ts, [])
                and not _filter_args(part, table)
            ):
                rest = (
                    main
                    if main.op != "rank_position"
                    else TableOperation(table=table.id, op="filter", **_filter_args(text, table))
                )
                by = column if column and not is_rank_column(table, column) else None
                top = _top_row(table, by, (True if order is None else order) if by else None)
                ops = [top, rest, *ops[1:]]
                break
    # a count asked in a sentence that names no row (「いくつ選定？また札幌の重点分野は？」)
    counted = [part for part in _SENTENCE_END.split(text) if counts_rows(part, table)]
    unnamed = [part for part in counted if not named_rows(part, table, ts, [n for n in names if n in part])]
    if main.op not in ("count", "filter") and unnamed:
        ops.append(TableOperation(table=table.id, op="count", **_filter_args(text, table)))
    return ops


_SENTENCE_END = re.compile(r"(?<=[。？！?!])\s*|(?<=\.)\s+")
# Words asking where something stands now: general vocabulary of both languages.
_CURRENT = re.compile(r"現状|現在|足元|実績|いま|今は|\bstatus\b|\bcurrent(?:ly)?\b|\bnow\b|\bso far\b", re.I)


def _latest_period_row(table: Table) -> str | None:
    """The row of the latest year, for a table some of whose rows are years (FY2020, FY2023, the target)."""
    dated = [
        (max(years), table.name_of(row)) for row in table.rows if (years := years_in(table.name_of(row)))
    ]
    return max(dated)[1] if len(dated) >= 2 else None


def _asks_current(text: str, table: Table, ts: TableSet) -> bool:
    """Whether the question asks where things stand now: in so many words, or in a sentence of its own that
    names no row and asks a figure (「…契約ってどのくらい？目標は？」)."""
    if _CURRENT.search(text):
        return True
    parts = [part for part in _SENTENCE_END.split(text) if part.strip()]
    return len(parts) > 1 and any(
        asked_figure(part) or re.search(r"どのくらい|どれくらい|どの程度", part)
        for part in parts
        if not named_rows(part, table, ts, [])
    )


def _filter_args(text: str, table: Table) -> dict[str, str]:
    found = asked_filter(text, table)
    return {"filter_column": found[0], "filter_value": found[1]} if found else {}


def _main_operation(
    text: str, table: Table, rows: list[tuple[str, str | None]], column: str | None
) -> TableOperation:
    """Movement, then neighbour, then place/order, then named rows, then counting, then a filter."""
    base = {"table": table.id}
    moved, direction = asked_movement(text)
    if moved and can_change(table):
        return _change_operation(text, table, rows, column, direction)
    neighbor = asked_neighbor(text, rows)
    if neighbor:
        return TableOperation(**base, op="neighbor", entity=neighbor[0], direction=neighbor[1])
    by = _standing_column(text, table, column) if rows else None
    if by is not None:
        return TableOperation(**base, op="standing", entity=rows[0][0], column=by)
    # an ordinal inside a row's name ("the first round") names that row, not a place
    placed = _place_operation(_without_names(text, rows), table, column, bool(rows))
    if placed is not None and placed.op == "sort" and placed.top_n and not rows and counts_rows(text, table):
        # "how many … is Japan top 5 in?": the rows within the top 5 counted, not listed
        return TableOperation(**base, op="count", top_n=placed.top_n, **_filter_args(text, table))
    if placed is not None:
        return placed
    if rows:
        return TableOperation(**base, entity=rows[0][0], column=column)
    if counts_rows(text, table):
        return TableOperation(**base, op="count", **_filter_args(text, table))
    found = _filter_args(text, table)
    if found:
        return TableOperation(**base, op="filter", **found)
    return TableOperation(**base, column=column)


def _without_names(text: str, rows: list[tuple[str, str | None]]) -> str:
    for _, words in rows:
        if words:
            text = re.sub(re.escape(_nfkc(words)), " ", text, flags=re.I)
    # of a named row, an ordinal before another noun describes that noun ("Apple's first R&D centre")
    return _ORDINAL_ADJECTIVE.sub(" ", text) if rows else text


_ORDINAL_ADJECTIVE = re.compile(
    rf"\b(?:{'|'.join(_EN_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+(?!(?:place|rank|ranked|position|spot|row|"
    r"entry|one|item|largest|biggest|highest|lowest|most|least|in|on|of|among|by|from|to|and|or|with)\b)"
    r"[a-z][\w&-]*",
    re.I,
)


def _change_operation(
    text: str, table: Table, rows: list[tuple[str, str | None]], column: str | None, direction: str | None
) -> TableOperation:
    """Which rows rose/fell (most): between the periods the question names (else the table's own), or from
    year to year on the column it names (time series)."""
    entity = rows[0][0] if rows and not is_time_series(table) else None
    periods = [c.name for c in named_columns(text, table) if _YEAR.search(f"{c.label_ja} {c.label_en}")]
    span = {"column_from": periods[1], "column_to": periods[0]} if len(periods) >= 2 else {}
    if span and table.columns.index(table.column(periods[0])) < table.columns.index(table.column(periods[1])):
        span = {"column_from": periods[0], "column_to": periods[1]}
    series = {"column": column} if is_time_series(table) and column else {}
    top = 1 if _MOST.search(text) and entity is None else asked_top_n(text)
    filters = _filter_args(text, table) if entity is None else {}  # "… of the ones Tohoku leads"
    return TableOperation(
        table=table.id,
        op="change",
        entity=entity,
        direction=direction,
        top_n=top,
        **span,
        **series,
        **filters,
    )


def _standing_column(text: str, table: Table, column: str | None) -> str | None:
    """The figure column a named row's place is asked by ("where does Tokyo stand on the median?",
    「東京は何位？」 of a list with one figure): one the deck prints no rank for."""
    if not asks_figure(text, "rank"):
        return None
    by = column if column is not None else None if table.rank_column else sole_figure_column(table)
    if by is None or is_rank_column(table, by) or table.column(by).type == "text":
        return None
    return by


def _top_row(table: Table, column: str | None, highest: bool | None) -> TableOperation:
    return TableOperation(
        table=table.id, op="rank_position", position=1, column=column, descending=highest, listed=True
    )


def sole_figure_column(table: Table) -> str | None:
    """The table's one numeric column besides its rank (a fund list's budget), if it has exactly one."""
    figures = [
        c.name
        for c in table.columns
        if c.type in ("int", "float") and c.name not in (table.rank_column, table.entity_column)
    ]
    return figures[0] if len(figures) == 1 else None


def _place_operation(text: str, table: Table, column: str | None, named: bool) -> TableOperation | None:
    """rank_position for an ordinal or a superlative ('2番目に高い', 'highest median', '最下位'); sort for
    ordering words or a top N. None when the question asks neither."""
    position, order, top = asked_position(text), asked_order(text), asked_top_n(text)
    if top is not None and top >= len(table.rows):
        top = None  # 'the top 15' of a 15-row table is the whole table, not an order
    if top is not None and position is not None and position[0] == top:
        position = None  # '5位まで' is a top 5, not the 5th
    ranks = column is None or is_rank_column(table, column)
    descending = None if ranks or order is None else order
    filters = _filter_args(text, table)
    base = {"table": table.id, "column": column, "descending": descending, **filters}
    superlative = order is not None and not named and not asks_sort(text)
    if superlative and column is None and not _RANKISH.search(text):
        # 「一番大きいのは？」 of a list with one figure column (a budget) is about that column
        column = sole_figure_column(table)
        if column is not None:
            ranks, descending = False, order
            base |= {"column": column, "descending": descending}
    if position is not None and top is None and _superlative_then_ordinal(text):
        # 「一番大きいのは？2番目も」 / "the biggest, and the 2nd?": the top N, not the Nth alone
        top, position = position[0], None
    # without a column, "highest" means the top of the ranking only when the question speaks of ranks
    # (「時価総額が一番高い」 of a list without that column is not its first row)
    if (
        position is None
        and top is None
        and superlative
        and (column or (table.is_ranked() and _RANKISH.search(text)))
    ):
        position = (1, ranks and order is False)
    if position is not None:
        n, from_end = position
        listed = bool(_LISTED.search(text)) or (not table.rank_column and base["column"] is None)
        return TableOperation(**base, op="rank_position", position=n, from_end=from_end, listed=listed)
    if top is not None or asks_sort(text):
        return TableOperation(**base, op="sort", top_n=top)
    return None
