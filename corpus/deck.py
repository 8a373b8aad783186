"""Rules that recover the deck's slides (title, chapter, page, line range) from its flattened PDF text.

Pure: takes the text, returns `Slide` models. The rules and the reasons for them are documented inline.
"""

import re

from pydantic import BaseModel, Field

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# A numbered slide title: series name + circled number, e.g. 我が国の研究開発インセンティブの現状と課題④.
_NUMBERED_TITLE = re.compile(rf"^(?P<series>[^\s{CIRCLED}].{{7,60}}?)\s*(?P<num>[{CIRCLED}])$")
# Slides whose title carries no number; the deck has only these few, so they are named here.
_UNNUMBERED_TITLES = (
    re.compile(r"^はじめに：.{4,40}$"),
    re.compile(r"^[“\"]科学とビジネスの近接化[”\"]の時代$"),
    re.compile(r"^科学技術の社会実装メカニズムとしてのスタートアップ$"),
)
# Chapter headings on the table-of-contents slides: １．イノベーションを巡る世界の動向.
_CHAPTER = re.compile(r"^[１２３４５６７８９]．\S.{4,40}$")
_LONE_NUMBER = re.compile(r"^\d{1,2}$")
_TRAILING_NUMBER = re.compile(r"\s(\d{1,2})$")
_LEADING_NUMBER = re.compile(r"^(\d{1,2})(?:出典|（出典）)")
_NUMERIC_ONLY = re.compile(r"^[\d\s,.%％()（）\-+~～]*$")
_SUBTITLE_MAX = 70


class Slide(BaseModel):
    """One slide (page) of the deck recovered from the flattened text."""

    number: int = Field(description="1-based slide/page number in deck order (the cover is 1).")
    title: str = Field(
        description="Slide title as printed, e.g. 我が国の研究開発インセンティブの現状と課題④."
    )
    chapter: str | None = Field(
        None, description="Chapter heading, e.g. ２．イノベーションを巡る我が国の現状と課題."
    )
    heading: str | None = Field(
        None, description="Subtitle printed next to the title, e.g. 研究開発税制の概要."
    )
    page: int | None = Field(None, description="Printed page number when the text carries one.")
    line_start: int = Field(description="First source line (1-based).")
    line_end: int = Field(description="Last source line (inclusive).")
    text: str = Field(description="The slide's original lines (title included), blank runs folded.")
    inferred_title: bool = Field(False, description="True when the title line is missing and was inferred.")
    source_lines: list[int] = Field(
        default_factory=list, description="1-based source line of each text line."
    )


def _is_anchor(line: str) -> str | None:
    """Return the kind of heading a stripped line is: 'title', 'chapter' or None."""
    if not line or "。" in line:
        return None
    if _CHAPTER.match(line):
        return "chapter"
    if _NUMBERED_TITLE.match(line) or any(p.match(line) for p in _UNNUMBERED_TITLES):
        return "title"
    return None


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
    blanks = 0
    j = index - 1
    while j >= 0 and not lines[j].strip():
        blanks += 1
        j -= 1
    if blanks >= 3 and j >= 0:
        return True
    if raw.startswith(" ") and not raw.startswith("  "):
        if _NUMERIC_ONLY.match(stripped):
            return len(stripped.split()) >= 5  # a header row of years across the page, not an axis label
        return len(stripped) >= 6 and not stripped[0].isdigit()
    return False


def _is_strong_page_start(lines: list[str], index: int) -> bool:
    """A page start marked by a run of blank lines (leading spaces also occur inside pages)."""
    j = index - 1
    blanks = 0
    while j >= 0 and not lines[j].strip():
        blanks += 1
        j -= 1
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
    if len(text) > _SUBTITLE_MAX or text[0] in "⚫•・※（(【➢◼✓⇒-*" or text[0].isdigit():
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


def parse_deck(text: str) -> list[Slide]:
    """Split the deck text into slides in deck order.

    Args:
        text: The whole flattened deck text.

    Returns:
        Slides numbered from 1 (the cover), each with its title, chapter, subtitle, printed page (when
        present), the source line range and the original lines.
    """
    lines = text.split("\n")
    anchors: dict[int, str] = {}
    for i, raw in enumerate(lines):
        kind = _is_anchor(raw.strip())
        if kind:
            anchors[i] = kind
    anchor_set = set(anchors)
    ordered = sorted(anchors)
    titles_all = [lines[i].strip() for i in ordered]

    # Every anchor (title or chapter heading) is one slide; assign the text between anchors.
    # owner[i] = index into `ordered` of the slide a line belongs to; -1 = the cover, -2 = an untitled page.
    subtitles = {i: _subtitle_after(lines, i, anchor_set) for i in ordered}
    trails: dict[int, bool] = {}
    for pos, i in enumerate(ordered):
        prev_end = 0 if pos == 0 else (subtitles[ordered[pos - 1]] or ordered[pos - 1]) + 1
        trails[i] = _title_trails_body(lines, i, anchor_set, _has_text_between(lines, prev_end, i))
    owner = [-1] * len(lines)
    extra_slides: list[tuple[int, int, int]] = []  # (after anchor position, first line, last line)
    if not ordered:
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
    first_anchor = ordered[0]
    # The cover runs to its page number "1"; the text until the first title is slide 2's body.
    cover_end = next((i for i in range(first_anchor) if lines[i].strip() == "1"), -1)
    for i in range(cover_end + 1, first_anchor):
        owner[i] = 0
    for pos, start in enumerate(ordered):
        end = ordered[pos + 1] if pos + 1 < len(ordered) else len(lines)
        owner[start] = pos
        body_from = start + 1
        if subtitles[start] is not None:
            for i in range(start + 1, subtitles[start] + 1):
                owner[i] = pos
            body_from = subtitles[start] + 1
        region = [i for i in range(body_from, end) if lines[i].strip()]
        if not region:
            continue
        breaks = [i for i in region if _is_page_start(lines, i)]
        nxt = pos + 1 if pos + 1 < len(ordered) else None
        next_trails = nxt is not None and trails[ordered[nxt]]
        if trails[start]:
            # Body came before; what follows belongs to the next slide (or to an untitled page).
            inner = [b for b in breaks if b != region[0]]
            if nxt is None:
                for i in region:
                    owner[i] = pos
            elif next_trails and inner and _skips_one(titles_all[pos], titles_all[nxt]):
                # Slides open with a ⚫ lead sentence, so prefer such a page start as the split.
                inner = [b for b in inner if lines[b].strip().startswith("⚫")] or inner
                # Two pages between two trailing titles: the first has lost its title line.
                extra_slides.append((pos, region[0], inner[0] - 1))
                for i in range(region[0], inner[0]):
                    owner[i] = -2
                for i in range(inner[0], end):
                    owner[i] = nxt
            else:
                for i in region:
                    owner[i] = nxt
        else:
            if next_trails:
                split = next((b for b in breaks if b != region[0]), None)
            else:
                # Both titles lead their bodies: only a blank-line page break means a page sits between.
                split = next((b for b in region[1:] if _is_strong_page_start(lines, b)), None)
            for i in region:
                owner[i] = pos if (split is None or i < split or nxt is None) else nxt

    raw_slides: list[dict] = []
    chapter: str | None = None
    titles = [lines[i].strip() for i in ordered]
    cover_lines = list(range(0, cover_end + 1))
    raw_slides.append(
        {
            "title": _fold([lines[i] for i in cover_lines]).replace("\n", " "),
            "lines": cover_lines,
            "chapter": None,
            "heading": None,
            "inferred": False,
        }
    )
    intro = [i for i in range(cover_end + 1, len(lines)) if owner[i] == 0 and i < first_anchor]
    for pos, start in enumerate(ordered):
        members = [i for i in range(len(lines)) if owner[i] == pos]
        if pos == 0:
            members = sorted(set(members) | set(intro))
        if anchors[start] == "chapter":
            chapter = titles[pos]
        heading = lines[subtitles[start]].strip() if subtitles[start] is not None else None
        raw_slides.append(
            {
                "title": titles[pos],
                "lines": members,
                "chapter": chapter,
                "heading": heading,
                "inferred": False,
            }
        )
        for after, first, last in extra_slides:
            if after == pos:
                nxt_title = titles[pos + 1]
                series = _series_of(nxt_title)
                guessed = (
                    f"{series[0]}{CIRCLED[series[1] - 2]}"
                    if series and series[1] >= 2
                    else f"（{nxt_title}の前）"
                )
                raw_slides.append(
                    {
                        "title": guessed,
                        "lines": list(range(first, last + 1)),
                        "chapter": chapter,
                        "heading": None,
                        "inferred": True,
                    }
                )

    slides: list[Slide] = []
    kept = [item for item in raw_slides if any(lines[i].strip() for i in item["lines"])]
    for number, item in enumerate(kept, start=1):
        members = [i for i in item["lines"] if lines[i].strip()]
        first, last = min(members), max(members)
        slides.append(
            Slide(
                number=number,
                title=item["title"],
                chapter=item["chapter"],
                heading=item["heading"],
                page=_page_number(lines, first, last, number),
                line_start=first + 1,
                line_end=last + 1,
                text=_fold([lines[i] for i in sorted(members)]),
                inferred_title=item["inferred"],
                source_lines=[i + 1 for i in sorted(members)],
            )
        )
    return slides
