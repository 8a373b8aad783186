"""The deck's table of contents and extractive section summaries (one bullet per key point, with its slide)."""

import re
import unicodedata
from functools import cached_property

from corpus.deck import Slide
from retrieval.designators import designator_heading, under_other_designator
from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.extract import coverage, score_unit, split_units
from retrieval.intent import DocumentVocabulary, QuestionIntent, analyze, fold
from retrieval.models import Citation

_CIRCLED_SUFFIX = re.compile(r"\s*[\u2460-\u2473]\s*$")
_BULLET = re.compile(r"^\s*(?:[⚫•◼➢■●◆▶►⇒]|[\u2460-\u2473])")
OVERVIEW_POINTS = 10
MAX_FIGURE_POINTS = 3
# A one-slide summary may run past the 800-character quote budget: 10 points keep a two-case slide's second case
# (8 cut it on the dev sets; no held-out set lost a row at 10).
ONE_SLIDE_POINTS = 10
MIN_FIGURE_POINT_CHARS = 6  # 「対象国30か国」: a label and its figure
MAX_CALLOUT_CHARS = 16
LEAD_CHARS = 40  # a sentence, not a heading or a chart label
_FIGURE = re.compile(r"\d[\d,.]*\s*(?:%|％|億|兆|万|円|ドル|ユーロ|社|件|人|倍|か国|カ国|位|技術|分野)")
_SOURCE_LINE = re.compile(r"^[（(]?(?:出典|出所|資料|注|参照資料|※)")
# "chapter 2", "ch. 2", "第2章", "2章", "２．", a bare "2" (chapter numbers are what /decksummary accepts),
# optionally wrapped in a request such as "Summarise chapter 2" or "第2章を要約して".
_CHAPTER = re.compile(
    r"^(?:(?:please\s+)?(?:summari[sz]e|summary\s+of)\s+)?(?:the\s+)?"
    r"(?:chapter|ch\.?)\s*(\d)\b.*$|^第?\s*(\d)\s*章.*$|^(\d)\s*[.．]?$",
    re.I,
)


def _title_key(text: str) -> str:
    return re.sub(r"[“”\"'‘’「」『』]", "", fold(text))


def base_title(title: str) -> str:
    """Strip the circled part number from a slide title (…課題④ -> …課題)."""
    return _CIRCLED_SUFFIX.sub("", title).strip()


def key_points(text: str, *, limit: int = 8) -> list[str]:
    """Choose a slide's key points: bullets (prefixed by the short heading above them), else informative lines."""
    units = [unit.text for unit in split_units(text)]
    points: list[str] = []
    heading = ""
    for index, unit in enumerate(units):
        if _SOURCE_LINE.match(unit):
            continue
        if _BULLET.match(unit):
            text_point = unit
            # A detail line right after a circled header belongs to it (①見出し / 本文).
            if (
                re.match(r"^\s*[\u2460-\u2473]", unit)
                and index + 1 < len(units)
                and not _BULLET.match(units[index + 1])
            ):
                follower = units[index + 1]
                if not _SOURCE_LINE.match(follower) and len(follower) >= 8:
                    text_point = f"{unit}：{follower}"
            if heading:
                text_point = f"{heading}：{text_point}"
                heading = ""
            points.append(text_point)
        elif 4 <= len(unit) <= 26 and not re.search(r"\d{2,}", unit):
            heading = unit
        else:
            heading = ""
    order = {unit: position for position, unit in enumerate(units)}
    # the sentence a slide opens with before its bullets says what the slide is about (who ASPI is)
    first_bullet = next((i for i, unit in enumerate(units) if _BULLET.match(unit)), len(units))
    lead = next(
        (
            u
            for u in units[:first_bullet]
            if len(u) >= LEAD_CHARS and not _SOURCE_LINE.match(u) and u not in points
        ),
        None,
    )
    if lead is not None and points:
        points = [lead, *points[: limit - 1]]
    if len(points) < 3:
        informative = [u for u in units if len(u) >= 14 and not _SOURCE_LINE.match(u) and u not in points]
        points = sorted(points + informative, key=lambda unit: order.get(unit.split("：")[-1], 0))
    # the slide's key figures (a rate, an amount, a count) when its bullets leave them out, e.g. a diagram's
    # 「税率を約20%まで引下げ」 beside bullets that only explain the scheme
    said = " ".join(points)
    figures = [
        u
        for u in _labelled_figures(units)
        if _FIGURE.search(u)
        and len(u) >= MIN_FIGURE_POINT_CHARS
        and not _SOURCE_LINE.match(u)
        and u not in said
    ][:MAX_FIGURE_POINTS]
    if figures:
        kept = points[: max(limit - len(figures), 1)]
        points = sorted(kept + figures, key=lambda unit: order.get(unit.split("：")[-1], 0))
    return points[:limit]


_BARE_FIGURE = re.compile(r"[\d,.]+\s*(?:%|％|億円|兆円|万円|円|倍|社|件|人)")
MAX_LABEL_CHARS = 12


def _labelled_figures(units: list[str]) -> list[str]:
    """The units, with a bare figure of a flattened diagram joined to the short label printed after it
    (「25%」 + 「税額控除」 -> 「25% 税額控除」)."""
    joined: list[str] = []
    for index, unit in enumerate(units):
        following = units[index + 1] if index + 1 < len(units) else ""
        if _BARE_FIGURE.fullmatch(unit) and following and len(following) <= MAX_LABEL_CHARS:
            if not _FIGURE.search(following):
                joined.append(f"{unit} {following}")
                continue
        joined.append(unit)
    return joined


class DeckSections:
    """Sections (groups of slides sharing a title) and their extractive summaries."""

    def __init__(self, slides: list[Slide], vocabulary: DocumentVocabulary | None = None) -> None:
        """Keep the parsed slides.

        Args:
            slides: The deck's slides in order.
            vocabulary: The document's words, which a free-words section query is read against.
        """
        self.slides = slides
        self.vocabulary = vocabulary
        self.by_number = {slide.number: slide for slide in slides}

    @cached_property
    def sections(self) -> list[SectionInfo]:
        """Return the table of contents: one entry per base title, slides in deck order."""
        groups: dict[str, SectionInfo] = {}
        for slide in self.slides:
            title = base_title(slide.title)
            if title not in groups:
                groups[title] = SectionInfo(
                    key=f"s{slide.number}", title=title, chapter=slide.chapter, slides=[]
                )
            groups[title].slides.append(slide.number)
        return list(groups.values())

    @cached_property
    def chapters(self) -> list[SectionInfo]:
        """Return the deck's chapters (１．… and ２．…), keyed ch1 and ch2, with all their slides."""
        chapters: dict[str, SectionInfo] = {}
        for slide in self.slides:
            if slide.chapter is None:
                continue
            number = unicodedata.normalize("NFKC", slide.chapter)[0]
            info = chapters.setdefault(
                slide.chapter, SectionInfo(key=f"ch{number}", title=slide.chapter, chapter=slide.chapter)
            )
            info.slides.append(slide.number)
        return list(chapters.values())

    @cached_property
    def _folded(self) -> dict[int, str]:
        return {
            slide.number: fold(f"{slide.title} {slide.heading or ''} {slide.text}") for slide in self.slides
        }

    def find(self, query: str) -> tuple[SectionInfo, list[Slide]] | None:
        """Resolve a section key, slide number, exact (base) title or free words to a section and its slides."""
        query = unicodedata.normalize("NFKC", query).strip()
        if not query:
            return None
        for info in self.sections + self.chapters:
            if query == info.key:
                return info, [self.by_number[n] for n in info.slides]
        chapter = _CHAPTER.match(query)
        if chapter:
            wanted = next(group for group in chapter.groups() if group)
            for info in self.chapters:
                if info.key == f"ch{wanted}":
                    return info, [self.by_number[n] for n in info.slides]
        number = re.fullmatch(r"(?:slide|スライド|p\.?)?\s*(\d{1,3})", query, re.I)
        if number and int(number.group(1)) in self.by_number:
            slide = self.by_number[int(number.group(1))]
            return self._slide_section(slide), [slide]
        folded_query = _title_key(query)
        for slide in self.slides:
            if _title_key(slide.title) == folded_query or (
                slide.heading and _title_key(slide.heading) == folded_query
            ):
                return self._slide_section(slide), [slide]
        for info in self.sections:
            if _title_key(info.title) == folded_query:
                return info, [self.by_number[n] for n in info.slides]
        if len(folded_query) >= 6:
            for slide in self.slides:
                key = _title_key(slide.title)
                if folded_query in key or (len(key) >= 6 and key in folded_query):
                    return self._slide_section(slide), [slide]
        intent = analyze(query, self.vocabulary)
        terms = intent.quoted or intent.terms + intent.entities
        if not terms or intent.unknown_names:
            return None
        # Title words count double: a question naming a section usually quotes its title.
        scored = []
        for slide in self.slides:
            title_score = coverage(f"{slide.title} {slide.heading or ''}", terms)
            body_score = coverage(slide.text, terms)
            scored.append((max(title_score, body_score), 2 * title_score + body_score, slide))
        best_score, _, best = max(scored, key=lambda triple: triple[1])
        if best_score < 0.4:
            return None
        return self._slide_section(best), [best]

    def _slide_section(self, slide: Slide) -> SectionInfo:
        return SectionInfo(
            key=f"slide{slide.number}", title=slide.title, chapter=slide.chapter, slides=[slide.number]
        )

    def summarize(
        self,
        query: str,
        *,
        lang: str = "ja",
        per_slide: int | None = None,
        about: QuestionIntent | None = None,
    ) -> SectionSummary | None:
        """Summarise the section best matching `query`: key points in deck order, each with its slide.

        Args:
            query: Section key, slide number, title or words.
            lang: Language of the request ('ja' or 'en'); the bullets quote the deck in Japanese.
            per_slide: Most bullets per slide (default ONE_SLIDE_POINTS for one slide, 2 for a multi-slide
                section).
            about: The request, when it asks about something in the section: its most relevant points are kept.
        """
        found = self.find(query)
        if found is None:
            return None
        info, slides = found
        if info.key.startswith("ch"):
            return self._summarize_chapter(info, lang=lang)
        limit = per_slide or (ONE_SLIDE_POINTS if len(slides) == 1 else 2)
        bullets: list[Citation] = []
        for slide in slides:
            # every point: the chart callouts past the limit are kept (below), the rest stop at the limit
            points = key_points(slide.text, limit=100)
            # a chart's callout (「対象国30か国」) is a figure the bullets do not state: kept beyond the limit
            callouts = {p for p in points if len(p) <= MAX_CALLOUT_CHARS and _FIGURE.search(p)}
            if about is not None:
                # 「第6期は？」: not the points listed under 第5期
                elsewhere = under_other_designator(about.question, points)
                points = [point for point, other in zip(points, elsewhere, strict=True) if not other]
                if about.terms:
                    # the points that say most about the request, still quoted in deck order
                    ranked = sorted(points, key=lambda p: -score_unit(p, about))
                    kept = set(ranked[: limit + 2]) | callouts
                    points = [point for point in points if point in kept]
                # the designator's heading, which says what it is and when (「第3期計画（2024年～2030年）」)
                lines = [unit.text.strip() for unit in split_units(slide.text)]
                at = designator_heading(about.question, lines)
                if at is not None and lines[at] not in points:
                    points = [lines[at], *points]
                    callouts.add(lines[at])  # kept however full the slide's points are
            for point in points:
                callout = point in callouts
                point = point.removeprefix(slide.title).removeprefix(slide.heading or "\0").strip("：: ")
                if point.startswith(("（出典", "(出典", "出典", "（資料")):
                    continue  # a source line is no key point
                full = sum(1 for b in bullets if b.slide == slide.number) >= limit
                if not callout and (len(point) < 8 or full):
                    continue
                bullets.append(Citation(slide=slide.number, section=slide.title, text=point))
        return SectionSummary(section=info, bullets=bullets, lang=lang)

    def _summarize_chapter(self, chapter: SectionInfo, *, lang: str) -> SectionSummary:
        """One bullet per section of the chapter: its title and its first sentence-like key point."""
        sections = [
            info
            for info in self.sections
            if info.chapter == chapter.chapter and info.slides != chapter.slides[:1]  # not its contents slide
        ]
        return SectionSummary(section=chapter, bullets=self._outline(sections, lang=lang), lang=lang)

    def overview(self, title: str, *, lang: str = "ja", limit: int = OVERVIEW_POINTS) -> SectionSummary:
        """The whole document in at most `limit` bullets: one per chapter when it has chapters (its first
        section's point), else one per section, sections spread evenly over the document."""
        if self.chapters:
            firsts = [
                next((i for i in self.sections if i.chapter == c.chapter and i.slides != c.slides[:1]), None)
                for c in self.chapters
            ]
            sections = [info for info in firsts if info is not None]
        else:
            sections = self.sections
        if len(sections) > limit:
            step = len(sections) / limit
            sections = [sections[int(i * step)] for i in range(limit)]
        info = SectionInfo(key="overview", title=title, slides=[s.number for s in self.slides])
        return SectionSummary(section=info, bullets=self._outline(sections, lang=lang), lang=lang)

    def _outline(self, sections: list[SectionInfo], *, lang: str) -> list[Citation]:
        bullets: list[Citation] = []
        for info in sections:
            summary = self.summarize(info.key, lang=lang, per_slide=3)
            points = [b for b in summary.bullets if _reads_as_sentence(b.text)] if summary else []
            if points:
                bullets.append(points[0].model_copy(update={"text": f"{info.title}：{points[0].text}"}))
            else:
                bullets.append(Citation(slide=info.slides[0], section=info.title, text=info.title))
        return bullets


def _reads_as_sentence(text: str) -> bool:
    """Whether a key point is prose (kana, or several English words, and some length) rather than a
    flattened table row."""
    prose = len(re.findall(r"[\u3041-\u309f]", text)) >= 4 or len(re.findall(r"[A-Za-z]{2,}", text)) >= 5
    return len(text) >= 20 and prose
