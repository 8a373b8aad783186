"""Rules that recover a deck's slides (title, chapter, page, line range) from its flattened PDF text.

Pure: takes the text, returns `Slide` models. The rules are generic to Japanese slide decks flattened by a PDF
extractor (numbered series titles ①②…, full-width chapter numbers, printed page numbers); what only one deck
needs (titles that carry no number) comes in as `TitleRules`, which a document bundle supplies as data.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, Field

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# A numbered slide title: series name + circled number, e.g. "…の現状と課題④".
_NUMBERED_TITLE = re.compile(rf"^(?P<series>[^\s{CIRCLED}].{{7,60}}?)\s*(?P<num>[{CIRCLED}])$")
# Chapter headings on table-of-contents slides: a full-width number, a full-width stop, the heading.
_CHAPTER = re.compile(r"^[１２３４５６７８９]．\S.{4,40}$")
_LONE_NUMBER = re.compile(r"^\d{1,2}$")
_TRAILING_NUMBER = re.compile(r"\s(\d{1,2})$")
_LEADING_NUMBER = re.compile(r"^(\d{1,2})(?:出典|（出典）)")  # a page number glued to the source line
_NUMERIC_ONLY = re.compile(r"^[\d\s,.%％()（）\-+~～]*$")
_SUBTITLE_MAX = 70
_NOT_SUBTITLE_START = "⚫•・※（(【➢◼✓⇒-*"


class TitleRules(BaseModel):
    """Deck-specific title rules, kept as data in the document bundle (`bundle.yaml`: `slide_titles`)."""

    unnumbered: list[str] = Field(
        default_factory=list,
        description="Regular expressions (matched against a whole stripped line) for slide titles that carry "
        "no series number; a deck names its few such titles here.",
    )


class Slide(BaseModel):
    """One slide (page) of the deck recovered from the flattened text."""

    number: int = Field(description="1-based slide/page number in deck order (the cover is 1).")
    title: str = Field(description="Slide title as printed, series number (①②…) included.")
    chapter: str | None = Field(None, description="Chapter heading, e.g. ２．<chapter title>.")
    heading: str | None = Field(None, description="Subtitle printed next to the title.")
    page: int | None = Field(None, description="Printed page number when the text carries one.")
    line_start: int = Field(description="First source line (1-based).")
    line_end: int = Field(description="Last source line (inclusive).")
    text: str = Field(description="The slide's original lines (title included), blank runs folded.")
    inferred_title: bool = Field(False, description="True when the title line is missing and was inferred.")
    source_lines: list[int] = Field(
        default_factory=list, description="1-based source line of each text line."
    )


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


def _is_anchor(line: str, unnumbered: tuple[re.Pattern[str], ...]) -> str | None:
    """Return the kind of heading a stripped line is: 'title', 'chapter' or None."""
    if not line or "。" in line:
        return None
    if _CHAPTER.match(line):
        return "chapter"
    if _NUMBERED_TITLE.match(line) or any(p.fullmatch(line) for p in unnumbered):
        return "title"
    return None


def _blanks_before(lines: list[str], index: int) -> tuple[int, int]:
    """(number of blank lines right before `index`, index of the text line before them or -1)."""
    blanks, j = 0, index - 1
    while j >= 0 and not lines[j].strip():
        blanks += 1
        j -= 1
    return blanks, j


def _is_page_start(lines: list[str], index: int) -> bool:
    """Whether line `index` (0-based) looks like the first line of a new PDF page.

    The flattening left two traces of page starts: three or more blank lines before a page, and a single
    leading space on a page's first line. Chart labels also carry leading spaces, so numeric or very short
    labels and list items starting with a digit are not taken as page starts.
    """
    raw = lines[index]
    stripped = raw.strip()
    if not stripped:
        return False
    blanks, j = _blanks_before(lines, index)
    if blanks >= 3 and j >= 0:
        return True
    if raw.startswith(" ") and not raw.startswith("  "):
        if _NUMERIC_ONLY.match(stripped):
            return len(stripped.split()) >= 5  # a header row of years across the page, not an axis label
        return len(stripped) >= 6 and not stripped[0].isdigit()
    return False


def _is_strong_page_start(lines: list[str], index: int) -> bool:
    """A page start marked by a run of blank lines (leading spaces also occur inside pages)."""
    blanks, j = _blanks_before(lines, index)
    return blanks >= 3 and j >= 0 and bool(lines[index].strip())


def _series_of(title: str) -> tuple[str, int] | None:
    match = _NUMBERED_TITLE.match(title)
    if not match:
        return None
    return match.group("series").strip(), CIRCLED.index(match.group("num")) + 1


def _skips_one(title: str, next_title: str) -> bool:
    """Whether two titles of the same series skip exactly one number (⑰ then ⑲)."""
    a, b = _series_of(title), _series_of(next_title)
    return bool(a and b and a[0] == b[0] and b[1] == a[1] + 2)


def _subtitle_after(lines: list[str], index: int, anchors: set[int]) -> int | None:
    """Index of a subtitle line right after the title at `index` (short, no bullet), if any."""
    j = index + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines) or j in anchors:
        return None
    text = lines[j].strip()
    if len(text) > _SUBTITLE_MAX or text[0] in _NOT_SUBTITLE_START or text[0].isdigit():
        return None
    if "。" in text or "は、" in text or text.startswith("http"):
        return None  # a sentence or a link, not a subtitle
    if _is_page_start(lines, j):
        return None  # a page break separates them, so it is the next page's text
    return j


def _has_text_between(lines: list[str], start: int, end: int) -> bool:
    return any(len(lines[i].strip()) > 1 for i in range(start, end))


def _title_trails_body(lines: list[str], index: int, anchors: set[int], body_before: bool) -> bool:
    """Whether the title at `index` comes AFTER its slide's body.

    It does when some text lies between it and the previous title, and what follows it (past an
    optional subtitle and stray one-character marks) is another title or the start of a new page.
    """
    if not body_before:
        return False
    j = index + 1
    subtitle = _subtitle_after(lines, index, anchors)
    if subtitle is not None:
        j = subtitle + 1
    while j < len(lines) and (len(lines[j].strip()) <= 1 or lines[j].strip().startswith("http")):
        j += 1  # stray marks and footnote links do not start a body
    if j >= len(lines):
        return True
    return j in anchors or _is_page_start(lines, j)


def _page_number(lines: list[str], start: int, end: int, expected: int) -> int | None:
    """The printed page number found in lines[start:end+1] when it equals the expected slide number."""
    for raw in lines[start : end + 1]:
        text = raw.strip()
        for pattern in (_LONE_NUMBER, _TRAILING_NUMBER, _LEADING_NUMBER):
            match = pattern.search(text)
            if match and int(match.group(1) if pattern is not _LONE_NUMBER else match.group(0)) == expected:
                return expected
    return None


def _fold(lines: list[str]) -> str:
    """Join lines, dropping blank lines (the PDF flattening doubles them)."""
    return "\n".join(line.strip() for line in lines if line.strip())


class _Layout:
    """The anchors (titles and chapter headings) of a text and which slide each line belongs to."""

    def __init__(self, lines: list[str], patterns: tuple[re.Pattern[str], ...]) -> None:
        self.lines = lines
        self.kinds = {i: kind for i, raw in enumerate(lines) if (kind := _is_anchor(raw.strip(), patterns))}
        self.ordered = sorted(self.kinds)
        self.titles = [lines[i].strip() for i in self.ordered]
        anchor_set = set(self.kinds)
        self.subtitles = {i: _subtitle_after(lines, i, anchor_set) for i in self.ordered}
        self.trails: dict[int, bool] = {}
        for pos, i in enumerate(self.ordered):
            prev = self.ordered[pos - 1] if pos else None
            prev_end = 0 if prev is None else (self.subtitles[prev] or prev) + 1
            self.trails[i] = _title_trails_body(lines, i, anchor_set, _has_text_between(lines, prev_end, i))
        # owner[i] = position in `ordered` of the slide a line belongs to; -1 = the cover, -2 = untitled page.
        self.owner = [-1] * len(lines)
        self.extra: list[tuple[int, int, int]] = []  # (after anchor position, first line, last line)
        # The cover runs to its page number "1"; the text until the first title is slide 2's body.
        first = self.ordered[0]
        self.cover_end = next((i for i in range(first) if lines[i].strip() == "1"), -1)
        for i in range(self.cover_end + 1, first):
            self.owner[i] = 0
        for pos in range(len(self.ordered)):
            self._assign(pos)

    def _assign(self, pos: int) -> None:
        """Give the text after anchor `pos` to it, to the next anchor, or to an untitled page between."""
        lines, start = self.lines, self.ordered[pos]
        end = self.ordered[pos + 1] if pos + 1 < len(self.ordered) else len(lines)
        self.owner[start] = pos
        body_from = start + 1
        subtitle = self.subtitles[start]
        if subtitle is not None:
            for i in range(start + 1, subtitle + 1):
                self.owner[i] = pos
            body_from = subtitle + 1
        region = [i for i in range(body_from, end) if lines[i].strip()]
        if not region:
            return
        breaks = [i for i in region if _is_page_start(lines, i)]
        nxt = pos + 1 if pos + 1 < len(self.ordered) else None
        next_trails = nxt is not None and self.trails[self.ordered[nxt]]
        if self.trails[start]:
            self._assign_after_trailing(pos, nxt, region, breaks, end, next_trails)
            return
        if next_trails:
            split = next((b for b in breaks if b != region[0]), None)
        else:
            # Both titles lead their bodies: only a blank-line page break means a page sits between.
            split = next((b for b in region[1:] if _is_strong_page_start(lines, b)), None)
            if split is None and nxt is not None and not _is_page_start(lines, end):
                # … unless the next title sits inside its page: that page began at the last page start
                # before it (the PDF printed the top of the page, then its title, then the rest)
                split = next((b for b in reversed(breaks) if b != region[0]), None)
        for i in region:
            self.owner[i] = pos if (split is None or i < split or nxt is None) else nxt

    def _assign_after_trailing(
        self, pos: int, nxt: int | None, region: list[int], breaks: list[int], end: int, next_trails: bool
    ) -> None:
        """The body came before a trailing title: what follows is the next slide's (or an untitled page's)."""
        inner = [b for b in breaks if b != region[0]]
        if nxt is None:
            for i in region:
                self.owner[i] = pos
        elif next_trails and inner and _skips_one(self.titles[pos], self.titles[nxt]):
            # Slides open with a ⚫ lead sentence, so prefer such a page start as the split.
            inner = [b for b in inner if self.lines[b].strip().startswith("⚫")] or inner
            # Two pages between two trailing titles: the first has lost its title line.
            self.extra.append((pos, region[0], inner[0] - 1))
            for i in range(region[0], inner[0]):
                self.owner[i] = -2
            for i in range(inner[0], end):
                self.owner[i] = nxt
        else:
            for i in region:
                self.owner[i] = nxt

    def raw_slides(self) -> list[dict]:
        """Slides as dicts (title, member lines, chapter, heading, inferred), in order, the cover first."""
        lines = self.lines
        cover = list(range(0, self.cover_end + 1))
        raw = [{"title": _fold([lines[i] for i in cover]).replace("\n", " "), "lines": cover}]
        first = self.ordered[0]
        intro = [i for i in range(self.cover_end + 1, first) if self.owner[i] == 0]
        members_of: dict[int, list[int]] = {}
        for i, owner in enumerate(self.owner):
            members_of.setdefault(owner, []).append(i)
        chapter: str | None = None
        for pos, start in enumerate(self.ordered):
            members = members_of.get(pos, [])
            if pos == 0:
                members = sorted(set(members) | set(intro))
            if self.kinds[start] == "chapter":
                chapter = self.titles[pos]
            subtitle = self.subtitles[start]
            heading = lines[subtitle].strip() if subtitle is not None else None
            raw.append({"title": self.titles[pos], "lines": members, "chapter": chapter, "heading": heading})
            for after, first_line, last_line in self.extra:
                if after == pos:
                    raw.append(self._inferred(pos, first_line, last_line, chapter))
        return raw

    def _inferred(self, pos: int, first: int, last: int, chapter: str | None) -> dict:
        """The untitled page before anchor pos+1, titled from its series (⑲ -> ⑱)."""
        nxt_title = self.titles[pos + 1]
        series = _series_of(nxt_title)
        guessed = (
            f"{series[0]}{CIRCLED[series[1] - 2]}" if series and series[1] >= 2 else f"（{nxt_title}の前）"
        )
        return {
            "title": guessed,
            "lines": list(range(first, last + 1)),
            "chapter": chapter,
            "heading": None,
            "inferred": True,
        }


def _untitled(lines: list[str]) -> list[Slide]:
    """A text without any title: one slide, titled by its first line."""
    body = [i for i, raw in enumerate(lines) if raw.strip()]
    if not body:
        return []
    return [
        Slide(
            number=1,
            title=lines[body[0]].strip(),
            line_start=body[0] + 1,
            line_end=body[-1] + 1,
            text=_fold(lines),
            source_lines=[i + 1 for i in body],
        )
    ]


def parse_deck(text: str, rules: TitleRules | None = None) -> list[Slide]:
    """Split the deck text into slides in deck order.

    Args:
        text: The whole flattened deck text.
        rules: The deck's own title rules (titles without a series number); none by default.

    Returns:
        Slides numbered from 1 (the cover), each with its title, chapter, subtitle, printed page (when
        present), the source line range and the original lines.
    """
    lines = text.split("\n")
    patterns = _compiled(tuple((rules or TitleRules()).unnumbered))
    if not any(_is_anchor(raw.strip(), patterns) for raw in lines):
        return _untitled(lines)
    layout = _Layout(lines, patterns)
    slides: list[Slide] = []
    kept = [item for item in layout.raw_slides() if any(lines[i].strip() for i in item["lines"])]
    for number, item in enumerate(kept, start=1):
        members = sorted(i for i in item["lines"] if lines[i].strip())
        slides.append(
            Slide(
                number=number,
                title=item["title"],
                chapter=item.get("chapter"),
                heading=item.get("heading"),
                page=_page_number(lines, members[0], members[-1], number),
                line_start=members[0] + 1,
                line_end=members[-1] + 1,
                text=_fold([lines[i] for i in members]),
                inferred_title=item.get("inferred", False),
                source_lines=[i + 1 for i in members],
            )
        )
    return slides
