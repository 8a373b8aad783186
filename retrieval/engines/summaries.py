"""Summaries: the section a summary request names or is about, its extractive key points in the
question's language, and the deck's table of contents."""

from __future__ import annotations

import math
import re
from typing import Any

from langchain_core.documents import Document
from langchain_core.messages import AIMessage

from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.engines.messages import page, say
from retrieval.engines.planning import PlannerBase, PlannerState, final_answer, row_text
from retrieval.engines.quoting import SERIES_NUMBER, cited_text, english_gloss, english_title
from retrieval.engines.toolkit import RANKING_TOOL, SECTIONS_TOOL, SUMMARY_TOOL
from retrieval.extract import term_weight
from retrieval.intent import fold, has_japanese
from retrieval.models import Citation
from tools.rankings import RankingResult
from tools.text import LIST_MARK


class SummaryMixin(PlannerBase):
    """The planner's summary and table-of-contents answers."""

    def _summary_by_content(self, state: PlannerState, summary: Any) -> Any:
        """The section to summarise: the one a title, number or chapter names; otherwise the slide whose
        content the search finds closest to the request (its words may be in no title), ranked by it."""
        named = isinstance(summary, SectionSummary) and (
            summary.section.key.startswith("ch") or state.intent.quoted or _names_slide(state.question)
        )
        if named or SUMMARY_TOOL not in state.results:  # no summary asked for (e.g. a table follow-up)
            return summary
        focus = self.focus(state.intent, state.documents())
        if focus is None:
            return summary
        slide = focus.metadata["slide"]
        if isinstance(summary, SectionSummary) and summary.bullets:
            # keep the words' pick when it covers the request (names included) at least as well
            terms = state.intent.quoted + state.intent.terms + state.intent.entities
            picked = summary.bullets[0].slide or 0
            if self._summary_fit(picked, terms) >= self._summary_fit(slide, terms):
                slide = picked
        return self.knowledge.sections.summarize(str(slide), about=state.intent) or summary

    def _summary_fit(self, number: int, terms: list[str]) -> tuple[float, float]:
        """How well a slide fits a summary request: the share of its terms the slide says (to the nearest
        COVERAGE_STEP: closer than that is a tie), then how much of the slide is about them (a slide that
        names a topic once loses to the slide that is about it)."""
        folded = self.knowledge.folded.get(number, "")
        share = round(self.knowledge.slide_coverage(number, terms) / COVERAGE_STEP) * COVERAGE_STEP
        salience = sum(term_weight(t) * math.log1p(folded.count(fold(t))) for t in terms)
        return round(share, 3), salience

    def _summary_document(self, summary: SectionSummary, state: PlannerState) -> Document | None:
        slide = self.knowledge.by_number.get(summary.bullets[0].slide or 0)
        if slide is None:
            return None
        terms = state.intent.quoted + state.intent.terms + state.intent.entities
        return Document(
            page_content=slide.text,
            metadata={
                "slide": slide.number,
                "section": slide.title,
                "search_rank": 0,
                "coverage": self.knowledge.slide_coverage(slide.number, terms),
            },
        )

    def _summary_answer(self, state: PlannerState, summary: SectionSummary) -> AIMessage:
        lang = state.intent.lang
        bullets = summary.bullets
        layout = self.knowledge.bundle.layout
        tables = [r for r in state.artifacts(RANKING_TOOL) if isinstance(r, RankingResult)]
        points = fold(" ".join(b.text for b in bullets))
        tables = [r for r in tables if not _rows_named_in(r, points)]
        if tables:
            # the slide's table says it row by row: of the flattened text keep what the rows do not say
            printed = fold(" ".join(row_text(m) for r in tables for m in r.matches))
            bullets = [b for b in bullets if not _said_by_rows(b.text, printed)]
        if lang == "ja":
            head = say("summary_head", lang, title=summary.section.title)
            lines = [head] + [f"・{b.text}（{page(b.slide, lang, layout)}）" for b in bullets]
        else:
            title = ""
            if bullets:
                title = english_title(self.knowledge, bullets[0].slide or 0, summary.section.title)
            lines = [say("summary_head", lang, title=title or summary.section.title)]
            untranslated = []
            chapter = summary.section.key.startswith("ch")
            for bullet in bullets:
                english = self._english_point(bullet)
                if english and chapter and "：" in bullet.text:
                    english = f"{bullet.text.split('：', 1)[0]}: {english}"  # a chapter's bullet names its theme
                lines.append(f"- {english or bullet.text} ({page(bullet.slide, lang, layout)})")
                if english is None:
                    untranslated.append(bullet.text)
            gloss = english_gloss(" ".join(untranslated))
            if gloss:
                lines.append(gloss)
            bullets = [
                b.model_copy(update={"text": cited_text(self.knowledge, b.slide or 0, [b.text])})
                for b in bullets
            ]
        citations = list(bullets)
        if tables:
            _, rows, table_citations = self._table_lines(state, tables)
            lines += [_clipped(row) for row in rows]
            citations += table_citations
        return final_answer("\n".join(lines), "answered", citations)

    def _english_point(self, bullet: Citation) -> str | None:
        """A key point's English rendering; for a point the PDF ran into the slide's title, the rendering of
        title and point with the title's English taken off."""
        number = bullet.slide or 0
        english = self.knowledge.english_of(number, bullet.text)
        slide = self.knowledge.by_number.get(number)
        if english or slide is None:
            return english
        whole = self.knowledge.english_of(number, f"{slide.title}{bullet.text}")
        title = self.knowledge.english_of(number, slide.title) or english_title(self.knowledge, number, slide.title)
        if not whole:
            return None
        # the rendering starts with the title's English and its "(3)" series number
        return re.sub(rf"^{re.escape(SERIES_NUMBER.sub('', title))}\s*(?:\(\d{{1,2}}\))?\s*", "", whole) or None

    def _sections_answer(self, state: PlannerState) -> AIMessage:
        sections: list[SectionInfo] = next(iter(state.artifacts(SECTIONS_TOOL)), []) or []
        lang = state.intent.lang
        label = "スライド" if lang == "ja" else "slides"
        lines = ["資料のセクション一覧:" if lang == "ja" else "Sections of the deck:"]
        for info in sections:
            span = f"{info.slides[0]}" if len(info.slides) == 1 else f"{info.slides[0]}–{info.slides[-1]}"
            lines.append(
                f"・{info.title}（{label}{span}）" if lang == "ja" else f"- {info.title} ({label} {span})"
            )
        citations = [
            Citation(slide=info.slides[0], section=info.title, text=info.title)
            for info in sections
            if info.slides
        ]
        return final_answer("\n".join(lines), "answered", citations)


def _names_slide(question: str) -> bool:
    """Whether a request names a slide by number ("slide 12", 「スライド12」, "p.12")."""
    return re.search(r"(?:slide|スライド|p\.)\s*\d{1,3}", question, re.I) is not None


COVERAGE_STEP = 0.05


def _rows_named_in(result: RankingResult, points: str) -> bool:
    """Whether the key points already go through the table row by row (they name most of its rows)."""
    named = sum(
        any(len(fold(n)) >= 2 and fold(n) in points for n in [*m.row.display.values(), *m.row.aliases][:3])
        for m in result.matches
    )
    return bool(result.matches) and named * 2 >= len(result.matches)


def _said_by_rows(point: str, printed: str) -> bool:
    """Whether a key point only repeats table cells: its words are in the rows (a cell the PDF flattened), or
    it is a short label whose figures all are."""
    folded = fold(LIST_MARK.sub("", point))
    if len(folded) >= 4 and folded in printed:
        return True
    figures = re.findall(r"\d[\d,.]*", folded)
    return len(folded) < 25 and bool(figures) and all(f in printed for f in figures)


MAX_SUMMARY_ROW_CHARS = 240
# an English row's bracketed Japanese original of a cell (one level of brackets inside it)
_JAPANESE_ORIGINAL = re.compile(r"\s\((?=[^()]*[\u3040-\u30ff\u4e00-\u9fff])[^()]*(?:\([^()]*\)[^()]*)*\)")


def _clipped(row: str) -> str:
    """A table row cut to a summary line, at a list mark or separator (never inside a figure); a long English
    row first drops the Japanese originals of its cells (the citation keeps them)."""
    if len(row) <= MAX_SUMMARY_ROW_CHARS:
        return row
    name, _, cells = row.partition(" — ")
    if cells and not has_japanese(name.split(" (")[0]):
        row = f"{name} — {_JAPANESE_ORIGINAL.sub('', cells)}"
    if len(row) <= MAX_SUMMARY_ROW_CHARS:
        return row
    head = row[:MAX_SUMMARY_ROW_CHARS]
    cut = max(head.rfind(" • "), head.rfind("; "), head.rfind("、"), head.rfind(" ("))
    return (head[:cut] if cut > MAX_SUMMARY_ROW_CHARS // 2 else head.rsplit(" ", 1)[0]).rstrip(" ;、") + " …"
