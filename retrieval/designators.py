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


def _number(text: str) -> str:
    return str(_KANJI_DIGITS[text]) if text in _KANJI_DIGITS else str(int(text))


def _designators(text: str) -> set[tuple[str, str]]:
    """(counter, number) of each designator in the text: ("次", "5"), ("目標", "1")."""
    found = set()
    for match in _DESIGNATOR.finditer(unicodedata.normalize("NFKC", text)):
        counter = (match["c1"] or match["c2"]).lower()
        found.add((counter, _number(match["n1"] or match["n2"])))
    return found


def under_other_designator(question: str, lines: list[str]) -> list[bool]:
    """For each line, in order, whether it sits under another designator of the kind the question names: a
    line naming 第5期 starts that block, and the lines after it belong to it until the next one (「第６期…」).
    All False when the question names none, or the lines never give the one it names."""
    asked = _designators(question)
    if not asked:
        return [False] * len(lines)
    kinds = {counter for counter, _ in asked}
    current: set[tuple[str, str]] = set()
    marks, gives_asked = [], False
    for line in lines:
        here = {d for d in _designators(line) if d[0] in kinds}
        if here:
            current = here
            gives_asked = gives_asked or bool(here & asked)
        marks.append(bool(current) and not current & asked)
    return marks if gives_asked else [False] * len(lines)


def missing_designator(question: str, evidence: str) -> dict[str, Any] | None:
    """The question's designator the evidence does not give, when it gives others of the same kind
    (the evidence names 第1次–第4次, the question 第5次); None when it gives it, or none of its kind."""
    given = _designators(evidence)
    for counter, number in sorted(_designators(question)):
        same_kind = sorted({n for c, n in given if c == counter}, key=int)
        if same_kind and number not in same_kind:
            label = (lambda n: f"第{n}{counter}") if counter in "次期回弾号" else (lambda n: f"{counter}{n}")
            return {"asked": label(number), "given": [label(n) for n in same_kind]}
    return None
