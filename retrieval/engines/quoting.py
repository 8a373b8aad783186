"""Lookup answers: the table rows and slide quotes that answer a question, in its language, within the
quote budget, with their citations (and an English gloss of Japanese quotes)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from langchain_core.documents import Document
from langchain_core.messages import AIMessage

from retrieval.engines.messages import page, say
from retrieval.engines.planning import PlannerState, final_answer
from retrieval.engines.refusals import RefusalMixin
from retrieval.engines.table_answers import is_operation, table_blocks
from retrieval.engines.toolkit import RANKING_TOOL, DeckKnowledge
from retrieval.extract import LIST_ITEM, entity_in, note_marks, notes_marked
from retrieval.glossary import english_forms, english_names_in, english_terms_in
from retrieval.intent import QuestionIntent, fold
from retrieval.models import Citation
from tools.amounts import JA_UNITS
from tools.rankings import RankingResult
from tools.text import LIST_MARK

_SOURCE_TAIL = re.compile(r"(?<=.{12})[（(](?:出典|出所)[）)]")
SERIES_NUMBER = re.compile(r"\s*\(\d{1,2}\)\s*$")
_SERIES_SUFFIX = re.compile(r"\s*[\u2460-\u2473]\s*$")


class LookupMixin(RefusalMixin):
    """The planner's lookup answer: table lines and slide quotes, or a refusal."""

    def _ranking_results(self, state: PlannerState) -> list[RankingResult]:
        return [artifact for artifact in state.artifacts(RANKING_TOOL) if isinstance(artifact, RankingResult)]

    def _lookup_answer(self, state: PlannerState) -> AIMessage:
        intent = state.intent
        documents = state.documents()
        tables = self._ranking_results(state)
        focus = self._table_focus(intent, documents, tables)
        refusal = self._table_refusal(state, tables, focus) or self._refusal_reason(
            self._evidence_state(state, tables), focus, tables
        )
        if refusal is not None and refusal["kind"] == "entity":
            # the table's slide lacks a name the question asks about; the topic's own slide may give it
            topic_focus = self.focus(intent, documents)
            if (
                topic_focus is not focus
                and self._refusal_reason(self._evidence_state(state, []), topic_focus, []) is None
            ):
                focus, tables, refusal = topic_focus, [], None
        if refusal is not None:
            return self._refusal(state, documents, focus, tables, refusal)
        assert focus is not None
        heads, lines, citations = self._table_lines(state, tables)
        # An operation's answer is the table's own; slide quotes would only repeat or bury it.
        answered = [r for r in tables if r.matches]
        operated = bool(answered) and all(is_operation(r) for r in answered)
        operated = operated or (bool(answered) and self.table_turn(state) is not None)
        if operated:
            # names the table's answer does not cover ("… fell most: US, UK, China or Japan?" of Japan's own
            # row): the slide's lines about them are part of the answer
            titles = [f"{r.title_ja} {r.title_en}" for r in answered]
            shown = fold(" ".join([c.text for c in citations] + titles))
            names = [e for e in self._asked_names(state)[0] if e not in self.knowledge.subject]
            operated = all(
                entity_in(name, shown) or any(fold(form) in shown for form in english_forms(name))
                for name in names
            )
        limit = 3 if lines else 4
        lead = self.follow_up_lead(state)
        units = [] if operated else [ja for ja, _ in self._quoted_units(focus, intent, lead, limit)]
        if lines and not operated:
            # the notes the quoted rows point to (「上限なし…※5」): the slide states them apart from the table
            marked = notes_marked(focus.page_content, note_marks(" ".join(lines)))
            units += [note.text for note in marked if note.text not in units]
        lines = heads + lines
        if intent.lang == "en":
            lines = [with_english_amounts(line) for line in lines]
        if lines:
            # The table already answers; keep only quotes that add a named thing or a figure of their own.
            table_folded = fold(" ".join(c.text for c in citations))
            names = [fold(n) for n in intent.entities + intent.unknown_names]

            def adds(unit: str) -> bool:
                # a chart's 「30%」 on its own line is short but is the figure
                figure = _CHART_FIGURE.fullmatch(unit.strip()) is not None
                return (
                    (len(unit) >= 10 or figure)
                    and fold(unit) not in table_folded
                    and (any(name in fold(unit) for name in names) or re.search(r"\d", unit))
                    and not re.match(r"\s*[（(]?出典", unit)
                )

            # A list item stays with the kept statement or item before it (the list is what that statement
            # says), and a chart's label stays with its figure.
            kept: list[int] = []
            for index, unit in enumerate(units):
                after_kept = bool(kept) and kept[-1] == index - 1
                label = after_kept and _CHART_FIGURE.fullmatch(units[index - 1].strip()) is not None
                if (
                    adds(unit)
                    or (after_kept and LIST_ITEM.match(unit))
                    or (label and len(unit) <= MAX_LABEL_CHARS)
                ):
                    kept.append(index)
            units = [units[index] for index in kept]
        quote_lines = []
        units = _within_quote_budget(units)
        if units:
            number, section = focus.metadata["slide"], focus.metadata["section"]
            # Quote the statement, not the source note the PDF ran into it.
            shown = [
                _SOURCE_TAIL.split(LIST_MARK.sub("", unit.removeprefix(section)), 1)[0].strip() or unit
                for unit in units
            ]
            if intent.lang == "ja":
                where = page(number, "ja", self.knowledge.bundle.layout)
                quote_lines.append(say("quote_head", "ja", page=where, section=section))
                quote_lines += [f"・{unit}" for unit in shown]
            else:
                quote_lines += self._english_quote(number, section, units, shown)
            cited = cited_text(self.knowledge, number, units)
            citations.append(Citation(slide=number, section=section, text=cited))
        citations = _merge_citations(citations)
        text = "\n".join(lines + ([""] if lines and quote_lines else []) + quote_lines).strip()
        return final_answer(text, "answered", citations)

    def _table_lines(
        self, state: PlannerState, tables: list[RankingResult]
    ) -> tuple[list[str], list[str], list[Citation]]:
        """(direct answers, title + rows used, one citation per table) in the question's language."""
        heads: list[str] = []
        lines: list[str] = []
        citations: list[Citation] = []

        def translate(slide_title: str, text: str) -> str | None:
            return self.knowledge.english_of_anywhere(self._slide_number(slide_title) or 0, text)

        for block in table_blocks(tables, self.knowledge.tables, state.intent, translate):
            heads += block.heads
            # a title over the rows; none over nothing when the answer line says all the rows would
            if block.rows or not (block.heads or block.head_names_table):
                lines.append(f"{block.title}:" if state.intent.lang == "en" else f"【{block.title}】")
            lines += [f"・{row}" for row in block.rows]
            cited = "\n".join([*block.heads, *block.rows])[:600]
            citations.append(
                Citation(slide=self._slide_number(block.slide_title), section=block.slide_title, text=cited)
            )
        return heads, lines, citations

    def _table_focus(
        self, intent: QuestionIntent, documents: list[Document], tables: list[RankingResult]
    ) -> Document | None:
        """The focus slide; if it holds none of the tables whose operation answered, the slide of the first.

        Plain row lookups keep the topic's focus slide: there the table only adds the row's figures.
        """
        focus = self.focus(intent, documents)
        answered = [r for r in tables if r.matches and is_operation(r) and self.knowledge.tables is not None]
        if focus is None or not answered:
            return focus
        slides = {title for r in answered for title in self._table_slides(r.table_id)}
        if focus.metadata["section"] in slides:
            return focus
        hosting = next((d for d in documents if d.metadata["section"] in slides), None)
        return hosting or self._slide_document(answered[0].slide_title, intent) or focus

    def _table_slides(self, table_id: str) -> list[str]:
        table = self.knowledge.tables.get(table_id)  # type: ignore[union-attr]
        return [table.slide_title, *table.also_on_slides]

    def _slide_document(self, slide_title: str, intent: QuestionIntent) -> Document | None:
        number = self._slide_number(slide_title)
        slide = self.knowledge.by_number.get(number or 0)
        if slide is None:
            return None
        terms = intent.quoted + intent.terms + intent.entities
        metadata = {"slide": slide.number, "section": slide.title, "search_rank": 0, "chunk_ids": []}
        metadata["coverage"] = self.knowledge.slide_coverage(slide.number, terms)
        return Document(page_content=slide.text, metadata=metadata)

    def _english_quote(self, number: int, section: str, units: list[str], shown: list[str]) -> list[str]:
        """Quote units for an English reader: the reviewed English rendering, then the Japanese original."""
        where = page(number, "en", self.knowledge.bundle.layout)
        title = english_title(self.knowledge, number, section)
        lines = [say("quote_head", "en", Page=where[:1].upper() + where[1:], section=title)]
        renderings = [self.knowledge.english_of(number, unit) for unit in units]
        for english, japanese in zip(renderings, shown, strict=True):
            lines.append(f"> {english}\n>   (原文: {japanese})" if english else f"> {japanese}")
        gloss = english_gloss(" ".join(u for u, e in zip(units, renderings, strict=True) if not e))
        if gloss:
            lines.append(gloss)
        return lines


def english_title(knowledge: DeckKnowledge, number: int, section: str) -> str:
    """A slide title in English, without the series number the deck prints as ①②… (not a figure).

    A series shares its title (…の必要性①, ②, …): where the PDF ran this slide's title into its first
    sentence, a sibling slide that prints the title on its own gives the rendering.
    """
    english = knowledge.english_of(number, section)
    if not english:
        series = _SERIES_SUFFIX.sub("", section)
        siblings = (
            s for s in knowledge.slides if s.number != number and _SERIES_SUFFIX.sub("", s.title) == series
        )
        english = next((e for s in siblings if (e := knowledge.english_of(s.number, s.title))), None)
    return SERIES_NUMBER.sub("", english) if english else section


def cited_text(knowledge: DeckKnowledge, number: int, units: list[str]) -> str:
    """A citation's text: the quoted units, with their English renderings where the answer shows them."""
    english = [knowledge.english_of(number, unit) for unit in units]
    return "\n".join(units + [e for e in english if e])


# A figure printed alone on a chart line (「30%」, 「約850件」) and the short label the chart prints beside it.
_CHART_FIGURE = re.compile(r"[約~～]?\d[\d,.]*\s*[%％倍件社人億兆万円ドル]*")
MAX_LABEL_CHARS = 12

# Evidence quoted under an answer: enough to check it, short enough to read in Slack (issue #11, item 8).
MAX_QUOTE_CHARS = 800


def _within_quote_budget(units: list[str]) -> list[str]:
    """The leading units (best first in deck order) that fit MAX_QUOTE_CHARS; always at least one."""
    kept, used = [], 0
    for unit in units:
        if kept and used + len(unit) > MAX_QUOTE_CHARS:
            break
        kept.append(unit)
        used += len(unit)
    return kept


def _merge_citations(citations: list[Citation]) -> list[Citation]:
    merged: dict[tuple[int | None, str], Citation] = {}
    for citation in citations:
        key = (citation.slide, citation.section)
        if key in merged:
            previous = merged[key]
            merged[key] = previous.model_copy(update={"text": f"{previous.text}\n{citation.text}".strip()})
        else:
            merged[key] = citation
    return list(merged.values())


_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(兆|億|万)\s*(円|ドル|人|社|件)?")


def english_gloss(japanese: str) -> str:
    """A short English gloss of Japanese quotes: the names they mention and their large figures in English.

    Without a model the gloss cannot translate; it names entities through the deck lexicon and restates
    万/億/兆 figures in English units (2500万ドル -> US$25 million), so every number stays checkable.
    """
    names = english_names_in(japanese)
    figures = []
    for match in _FIGURE.finditer(unicodedata.normalize("NFKC", japanese)):
        english = _english_figure(match.group(1), match.group(2), match.group(3) or "")
        if english and english not in figures:
            figures.append(english)
    terms = english_terms_in(japanese)
    parts = []
    if names:
        parts.append(f"names mentioned: {', '.join(names[:12])}")
    if terms:
        parts.append(f"key terms: {', '.join(terms)}")
    if figures:
        parts.append(f"figures in English units: {', '.join(figures[:8])}")
    return f"In English — {'; '.join(parts)}." if parts else ""


def _scaled(amount: Decimal) -> str:
    for size, word in (
        (Decimal(10) ** 12, "trillion"),
        (Decimal(10) ** 9, "billion"),
        (Decimal(10) ** 6, "million"),
    ):
        if amount >= size:
            return f"{_plain(amount / size)} {word}"
    return f"{int(amount):,}"


# A Japanese-unit amount of money and its currency (「250万USドル」, 「40億円」, 「1,200万シンガポールドル」);
# a dollar's country prefix picks its sign. General currency notation, not any one document's.
_CURRENCY_SIGNS = {"円": "¥", "ドル": "US$", "ユーロ": "€", "ポンド": "£", "ウォン": "₩", "元": "CN¥"}
_DOLLAR_SIGNS = {
    "US": "US$", "米": "US$", "シンガポール": "S$", "豪": "A$", "オーストラリア": "A$", "カナダ": "C$",
    "香港": "HK$", "台湾": "NT$", "NZ": "NZ$",
}  # fmt: skip
_MONEY = re.compile(
    rf"(\d[\d,]*(?:\.\d+)?)\s*(兆|億|万)\s*(?:({'|'.join(_DOLLAR_SIGNS)})(?=ドル))?({'|'.join(_CURRENCY_SIGNS)})"
)


def with_english_amounts(text: str) -> str:
    """Japanese-unit amounts followed by their English form, for an English answer quoting Japanese cells:
    「250万USドル」 -> 「250万USドル (US$2.5 million)」. The same value, so the grounding guard accepts it."""

    def restate(match: re.Match[str]) -> str:
        number = unicodedata.normalize("NFKC", match.group(1)).replace(",", "")
        value = Decimal(number) * JA_UNITS[match.group(2)]
        sign = _DOLLAR_SIGNS.get(match.group(3) or "") or _CURRENCY_SIGNS[match.group(4)]
        return f"{match.group(0)} ({sign}{_scaled(value)})"

    return _MONEY.sub(restate, text)


def _english_figure(number: str, unit: str, noun: str) -> str | None:
    value = Decimal(number.replace(",", "")) * JA_UNITS[unit]
    original = f"{number}{unit}{noun}"
    if noun in ("円", "ドル"):
        return f"{original} = {_CURRENCY_SIGNS[noun]}{_scaled(value)}"
    if noun in ("人", "社", "件"):
        word = {"人": "people", "社": "companies", "件": "cases"}[noun]
        return f"{original} = {_scaled(value)} {word}"
    return f"{original} = {_scaled(value)}"


def _plain(value: Decimal) -> str:
    """The value exactly, without trailing zeros (2.7564, not a rounded 2.756: the guard checks it)."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
