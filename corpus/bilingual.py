"""A document's English rendering, unit by unit, and the check that its numbers are the document's numbers.

The renderings live in a bundle's `units_en/*.jsonl` as {"id", "text_sha", "en"} (docs/bundle-format.md).
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tools.amounts import EN_SCALE_WORDS, JA_UNITS

_JA_SCALES = {word: Decimal(factor) for word, factor in JA_UNITS.items()}
_EN_SCALES = {word: Decimal(factor) for word, factor in EN_SCALE_WORDS.items()}
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_JA_SCALE_WORDS = "|".join(sorted(_JA_SCALES, key=len, reverse=True))  # longest first: 百万 before 万
_JA_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(" + _JA_SCALE_WORDS + ")?")
_JA_COMPOUND = re.compile(
    r"(?:(\d[\d,]*(?:\.\d+)?)兆)?(?:(\d[\d,]*(?:\.\d+)?)億)?(?:(\d[\d,]*(?:\.\d+)?)万)?"
)
_JA_ERA = re.compile(r"(令和|平成|昭和)\s*(\d{1,2}|元)")
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)(?:st|nd|rd|th)?\s*(" + "|".join(_EN_SCALES) + r")?\b",
    re.I,
)


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def japanese_numbers(text: str) -> set[Decimal]:
    """Every value a Japanese text states: figures as written and scaled (301億 -> 301 and 3.01e10),
    era years as Western years, circled numbers."""
    text = unicodedata.normalize("NFKC", text)
    values: set[Decimal] = set()
    for digits, scale in _JA_NUMBER.findall(text):
        value = _decimal(digits)
        if value is None:
            continue
        values.add(value)
        if scale:
            values.add(value * _JA_SCALES[scale])
            values.update(value * factor for factor in _JA_SCALES.values())  # 1.5兆 -> "1,500億" too
    for match in _JA_COMPOUND.finditer(text):  # 2億3,000万 -> 230,000,000
        groups = zip(match.groups(), ("兆", "億", "万"), strict=True)
        parts = [(_decimal(digits), scale) for digits, scale in groups if digits]
        if len(parts) >= 2 and all(value is not None for value, _ in parts):
            values.add(sum(value * _JA_SCALES[scale] for value, scale in parts))
    for era, year in _JA_ERA.findall(text):
        values.add(Decimal(_ERAS[era] + (1 if year == "元" else int(year))))
    values.update(Decimal(n) for ch, n in _CIRCLED.items() if ch in text)
    return values


def english_numbers(text: str) -> list[tuple[str, Decimal]]:
    """Each digit number an English text states, with its value after any scale word."""
    found = []
    for match in _EN_NUMBER.finditer(text):
        value = _decimal(match.group(1))
        if value is None:
            continue
        scale = (match.group(2) or "").lower()
        found.append((match.group(0).strip(), value * _EN_SCALES[scale] if scale else value))
    return found


def numbers_not_in_source(english: str, japanese: str) -> list[str]:
    """Numbers of `english` that equal no value `japanese` states, after unit scaling: translation defects."""
    allowed = japanese_numbers(japanese)
    return [written for written, value in english_numbers(english) if value not in allowed]


def read_units_en(directory: Path) -> dict[str, dict]:
    """All English renderings keyed by unit id (later files win on a repeated id)."""
    rows: dict[str, dict] = {}
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                row["_where"] = f"{path.name}:{number}"
                rows[row["id"]] = row
    return rows


def english_by_unit(directory: Path) -> dict[str, tuple[str, str]]:
    """Unit id -> (text_sha, English) of every rendering in `directory` (a bundle caches the result)."""
    return {unit_id: (row["text_sha"], row["en"]) for unit_id, row in read_units_en(directory).items()}
