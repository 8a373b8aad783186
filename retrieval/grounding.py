"""Numeric grounding guard: every number an answer states must appear in a tool result or a cited chunk."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tools.amounts import EN_SCALE_WORDS, JA_UNITS
from tools.text import has_japanese

# Circled digits (①..⑳) are list markers in the deck, not quantities; NFKC would turn them into plain digits.
_CIRCLED = re.compile("[\u2460-\u2473\u24ea\u2776-\u277f\u3251-\u325f\u32b1-\u32bf]")
_UNIT_FACTORS: dict[str, Decimal] = {w: Decimal(f) for w, f in {**JA_UNITS, **EN_SCALE_WORDS}.items()}
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.])"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<unit>" + "|".join(sorted(_UNIT_FACTORS, key=len, reverse=True)) + ")?"
)
# Identifier-like tokens (Q4, 5G, GX, H2) are names, not quantities.
_IDENTIFIER = re.compile(r"(?:[A-Za-z]+\d+[A-Za-z0-9]*|\d+[A-Za-z]+)(?![A-Za-z])")
_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")


@dataclass(frozen=True)
class NumberMention:
    """One number found in a text: the text as written and the values it can stand for."""

    text: str
    values: frozenset[Decimal]


def normalize_numeric_text(text: str) -> str:
    """Return `text` with full-width characters folded (NFKC) and circled list markers removed."""
    return unicodedata.normalize("NFKC", _CIRCLED.sub(" ", text))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _canonical(value: Decimal) -> Decimal:
    normalized = value.normalize()
    # One representation per value (1E+3 -> 1000) so set membership is exact.
    return Decimal(int(normalized)) if normalized == normalized.to_integral() else normalized


def extract_numbers(text: str) -> list[NumberMention]:
    """Find the numbers in `text` (full-width digits, commas, 億/兆/万, %, 位/th all normalised).

    Args:
        text: Any answer or evidence text, Japanese or English.

    Returns:
        One mention per number, with the literal value and, when a unit like 億 or million follows,
        the scaled value too.
    """
    normalized = _ORDINAL_SUFFIX.sub("", normalize_numeric_text(text))
    normalized = _IDENTIFIER.sub(lambda match: " " * len(match.group(0)), normalized)
    mentions: list[NumberMention] = []
    for match in _NUMBER.finditer(normalized):
        literal = _decimal(match.group("num"))
        if literal is None:
            continue
        values = {_canonical(literal)}
        unit = match.group("unit")
        if unit:
            values.add(_canonical(literal * _UNIT_FACTORS[unit]))
        mentions.append(NumberMention(text=match.group(0).strip(), values=frozenset(values)))
    return mentions


def evidence_values(evidence_texts: Iterable[str]) -> set[Decimal]:
    """Collect every value the evidence can ground, including ratios written as fractions (0.092 -> 9.2)."""
    values: set[Decimal] = set()
    for text in evidence_texts:
        for mention in extract_numbers(text):
            values |= mention.values
            for value in mention.values:
                if 0 < value < 1:
                    values.add(_canonical(value * 100))
    return values


def check_grounding(answer_text: str, evidence_texts: Iterable[str]) -> tuple[bool, list[str]]:
    """Check that every number in the answer appears in the evidence.

    Args:
        answer_text: The composed answer.
        evidence_texts: Tool results (as text) and the text of every cited chunk.

    Returns:
        `(grounded, ungrounded_numbers)`: grounded is True when the list is empty; the list holds each
        offending number as written in the answer, without duplicates, in order of appearance.
    """
    known = evidence_values(evidence_texts)
    ungrounded: list[str] = []
    for mention in extract_numbers(answer_text):
        if mention.values & known:
            continue
        if mention.text not in ungrounded:
            ungrounded.append(mention.text)
    return (not ungrounded, ungrounded)


def drop_ungrounded_sentences(answer_text: str, evidence_texts: Iterable[str]) -> tuple[str, list[str]]:
    """Remove each sentence that still states a number the evidence does not contain.

    Args:
        answer_text: The composed answer.
        evidence_texts: Tool results and cited chunk texts.

    Returns:
        `(clean_text, dropped_sentences)`.
    """
    known = evidence_values(list(evidence_texts))
    kept_lines: list[str] = []
    dropped: list[str] = []
    for line in answer_text.split("\n"):
        kept_parts: list[str] = []
        for sentence in re.split(r"(?<=[。！？!?])|(?<=\.)\s+(?=[A-Z])", line):
            if not sentence:
                continue
            if any(not (mention.values & known) for mention in extract_numbers(sentence)):
                dropped.append(sentence.strip())
            else:
                kept_parts.append(sentence)
        joined = (
            " ".join(part.strip() for part in kept_parts) if not has_japanese(line) else "".join(kept_parts)
        )
        if joined.strip() or not line.strip():
            kept_lines.append(joined)
    return ("\n".join(kept_lines).strip(), dropped)

