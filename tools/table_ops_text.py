"""Plain-text rendering of table-operation results, Japanese or English: the direct answer first, then only
the rows the operation used. Pure; figures are quoted as the deck prints them."""

from __future__ import annotations

import unicodedata

from tools.rankings import COUNTRY_ALIASES, ColumnSpec, Lang, RowMatch, TableRow, format_row_text
from tools.table_ops import TableOperationResult, ValueChange

# Counter words for "how many" answers, keyed by what the entity column holds (its Japanese label). General:
# Japanese counts companies in 社, universities in 校, countries in か国, fields in 分野, anything else in 件.
_COUNTERS_JA = (
    ("企業", "社"),
    ("会社", "社"),
    ("大学", "校"),
    ("国", "か国"),
    ("都市", "都市"),
    ("技術", "分野"),
)


def row_name(result: TableOperationResult, row: TableRow, lang: Lang) -> str:
    """The row's printed name; in English the table's English alias first, the printed name in brackets."""
    name = row.display.get(result.entity_column, "")
    if lang == "en" and not name.isascii():
        if row.latin_alias:
            return f"{row.latin_alias} ({name})"
    return name


def _label(column: ColumnSpec, lang: Lang) -> str:
    return column.label_ja if lang == "ja" else column.label_en


def cell_text(column: ColumnSpec, row: TableRow, lang: Lang) -> str:
    """A cell as printed, with its unit ('59億円'; '59 億円' in English)."""
    return with_unit(row.display.get(column.name, ""), column.unit, lang)


def with_unit(value: str, unit: str | None, lang: str) -> str:
    """The value with its column's unit, unless the cell prints it already (「3％以上」 holds its %)."""
    if not value or not unit or unicodedata.normalize("NFKC", unit) in unicodedata.normalize("NFKC", value):
        return value
    return f"{value}{unit}" if lang == "ja" or unit == "%" else f"{value} {unit}"


def _column(result: TableOperationResult, name: str | None) -> ColumnSpec | None:
    return next((c for c in result.columns if c.name == name), None) if name else None


def row_details(result: TableOperationResult, match: RowMatch, lang: Lang, first: str | None = None) -> str:
    """'name (rank N) — label: value; ...' with the column `first` (the one asked about) leading."""
    row = match.row
    skip = {result.entity_column, result.rank_column}
    columns = [
        c for c in result.columns if c.name not in skip and row.display.get(c.name, "") not in ("", "-")
    ]
    columns.sort(key=lambda c: c.name != first)
    parts = [f"{_label(c, lang)}: {cell_text(c, row, lang)}" for c in columns]
    head = row_name(result, row, lang)
    if result.rank_column and match.rank is not None:
        head += f"（{match.rank}位）" if lang == "ja" else f" (rank {match.rank})"
    return f"{head} — {'; '.join(parts)}" if parts else head


def _change_text(change: ValueChange, lang: Lang) -> str:
    size = abs(change.gain)
    size_text = f"{size:,}" if isinstance(size, int) else f"{size:,.1f}"
    if change.is_rank:
        trend = {"rose": ("上昇", "up"), "fell": ("下降", "down"), "same": ("変化なし", "unchanged")}
        word = trend[change.movement][0 if lang == "ja" else 1]
        if lang == "ja":
            moved = f"、{size_text}位{word}" if change.movement != "same" else f"、{word}"
            return f"{change.label_from}: {change.before}位 → {change.label_to}: {change.after}位{moved}"
        places = "place" if size == 1 else "places"
        moved = f", {word} {size_text} {places}" if change.movement != "same" else f", {word}"
        return f"{change.label_from}: rank {change.before} → {change.label_to}: rank {change.after}{moved}"
    sign = "+" if change.delta > 0 else "−" if change.delta < 0 else "±"
    unit = change.unit or ""
    start, end = (
        text if label in text else f"{label}: {text}{unit}"
        for label, text in ((change.label_from, change.before_text), (change.label_to, change.after_text))
    )
    return f"{start} → {end}（{sign}{size_text}{unit}）"


def _direction_words(result: TableOperationResult, lang: Lang) -> str:
    op = result.operation
    ranks = bool(result.changes) and result.changes[0].is_rank
    words = {
        ("fell", True): ("順位が下がった", "fell in rank"),
        ("rose", True): ("順位が上がった", "rose in rank"),
        ("fell", False): ("減った", "fell"),
        ("rose", False): ("増えた", "rose"),
    }
    return words.get((op.direction or "", ranks), ("変化が大きい", "changed"))[0 if lang == "ja" else 1]


def change_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """Rows that rose/fell most, biggest movement first, each with before → after; or a named row's change."""
    op = result.operation
    pairs = list(zip(result.matches, result.changes, strict=True))
    if not pairs:
        return [result.message_ja if lang == "ja" else result.message_en or ""]
    if op.entity:  # one named row: its change is the answer
        return [_paren(f"{row_name(result, m.row, lang)}: {_change_text(c, lang)}", lang) for m, c in pairs]
    rows = [_paren(f"{row_name(result, m.row, lang)}（{_change_text(c, lang)}）", lang) for m, c in pairs]
    most = op.top_n is not None
    # the few rows that moved most, with their other cells (a technology's lead institution)
    details = (
        _details(result, result.matches, lang, None) if most and len(pairs) <= MAX_DETAILED_CHANGES else []
    )
    if lang == "ja":
        words = _direction_words(result, lang)
        if not op.direction and not most:
            return ["変化の大きい順:", *(f"・{r}" for r in rows)]
        return [f"{'最も' if most else ''}{words}のは{'、'.join(rows)}です。", *details]
    verb = {"fell": "Fell", "rose": "Rose"}.get(op.direction or "", "Changed")
    suffix = " in rank" if result.changes[0].is_rank else ""
    head = f"{verb} most{suffix}: {'; '.join(rows)}." if most else f"{verb}{suffix}: {'; '.join(rows)}."
    return [head, *details]


MAX_DETAILED_CHANGES = 3


def _paren(text: str, lang: Lang) -> str:
    return text if lang == "ja" else text.replace("（", " (").replace("）", ")")


def counter(result: TableOperationResult, count: int, lang: Lang) -> str:
    """'8社' / '5校' / '8 companies': the count with the counter word its entity column calls for."""
    column = _column(result, result.entity_column)
    if lang == "ja":
        label = column.label_ja if column else ""
        word = next((w for key, w in _COUNTERS_JA if key in label), "件")
        return f"{count}{word}"
    noun = (column.label_en if column else "entry").lower()
    return f"{count} {noun if count == 1 else plural(noun)}"


def plural(noun: str) -> str:
    """The regular English plural (city → cities, class → classes). `inflect` knows irregular ones too, but
    costs two seconds of import at start-up; table labels are regular nouns."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "es" if noun.endswith(("s", "x", "z", "ch", "sh")) else noun + "s"


def _names(result: TableOperationResult, lang: Lang, limit: int = 10) -> str:
    """The rows' names; in a ranked table each with its printed rank (東京大学（32位）, "University of Tokyo
    (#32)"), since where the counted rows stand is what a reader asks next."""
    names = [_ranked_name(result, m.row, lang) for m in result.matches[:limit]]
    more = len(result.matches) - limit
    joined = ("、" if lang == "ja" else ", ").join(names)
    if more > 0:
        joined += f" ほか{more}件" if lang == "ja" else f" and {more} more"
    return joined


def _filter_shown(result: TableOperationResult, lang: Lang) -> str:
    """The filter as the deck writes it ('日本') when every row used holds the same value; in English its
    English name ('Japan') where the country list has one."""
    op = result.operation
    values = {m.row.display.get(op.filter_column or "", "") for m in result.matches}
    shown = values.pop() if len(values) == 1 and "" not in values else op.filter_value or ""
    if lang == "en" and not shown.isascii():
        return next((name for name in COUNTRY_ALIASES.get(shown, []) if name.isascii()), shown)
    return shown


def count_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """How many rows the deck lists (after any filter), their names when few, and the deck's excerpt note."""
    op, count = result.operation, result.count or 0
    title = result.title_ja if lang == "ja" else result.title_en
    amount = counter(result, count, lang)
    if lang == "ja":
        where = (
            f"「{_filter_shown(result, lang)}」に当てはまるのは" if op.filter_value else "掲載されているのは"
        )
        if op.top_n is not None:
            column = _column(result, op.column)
            where = f"{column.label_ja}が上位{op.top_n}位以内なのは" if column else f"上位{op.top_n}位以内は"
        lines = [f"{title}で{where}{amount}です。" if op.top_n else f"{title}に{where}{amount}です。"]
    else:
        where = f" matching '{_filter_shown(result, lang)}'" if op.filter_value else ""
        if op.top_n is not None:
            column = _column(result, op.column)
            where += f" ranked in the top {op.top_n}" + (f" ({column.label_en})" if column else "")
        lines = [f"{title} lists {amount}{where}."]
    if 0 < count <= 10:
        lines.append(_names(result, lang))
    if result.excerpt_note:
        lines.append(f"※{result.excerpt_note}" if lang == "ja" else f"Note (deck): {result.excerpt_note}")
    return lines


def _order_words(result: TableOperationResult, lang: Lang) -> str:
    op = result.operation
    column = _column(result, result.order_column)
    if column is None or column.name == result.rank_column:
        return "順位" if lang == "ja" else "rank"
    high = op.descending if op.descending is not None else column.type != "text"
    if op.from_end:
        high = not high
    if lang == "ja":
        return f"{column.label_ja}の{'高い' if high else '低い'}順"
    return f"{column.label_en}, {'highest' if high else 'lowest'} first"


def _details(
    result: TableOperationResult, matches: list[RowMatch], lang: Lang, first: str | None
) -> list[str]:
    """Row detail lines, skipping rows that have nothing beyond their name and rank."""
    skip = {result.entity_column, result.rank_column}
    return [
        row_details(result, m, lang, first)
        for m in matches
        if any(m.row.display.get(c.name, "") not in ("", "-") for c in result.columns if c.name not in skip)
    ]


def position_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """'2位はnewmoです。' (printed rank) or '1番目（中央値の高い順）はベルリンです。', then the row."""
    op = result.operation
    message = result.message_ja if lang == "ja" else result.message_en
    lines = [message] if message else []
    names = [row_name(result, m.row, lang) for m in result.matches]
    n = op.position or 1
    printed = not (message or op.listed or op.from_end or op.column or op.filter_value) and result.rank_column
    plain = not (op.column or op.from_end)  # the N-th as listed: no order to name
    if lang == "ja":
        place = "最下位" if op.from_end and n == 1 else f"下から{n}番目" if op.from_end else f"{n}番目"
        place = f"{n}位" if printed else place if plain else f"{place}（{_order_words(result, lang)}）"
        lines += [f"{place}は{'、'.join(names)}です。"] if names else []
    else:
        place = "Last" if op.from_end and n == 1 else f"{n} from the bottom" if op.from_end else f"No. {n}"
        place = (
            f"Rank {n}"
            if printed
            else f"{place} in the list"
            if plain
            else f"{place} ({_order_words(result, lang)})"
        )
        lines += [f"{place}: {', '.join(names)}."] if names else []
    return lines + _details(result, result.matches, lang, result.order_column)


def standing_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """'東京は中央値の高い順で7件中7番目です。' then the row: a place the figures decide."""
    if not result.matches:
        return [_no_row(result, lang)]
    order, total = _order_words(result, lang), counter(result, result.count or 0, lang)
    heads = [
        f"{row_name(result, m.row, lang)}は{order}で{total}中{place}番目です。"
        if lang == "ja"
        else f"{row_name(result, m.row, lang)} is No. {place} of {total} ({order})."
        for m, place in zip(result.matches, result.places, strict=True)
    ]
    return heads + _details(result, result.matches, lang, result.order_column)


def _place_text(result: TableOperationResult, match: RowMatch, place: int, lang: Lang) -> str:
    """The printed rank when rows are in rank order, else the place in the order used."""
    by_rank = result.rank_column and result.order_column in (None, result.rank_column)
    if by_rank and match.rank is not None:
        return f"{match.rank}位" if lang == "ja" else f"rank {match.rank}"
    return f"{place}番目" if lang == "ja" else f"No. {place}"


def neighbor_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """'Paidy（6位）の次は WHILL（7位）です。' then the neighbour's row."""
    op, anchor = result.operation, result.anchor
    if anchor is None:
        return []
    anchor_text = (
        f"{row_name(result, anchor.row, lang)}（{_place_text(result, anchor, result.places[-1], lang)}）"
    )
    message = result.message_ja if lang == "ja" else result.message_en
    if message:
        return [message if lang == "ja" else message.replace("（", " (").replace("）", ")")]
    picked = [
        f"{row_name(result, m.row, lang)}（{_place_text(result, m, place, lang)}）"
        for m, place in zip(result.matches, result.places, strict=False)
    ]
    previous = op.direction == "previous"
    if lang == "ja":
        head = f"{anchor_text}の{'前' if previous else '次'}は{'、'.join(picked)}です。"
    else:
        head = f"{'Right before' if previous else 'Right after'} {anchor_text} comes {', '.join(picked)}."
        head = head.replace("（", " (").replace("）", ")")
    return [head, *_details(result, result.matches, lang, result.order_column)]


def sort_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """'中央値の高い順（上位3）:' then the rows in that order, numbered by place unless they show a rank."""
    op = result.operation
    order = _order_words(result, lang)
    if lang == "ja":
        head = f"{order}（上位{op.top_n}）:" if op.top_n else f"{order}:"
    else:
        head = f"Top {op.top_n} by {order}:" if op.top_n else f"{order[0].upper()}{order[1:]}:"
    by_rank = result.rank_column and result.order_column in (None, result.rank_column)
    rows = [
        row_details(result, m, lang, result.order_column)
        if by_rank
        else f"{place}. {row_details(result, m, lang, result.order_column)}"
        for m, place in zip(result.matches, result.places, strict=False)
    ]
    return [head, *rows]


def filter_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """The rows whose column holds the value, with their count."""
    op = result.operation
    column = _column(result, op.filter_column)
    label = _label(column, lang) if column else ""
    message = result.message_ja if lang == "ja" else result.message_en
    if not result.matches:
        return [message or ""]
    amount = counter(result, result.count or len(result.matches), lang)
    if lang == "ja":
        head = f"{label}が「{_filter_shown(result, lang)}」に当てはまるのは{amount}です。"
    else:
        head = f"{amount.capitalize()} with {label} matching '{_filter_shown(result, lang)}'."
    return [head, *(row_details(result, m, lang, op.filter_column) for m in result.matches)]


def _no_row(result: TableOperationResult, lang: Lang) -> str:
    entity = result.operation.entity or ""
    return f"「{entity}」に一致する行はありません。" if lang == "ja" else f"No row matches '{entity}'."


def lookup_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """The named rows; with a column asked about, 'name — label: value' first."""
    op = result.operation
    if not result.matches:
        return [_no_row(result, lang)]
    column = _column(result, op.column)
    lines = []
    if column is not None:
        values = [
            f"{row_name(result, m.row, lang)} — {_label(column, lang)}: {cell_text(column, m.row, lang)}"
            for m in result.matches
        ]
        lines.append(("、" if lang == "ja" else "; ").join(values))
    skip = {result.entity_column, result.rank_column, op.column}
    rest = [
        m
        for m in result.matches
        if column is None
        or any(m.row.display.get(c.name, "") not in ("", "-") for c in result.columns if c.name not in skip)
    ]
    return lines + [row_details(result, m, lang, op.column) for m in rest]


def answer_lines(result: TableOperationResult, lang: Lang) -> list[str]:
    """The direct answer first, then only the rows the operation used."""
    renderers = {
        "lookup": lookup_lines,
        "rank_position": position_lines,
        "standing": standing_lines,
        "neighbor": neighbor_lines,
        "sort": sort_lines,
        "change": change_lines,
        "count": count_lines,
        "filter": filter_lines,
    }
    return [line for line in renderers[result.operation.op](result, lang) if line]


def format_operation_text(result: TableOperationResult, lang: Lang = "ja") -> str:
    """The whole result for a model: title, slide, answer, rows (with how they matched), notes, source."""
    title = result.title_ja if lang == "ja" else result.title_en
    slide = "スライド" if lang == "ja" else "Slide"
    op = result.operation
    args = op.model_dump(exclude_none=True, exclude_defaults=True, exclude={"table"})
    lines = [title, f"  [{result.table_id}] {slide}: {result.slide_title}", f"  operation: {op.op} {args}"]
    lines += [f"  {line}" for line in answer_lines(result, lang)]
    if result.candidates:
        names = ", ".join(c.name for c in result.candidates)
        lines.append(f"  {'近い候補' if lang == 'ja' else 'Closest'}: {names}")
    lines.append(f"  {'使った行' if lang == 'ja' else 'Rows used'}:")
    lines += [f"  ・{format_row_text(result.columns, m, lang)}" for m in result.matches[:40]]
    lines += [f"  ※{note}" for note in result.notes]
    lines.append(f"  {result.source}")
    return "\n".join(lines)


def _ranked_name(result: TableOperationResult, row: TableRow, lang: Lang) -> str:
    name = row_name(result, row, lang)
    rank = row.display.get(result.rank_column or "", "") if result.rank_column else ""
    if not rank or rank == "-":
        return name
    return f"{name}（{rank}位）" if lang == "ja" else f"{name} (#{rank})"
