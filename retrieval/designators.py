"""Numbered designators (第5次, 第6期, 目標1, Phase 2): which one a question names, whether the evidence gives
it, and which lines of a slide are under it."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# A numbered designator: 第5次 / 第3期 / 第2回, 目標1, Phase 2. The one a question names must be what the
# evidence gives, like its year: 「第5次選定」 is not answered by a list of 第1次–第4次.
_DESIGNATOR = re.compile(
    r"第\s*(?P<n1>\d+|[一二三四五六七八九十])\s*(?P<c1>次|期|回|弾|号)"
    r"|(?P<c2>目標|フェーズ|phase|round|stage|tranche)\s*(?P<n2>\d+)",
    re.I,
)


# An English ordinal before a designating noun ("the 6th mid- to long-term plan", "2nd round"): English
# does not say which Japanese counter it stands for, so it matches any (counter "*").
_ENGLISH_DESIGNATOR = re.compile(
    r"\b(?P<n>\d{1,2})(?:st|nd|rd|th)\b(?=(?:[\s/-]+[\w-]+){0,5}?[\s/-]+"
    r"(?:period|term|plan|round|selection|phase|batch|cohort|edition|goals?)s?\b)",
    re.I,
)
ANY_COUNTER = "*"


def _same_kind(given: tuple[str, str], asked: tuple[str, str]) -> bool:
    """Whether two designators count the same thing (an English ordinal matches any counter)."""
    return ANY_COUNTER in (given[0], asked[0]) or given[0] == asked[0]


def _same(given: tuple[str, str], asked: tuple[str, str]) -> bool:
    """Whether a designator of the evidence is the asked one."""
    return _same_kind(given, asked) and given[1] == asked[1]


def _number(text: str) -> str:
    return str(_KANJI_DIGITS[text]) if text in _KANJI_DIGITS else str(int(text))


def _designators(text: str) -> set[tuple[str, str]]:
    """(counter, number) of each designator in the text: ("次", "5"), ("目標", "1")."""
    found = set()
    text = unicodedata.normalize("NFKC", text)
    for match in _DESIGNATOR.finditer(text):
        counter = (match["c1"] or match["c2"]).lower()
        found.add((counter, _number(match["n1"] or match["n2"])))
    found |= {(ANY_COUNTER, str(int(match["n"]))) for match in _ENGLISH_DESIGNATOR.finditer(text)}
    return found


def without_designators(text: str) -> str:
    """The text with its designators blanked: 「第1次」, "the 6th plan" name a thing, not a list place."""
    text = unicodedata.normalize("NFKC", text)
    return _ENGLISH_DESIGNATOR.sub(" ", _DESIGNATOR.sub(" ", text))


def names_asked_designator(question: str, text: str) -> bool:
    """Whether the text names a designator the question names (「第3期計画」 for "the 3rd plan")."""
    asked = _designators(question)
    return any(_same(given, a) for given in _designators(text) for a in asked)


def asked_designators(question: str) -> bool:
    return bool(_designators(question))


def under_other_designator(question: str, lines: list[str]) -> list[bool]:
    """For each line, in order, whether it sits under another designator of the kind the question names: a
    line naming 第5期 starts that block, and the lines after it belong to it until the next one (「第６期…」).
    All False when the question names none, or the lines never give the one it names."""
    asked = _designators(question)
    if not asked:
        return [False] * len(lines)
    current: set[tuple[str, str]] = set()
    marks, gives_asked = [], False
    for line in lines:
        here = {d for d in _designators(line) if any(_same_kind(d, a) for a in asked)}
        if here:
            current = here
            gives_asked = gives_asked or any(_same(d, a) for d in here for a in asked)
        marks.append(bool(current) and not any(_same(d, a) for d in current for a in asked))
    return marks if gives_asked else [False] * len(lines)


def missing_designator(question: str, evidence: str) -> dict[str, Any] | None:
    """The question's designator the evidence does not give, when it gives others of the same kind
    (the evidence names 第1次–第4次, the question 第5次); None when it gives it, or none of its kind."""
    given = _designators(evidence)
    for counter, number in sorted(_designators(question)):
        kind = sorted({d for d in given if _same_kind(d, (counter, number))}, key=lambda d: int(d[1]))
        if kind and not any(_same(d, (counter, number)) for d in kind):
            shown = [_label(d) for d in kind if d[0] != ANY_COUNTER] or [_label(d) for d in kind]
            return {"asked": _label((counter, number)), "given": list(dict.fromkeys(shown))}
    return None


def _label(designator: tuple[str, str]) -> str:
    counter, number = designator
    if counter == ANY_COUNTER:
        return f"#{number}"
    return f"第{number}{counter}" if counter in "次期回弾号" else f"{counter}{number}"


def designator_heading(question: str, lines: list[str]) -> int | None:
    """The index of the first short line that names the designator the question asks about (its block's
    heading, 「第3期計画（2024年～2030年）」), or None."""
    if not asked_designators(question):
        return None
    return next(
        (
            index
            for index, line in enumerate(lines)
            if len(line.strip()) <= MAX_DESIGNATOR_HEADING and names_asked_designator(question, line)
        ),
        None,
    )


MAX_DESIGNATOR_HEADING = 30  # a heading, not a sentence that mentions the designator in passing
