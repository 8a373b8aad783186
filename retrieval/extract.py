"""Extractive helpers: split slide text into quotable units and score them against a question's terms."""

import re
from dataclasses import dataclass
from functools import lru_cache

from retrieval.intent import QuestionIntent, fold

_BULLET_START = re.compile(r"^\s*(?:[⚫•◼➢✓※・■□●○◆◇▶►→⇒【\-]|[\u2460-\u2473]|\(\d+\)|（\d+）|\d+[.．)）]\s)")
_SENTENCE_END = re.compile(r"[。．.!！?？）)」』]$")
_RANK_ROW = re.compile(r"^\s*(?:\d+|（\d+）|\(\d+\))\s")
MAX_UNIT_CHARS = 220


@dataclass(frozen=True)
class Unit:
    """A quotable piece of a slide: one bullet or sentence, wrapped lines re-joined."""

    text: str
    line_index: int


def split_units(text: str) -> list[Unit]:
    """Split slide text into quotable units (cached: slides are few and fixed)."""
    return list(_split_units(text))


@lru_cache(maxsize=512)
def _split_units(text: str) -> tuple[Unit, ...]:
    """Split text into units, re-joining lines the PDF wrapped in the middle of a sentence.

    A line is continued by the next when it is long (a wrapped line, not a table cell), does not end a
    sentence, and the next line does not start a new bullet or table row.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    units: list[Unit] = []
    current = ""
    previous_line = ""
    start = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            if current:
                units.append(Unit(current, start))
                current = ""
            continue
        if not current:
            current, start, previous_line = line, index, line
            continue
        continues = (
            len(previous_line) >= 16
            and not _SENTENCE_END.search(current)
            and not _BULLET_START.match(line)
            and not _RANK_ROW.match(line)
            and len(current) + len(line) <= MAX_UNIT_CHARS
        )
        if continues:
            joiner = " " if re.search(r"[A-Za-z0-9]$", current) and re.match(r"[A-Za-z0-9]", line) else ""
            current = f"{current}{joiner}{line}"
        else:
            units.append(Unit(current, start))
            current, start = line, index
        previous_line = line
    if current:
        units.append(Unit(current, start))
    return tuple(units)


def term_weight(term: str) -> float:
    """Weight a term by its length: long compounds say more than two-character words.

    Lower-case English words (leftovers of an English question) are weak hints, whatever their length.
    """
    if term.isascii() and term.islower():
        return 2.0
    return float(min(len(term), 8))


@lru_cache(maxsize=4096)
def _term_bigrams(folded_term: str) -> frozenset[str]:
    return frozenset(folded_term[i : i + 2] for i in range(len(folded_term) - 1))


def term_match(term: str, folded_text: str) -> float:
    """Return 1.0 when the term occurs, else the share of its character bigrams that occur (long terms only)."""
    folded_term = fold(term)
    if not folded_term:
        return 0.0
    if folded_term in folded_text:
        return 1.0
    if len(folded_term) == 3:
        # 予算額 vs 予算: a three-character word whose two-character stem occurs counts half.
        return 0.5 if folded_term[:2] in folded_text else 0.0
    if len(folded_term) < 4:
        return 0.0
    grams = _term_bigrams(folded_term)
    hits = sum(1 for gram in grams if gram in folded_text)
    share = hits / len(grams)
    return share * 0.8 if share >= 0.5 else 0.0


def coverage(text: str, terms: list[str]) -> float:
    """Share (0..1) of the question's term weight that a text covers."""
    if not terms:
        return 0.0
    folded_text = fold(text)
    total = sum(term_weight(term) for term in terms)
    return sum(term_weight(term) * term_match(term, folded_text) for term in terms) / total


_NUMBER = re.compile(r"\d")
_SOURCE = re.compile(r"[（(](?:出典|出所|資料)[）)]|^出典")
_WANTS_NUMBER = re.compile(
    r"いくら|何[社人位件%％年倍円]|何パーセント|どれくらい|割合|比率|率|額|数|how much|how many|rate|share|amount|"
    r"number|percent|%|average|median|when|いつ|年",
    re.I,
)


def score_unit(unit: str, intent: QuestionIntent) -> float:
    """Score a unit for quoting: term coverage, entities, and digits when the question asks for a figure."""
    folded = fold(unit)
    terms = intent.terms + intent.entities
    score = sum(term_weight(term) * term_match(term, folded) for term in terms)
    score += sum(4.0 for entity in intent.entities if fold(entity) in folded)
    if _WANTS_NUMBER.search(intent.question) and _NUMBER.search(unit):
        score += 2.0
    if len(unit) < 4:
        score *= 0.3
    if _SOURCE.search(unit) and not re.search(r"出典|出所|source", intent.question, re.I):
        score *= 0.5
    return score


def best_units(text: str, intent: QuestionIntent, *, limit: int = 4, floor: float = 0.45) -> list[Unit]:
    """Pick the units of a slide that best answer the question, in deck order.

    Args:
        text: The slide (or chunk) text.
        intent: The analysed question.
        limit: Most units to return.
        floor: Keep units scoring at least this share of the best unit's score.
    """
    units = split_units(text)
    terms = intent.terms + [entity for entity in intent.entities if entity not in intent.terms] + intent.years
    weights = [
        max(term_weight(term), 5.0) if term in intent.entities else term_weight(term) for term in terms
    ]
    folded_units = [fold(unit.text) for unit in units]
    matches = [[term_match(term, folded) for term in terms] for folded in folded_units]
    base = [score_unit(unit.text, intent) for unit in units]
    if not units or max(base, default=0) <= 0:
        return []
    best = max(base)
    covered = [0.0] * len(terms)
    chosen: list[int] = []
    # Greedy cover: a unit that adds terms not yet quoted beats one that repeats them.
    while len(chosen) < limit:
        gains = []
        for index in range(len(units)):
            if index in chosen or base[index] <= 0:
                gains.append(-1.0)
                continue
            fresh = sum(weights[t] * max(0.0, matches[index][t] - covered[t]) for t in range(len(terms)))
            gains.append(fresh + 0.25 * base[index])
        pick = max(range(len(units)), key=lambda i: gains[i])
        fresh_gain = gains[pick] - 0.25 * base[pick]
        if gains[pick] < 0 or (fresh_gain <= 0.5 and base[pick] < best * floor) or base[pick] < best * 0.15:
            break
        chosen.append(pick)
        covered = [max(covered[t], matches[pick][t]) for t in range(len(terms))]
    if _WANTS_NUMBER.search(intent.question):
        # A label line without figures is usually followed by the line that holds them (flattened charts).
        for index in list(chosen):
            if not _NUMBER.search(units[index].text):
                neighbours = [*range(index + 1, min(index + 3, len(units))), index - 1]
                for neighbour in neighbours:
                    if 0 <= neighbour and _NUMBER.search(units[neighbour].text) and neighbour not in chosen:
                        chosen.append(neighbour)
                        break
    return [units[index] for index in sorted(chosen)]


_KEY_POINT = re.compile(r"^\s*(?:[⚫•◼➢■●◆▶►⇒]|[\u2460-\u2473])")


def key_points(text: str, *, limit: int = 8) -> list[str]:
    """Choose a slide's key points for an extractive summary: bullets first, then informative sentences."""
    units = [unit.text for unit in split_units(text)]
    bullets = [unit for unit in units if _KEY_POINT.match(unit) and len(unit) >= 8]
    if len(bullets) < 3:
        informative = [
            unit for unit in units if len(unit) >= 14 and not unit.startswith(("（出典", "(出典", "出典"))
        ]
        bullets += [unit for unit in informative if unit not in bullets]
        order = {unit: index for index, unit in enumerate(units)}
        bullets.sort(key=lambda unit: order.get(unit, 0))
    return bullets[:limit]
