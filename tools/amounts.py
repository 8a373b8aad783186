"""Yen amounts as people type them (12億, 3,000万円, １２億, 1億2000万円, ¥1.2bn), parsed exactly to yen."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field

from tools.errors import ToolInputError

# Japanese unit words (longest first so 百万 wins over 万). 百万/千万 are "million"/"ten million".
JA_UNITS: dict[str, int] = {
    "千億": 10**11,
    "百億": 10**10,
    "十億": 10**9,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "兆": 10**12,
    "億": 10**8,
    "万": 10**4,
    "千": 10**3,
}
# English suffixes (case-insensitive). "m" is million, as in "500m" / "¥500m".
EN_UNITS: dict[str, int] = {
    "trillion": 10**12,
    "tn": 10**12,
    "t": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "mil": 10**6,
    "mm": 10**6,
    "m": 10**6,
    "thousand": 10**3,
    "k": 10**3,
}
# The scale words of running text (no one-letter suffixes: "5 m" in prose is not five million). One table for
# the grounding guard and the translation check, so they agree on what 301億 and "30.1 billion" mean.
EN_SCALE_WORDS: dict[str, int] = {
    w: f for w, f in EN_UNITS.items() if w in ("thousand", "million", "billion", "trillion", "bn", "mn")
}
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_JA_UNIT_RE = "|".join(sorted(JA_UNITS, key=len, reverse=True))
_EN_UNIT_RE = "|".join(sorted(EN_UNITS, key=len, reverse=True))
_YEN_WORDS = ("円", "yen", "jpy", "¥", "￥", "\\")
_NEGATIVE_MARKS = ("-", "−", "▲", "△", "ー", "‐", "–", "—")
_JA_PART = re.compile(rf"({_NUMBER})({_JA_UNIT_RE})?")
_EN_AMOUNT = re.compile(rf"^({_NUMBER})({_EN_UNIT_RE})?$", re.IGNORECASE)


def _normalise(text: str) -> str:
    """NFKC (full-width digits, ，) and drop spaces, yen words and the thousands separators' look-alikes."""
    value = unicodedata.normalize("NFKC", text).strip()
    value = value.replace("，", ",")
    value = re.sub(r"\s+", "", value)
    return value


def _error(field: str, raw: str, why_ja: str, why_en: str) -> ToolInputError:
    return AmountError(
        field,
        f"「{field}」の金額「{raw}」を読み取れません。{why_ja}例: 12億、1,200,000,000、3,000万円",
        f"Cannot read the amount '{raw}' for '{field}'. {why_en} Examples: 12億, 1,200,000,000, ¥1.2bn",
    )


class AmountError(ToolInputError):
    """An amount that cannot be read as a non-negative whole number of yen (a ValueError)."""


def _strip_yen_words(value: str) -> str:
    lowered = value.lower()
    for word in ("jpy", "yen"):
        if lowered.endswith(word):
            value, lowered = value[: -len(word)], lowered[: -len(word)]
        if lowered.startswith(word):
            value, lowered = value[len(word) :], lowered[len(word) :]
    value = value.removesuffix("円").removeprefix("¥").removeprefix("￥").removeprefix("\\")
    return value


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def _parse_japanese(value: str) -> Decimal | None:
    """Sum of number+unit parts in falling unit order (1億2000万 = 120,000,000); None if not that form."""
    position, total, last_unit = 0, Decimal(0), None
    while position < len(value):
        match = _JA_PART.match(value, position)
        if not match or match.end() == position:
            return None
        number, unit = match.group(1), match.group(2)
        multiplier = JA_UNITS[unit] if unit else 1
        if last_unit is not None and multiplier >= last_unit:
            return None
        if unit is None and match.end() != len(value):
            return None
        total += _decimal(number) * multiplier
        last_unit = multiplier
        position = match.end()
    return total if last_unit is not None else None


def parse_amount(text: str | int, *, field: str) -> int:
    """Parse one yen amount as people type it.

    Accepted: ``1200000000``, ``1,200,000,000``, ``12億``, ``12億円``, ``1.2兆``, ``3,000万円``, ``１２億``
    (full width), ``120百万円``, ``1億2000万円``, ``¥1.2bn``, ``1.2 billion``, ``500m`` (million), ``3k``.

    Args:
        text: the amount as typed, or an int already in yen.
        field: the input field name, used in the error message.

    Returns:
        The amount in whole yen.

    Raises:
        AmountError: empty, non-numeric, negative, or not a whole number of yen.
    """
    if isinstance(text, bool):
        raise _error(field, str(text), "数値を入力してください。", "Give a number.")
    if isinstance(text, int):
        if text < 0:
            raise AmountError(
                field,
                f"「{field}」に負の金額（{text:,}円）は指定できません。",
                f"'{field}' cannot be negative ({text:,} yen).",
            )
        return text
    if isinstance(text, float | Decimal):
        text = format(Decimal(str(text)), "f")
    if not isinstance(text, str):
        raise _error(
            field, repr(text), "文字列または整数で指定してください。", "Give a string or an integer."
        )
    raw = text
    value = _normalise(text)
    if not value:
        raise AmountError(
            field, f"「{field}」の金額が空です。", f"'{field}' is empty; give an amount in yen."
        )
    if value.startswith(_NEGATIVE_MARKS) or value.startswith("(") and value.endswith(")"):
        raise AmountError(
            field,
            f"「{field}」に負の金額（{raw}）は指定できません。",
            f"'{field}' cannot be negative ('{raw}').",
        )
    value = _strip_yen_words(value.removeprefix("+"))
    if not value:
        raise _error(field, raw, "数値がありません。", "There is no number.")
    amount: Decimal | None
    try:
        english = _EN_AMOUNT.match(value)
        if english:
            unit = (english.group(2) or "").lower()
            amount = _decimal(english.group(1)) * (EN_UNITS[unit] if unit else 1)
        else:
            amount = _parse_japanese(value)
    except InvalidOperation:
        amount = None
    if amount is None:
        raise _error(field, raw, "数字と単位（兆・億・万・円）で入力してください。", "Use digits and a unit.")
    if amount != amount.to_integral_value():
        raise _error(field, raw, "1円未満の端数があります。", "It is not a whole number of yen.")
    return int(amount)


class AmountSpan(BaseModel):
    """One yen amount found in free text."""

    start: int = Field(description="start offset in the original text")
    end: int = Field(description="end offset (exclusive) in the original text")
    text: str = Field(description="the amount as written")
    yen: int = Field(description="the amount in whole yen")


# An amount in running text: needs a yen marker, a Japanese large unit, an English unit with a yen
# marker, or comma grouping; so "前3事業年度", "10%" and "2025年" are not amounts.
_SPAN = re.compile(
    rf"(?P<prefix>(?:[¥￥]|JPY)\s?)?"
    rf"(?P<number>{_NUMBER})"
    rf"(?P<ja>(?:\s?(?:{_JA_UNIT_RE})(?:\d+(?:,\d{{3}})*(?:\.\d+)?)?)*)"
    rf"(?P<en>\s?(?:{_EN_UNIT_RE})\b)?"
    rf"(?P<suffix>\s?(?:円|yen\b|JPY\b))?",
    re.IGNORECASE,
)
_NOT_MONEY_AFTER = re.compile(
    r"^\s?(?:%|％|人|件|社|個|年|か月|ヶ月|カ月|倍|times|people|years?|pt|point)", re.I
)
# Another currency makes a figure not yen ("$100m", "1億ドル", "€5m"), whatever its unit.
_FOREIGN_BEFORE = re.compile(r"(?:[$€£]|US\$|USD|EUR|GBP|KRW|CNY)\s?$", re.I)
_FOREIGN_AFTER = re.compile(r"^\s?(?:ドル|ユーロ|ポンド|ウォン|元|dollars?|euros?|pounds?|USD|EUR|GBP)", re.I)


def find_amount_spans(text: str, *, bare_units: bool = False) -> list[AmountSpan]:
    """Yen amounts in a free-text question, in order of appearance.

    Args:
        text: the question (Japanese or English; full-width digits allowed).
        bare_units: also count English-unit figures without a yen marker ("75m", "3bn"); for callers that
            already know the text is about yen amounts (an R&D-credit question), where "m" is million.

    Returns:
        One AmountSpan per amount; offsets refer to the NFKC-normalised text (same length for digits).
    """
    normalised = unicodedata.normalize("NFKC", text).replace("，", ",")
    spans: list[AmountSpan] = []
    for match in _SPAN.finditer(normalised):
        prefix, number, ja, en, suffix = (
            match.group(name) or "" for name in ("prefix", "number", "ja", "en", "suffix")
        )
        if _NOT_MONEY_AFTER.match(normalised[match.end() :]):
            continue
        before = normalised[max(0, match.start() - 4) : match.start()]
        if _FOREIGN_BEFORE.search(before) or _FOREIGN_AFTER.match(normalised[match.end() :]):
            continue
        has_yen = bool(prefix.strip()) or bool(suffix.strip())
        has_ja = bool(ja.strip())
        has_en = bool(en.strip())
        grouped = "," in number and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", number) is not None
        if has_en and not has_yen and not bare_units:
            continue  # "3 m" in prose is too risky without a yen marker; "¥500m" / "500m yen" is fine
        if not (has_yen or has_ja or has_en or grouped):
            continue
        written = match.group(0).strip()
        try:
            yen = parse_amount(written, field="amount")
        except AmountError:
            continue
        spans.append(AmountSpan(start=match.start(), end=match.end(), text=written, yen=yen))
    return spans


def find_amounts(text: str) -> list[int]:
    """Yen amounts in a free-text question, in order (``"前期10億円、当期12億円"`` -> ``[10**9, 12*10**8]``).

    Args:
        text: the question.

    Returns:
        The amounts in whole yen.
    """
    return [span.yen for span in find_amount_spans(text)]
