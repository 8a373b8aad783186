"""The answer engines' LangChain tools: deck search, sections, summaries, tables and the R&D credit
calculator.

Every tool returns `(content, artifact)`: the content is what a model reads, the artifact keeps the typed
result (Documents with slide metadata, RankingResult, RdCreditResult) so citations come from metadata, not
model text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from types import EllipsisType
from typing import Any

from langchain_core.documents import Document
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from corpus.bundle import DocumentBundle
from corpus.deck import Slide
from corpus.pages import text_language
from corpus.units import slide_units
from retrieval.english_words import EnglishPages, content_stems
from retrieval.extract import best_units, term_match, term_weight
from retrieval.glossary import english_forms
from retrieval.intent import DocumentVocabulary, QuestionIntent, analyze, fold
from retrieval.request_kinds import request_kinds_for
from retrieval.rule_slides import cite_rule_slides, resolve_rule_slide
from retrieval.sections import DeckSections
from tools.rankings import RankingResult, TableSet, find_tables_for, format_result_text
from tools.registry import ToolSpec, generated_tools
from tools.spec import RuleSlide as ToolRuleSlide
from tools.table_ops import RANKING_TOOL_DESCRIPTION, RankingToolInput, TableOperationResult, run_ranking_tool
from tools.table_ops_text import format_operation_text
from tools.text import LIST_MARK

SEARCH_TOOL = "search_deck"
SUMMARY_TOOL = "summarize_section"
SECTIONS_TOOL = "list_sections"
FIND_TABLES_TOOL = "find_tables"
RANKING_TOOL = "lookup_ranking"
RD_CREDIT_TOOL = "rd_credit"
MAX_CONTENT_CHARS = 1400
_LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9&.' -]*")


class SearchInput(BaseModel):
    """Arguments of search_deck."""

    query: str = Field(description="The question or keywords, Japanese or English.")
    k: int = Field(5, ge=1, le=10, description="How many slides to return.")


class SummaryInput(BaseModel):
    """Arguments of summarize_section."""

    section: str = Field(description="Section title, slide number, section key (e.g. 's24') or words.")


class FindTablesInput(BaseModel):
    """Arguments of find_tables."""

    question: str = Field(description="The user's question; returns the ids of tables it is about.")


class NoInput(BaseModel):
    """No arguments."""


class DeckKnowledge:
    """Everything the tools read about one document bundle: the searcher, its slides, sections and tables."""

    def __init__(
        self,
        bundle: DocumentBundle,
        *,
        searcher: Any,
        tables: TableSet | None | EllipsisType = ...,
        english: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Hold the bundle's searchable knowledge.

        Args:
            bundle: The document: slides, tables, English renderings, rule slides and vocabulary come from
                it.
            searcher: A DeckSearcher (anything with `.search(query, k) -> list[Hit]`), or None for lexical
                only.
            tables: The bundle's tables by default (`...`); None when unavailable, or another TableSet.
            english: Unit id -> (text_sha, English rendering); the bundle's own renderings when None.
        """
        self.bundle = bundle
        self.searcher = searcher
        slides: list[Slide] = list(bundle.slides)
        self.slides = slides
        self.by_number = {slide.number: slide for slide in slides}
        self.tables = bundle.tables if tables is ... else tables
        # The document's words, once: questions are checked against them (unknown names, usable Latin terms).
        self.vocabulary = DocumentVocabulary.of_bundle(bundle)
        # What the document is about ("日本"): a question naming it never needs the word on the slide.
        self.subject = frozenset(bundle.subject)
        self.sections = DeckSections(slides, self.vocabulary)
        self.english = aligned_english(slides, bundle.english if english is None else english)
        self._unmarked: dict[int, dict[str, str]] = {}
        self.folded = {
            slide.number: fold(f"{slide.title} {slide.heading or ''} {slide.text}") for slide in slides
        }
        # English is matched on word boundaries: folding removes spaces, and "comparison" contains "paris".
        self.english_text = {
            number: " ".join(units.values()).lower() for number, units in self.english.items()
        }
        self.deck_folded = "\n".join(self.folded.values())
        # every page's English words: its reviewed rendering, and the Latin script it prints itself
        self.english_words = EnglishPages(
            {slide.number: f"{self.english_text.get(slide.number, '')} {slide.text}" for slide in slides}
        )

    @cached_property
    def english_common_words(self) -> frozenset[str]:
        """The words the English renderings write in lower case: vocabulary, not names (TBM, Glasp stay out)."""
        text = " ".join(english for units in self.english.values() for english in units.values())
        return frozenset(re.findall(r"(?<![A-Za-z])[a-z][a-z-]+", text))

    def analyze(self, question: str) -> QuestionIntent:
        """The question's intent, read against this document's vocabulary."""
        return analyze(question, self.vocabulary)

    def rule_slide(self, spec: ToolSpec) -> ToolRuleSlide | None:
        """The slide a calculator's rules rest on, as this bundle prints it (None if the tool names none)."""
        return resolve_rule_slide(spec.rule_slide, self.bundle)

    def is_summary_request(self, message: str) -> bool:
        """Does the message ask for a summary? By meaning, with the search embedder (False without one)."""
        # the embedder's own embed_query, shared by every document, so its phrasings are embedded once
        embedder = getattr(getattr(self.searcher, "index", None), "embedder", None)
        embed = getattr(embedder, "embed_query", None) or getattr(self.searcher, "embed_query", None)
        return embed is not None and request_kinds_for(embed).is_summary(message)

    # A short piece (a name, a label) that another slide prints on its own reads the same there.
    MAX_NAME_CHARS = 30

    @cached_property
    def _english_of_names(self) -> dict[str, str]:
        """English of the short units, whichever slide rendered them first, of the tables' row names (a
        row's English alias: 京都大学 → Kyoto University) and of their text cells (cells_en.csv)."""
        names: dict[str, str] = {}
        for units in self.english.values():
            for japanese, english in units.items():
                if len(japanese) <= self.MAX_NAME_CHARS and english:
                    names.setdefault(japanese, english)
        for table in self.tables.tables.values() if self.tables is not None else ():
            for row in table.rows:
                if row.latin_alias:
                    names.setdefault(table.name_of(row), row.latin_alias)
            for japanese, english in table.cells_en.items():
                names.setdefault(japanese, english)
        return names

    def english_of_anywhere(self, slide: int, japanese: str) -> str | None:
        """English for a piece of a slide's text, or, for a name or label, the English another slide gives
        it where it prints it alone (a table cell on one slide, a heading on another)."""
        name = japanese.strip()
        found = self.english_of(slide, japanese) or self._english_of_names.get(name)
        return found or next(iter(english_forms(name)), None)

    def english_of(self, slide: int, japanese: str) -> str | None:
        """English for a piece of a slide's text (a table cell, a title): its unit's rendering, or the
        renderings of the units that tile it left to right (the PDF split a cell into several), when they
        cover 80% of it."""
        units = self.english.get(slide, {})
        if japanese in units:
            return units[japanese]
        # a cell as the table holds it has no list mark; the unit it came from may ("• 東大病院…")
        unmarked = self._unmarked_english(slide)
        if japanese in unmarked:
            return unmarked[japanese]
        pieces, covered, position = [], 0, 0
        lead = _leading_overlap(japanese, units)
        if lead is not None:  # the cell begins inside a unit (the PDF ran its row name into it)
            pieces.append(units[lead[0]])
            covered = position = lead[1]
        while position < len(japanese):
            starting = [text for text in units if len(text) >= 2 and japanese.startswith(text, position)]
            if not starting:
                position += 1
                continue
            longest = max(starting, key=len)
            pieces.append(units[longest])
            covered += len(longest)
            position += len(longest)
        if covered < 0.8 * len(japanese.strip()):
            return None
        # the translators split words the PDF split ("Kana-" + "gawa"): join them back
        return re.sub(r"(?<=[a-z])- (?=[a-z])", "", " ".join(pieces))

    def _unmarked_english(self, slide: int) -> dict[str, str]:
        """The slide's renderings keyed by their units without the list mark (built once per slide)."""
        if slide not in self._unmarked:
            units = self.english.get(slide, {})
            self._unmarked[slide] = {LIST_MARK.sub("", ja): LIST_MARK.sub("", en) for ja, en in units.items()}
        return self._unmarked[slide]

    def english_coverage(self, number: int, question: str) -> float:
        """Share of an English question's content words (by stem) that the slide's English says."""
        return self.english_words.coverage(number, content_stems(question))

    def says_in_english(self, number: int, phrase: str) -> bool:
        """Whether the slide's English rendering contains `phrase` as whole words (UK, Stanford, Osaka)."""
        english = self.english_text.get(number, "")
        return bool(phrase.strip()) and re.search(rf"\b{re.escape(phrase.lower())}\b", english) is not None

    @cached_property
    def english_pages(self) -> frozenset[int]:
        """Slides (pages) written in English (`corpus.pages.text_language`)."""
        return frozenset(slide.number for slide in self.slides if text_language(slide.text) == "en")

    def slide_coverage(self, number: int, terms: list[str]) -> float:
        """Share of the terms' weight found on one slide (title, subtitle and body), in either language.

        A Latin-script term also counts when the slide's English rendering says it, so an English question's
        words find the slide that says them in Japanese (英国 ↔ UK comes from the alignment, not a glossary).
        """
        if not terms:
            return 0.0
        folded = self.folded.get(number, "")

        def match(term: str) -> float:
            found = term_match(term, folded)
            if found < 1 and _LATIN_TERM.fullmatch(term) and self.says_in_english(number, term):
                return 1.0
            return found

        def covered(some: list[str]) -> float:
            return sum(term_weight(term) * match(term) for term in some) / sum(term_weight(t) for t in some)

        latin = [term for term in terms if _LATIN_TERM.fullmatch(term)]
        if latin and number in self.english_pages:
            # a page written in English is judged on the question's own words, not on their Japanese
            return max(covered(terms), covered(latin))
        return covered(terms)

    def search(self, query: str, k: int = 5) -> list[Document]:
        """Find the slides that answer a query: hybrid search hits plus the best lexical slides, one per
        slide.

        Returns:
            Documents whose page_content is the whole slide text and whose metadata carries slide, section,
            heading, chapter, the matched chunk ids, the search rank and the term coverage.
        """
        intent = self.analyze(query)
        terms = intent.quoted + intent.terms + intent.entities
        ranked: dict[int, dict[str, Any]] = {}
        hits = self.searcher.search(intent.search_query, k=k + 3) if self.searcher is not None else []
        for rank, hit in enumerate(hits):
            if hit.slide is None or hit.slide not in self.by_number:
                continue
            entry = ranked.setdefault(hit.slide, {"rank": rank, "chunks": [], "hit_text": hit.text})
            entry["chunks"].append(hit.id)
        lexical = sorted(self.by_number, key=lambda number: -self.slide_coverage(number, terms))[:3]
        for number in lexical:
            ranked.setdefault(
                number, {"rank": len(hits) + lexical.index(number), "chunks": [], "hit_text": ""}
            )
        documents = []
        for number, entry in ranked.items():
            slide = self.by_number[number]
            documents.append(
                Document(
                    page_content=slide.text,
                    metadata={
                        "slide": slide.number,
                        "section": slide.title,
                        "heading": slide.heading,
                        "chapter": slide.chapter,
                        "chunk_ids": entry["chunks"],
                        "search_rank": entry["rank"],
                        "coverage": round(self.slide_coverage(number, terms), 3),
                        "hit_text": entry["hit_text"],
                    },
                )
            )
        documents.sort(key=lambda doc: -(doc.metadata["coverage"] + _rank_prior(doc.metadata["search_rank"])))
        return documents[:k]

    def render_documents(self, query: str, documents: list[Document]) -> str:
        """Render search results for a model: slide, section and the lines that match the query best."""
        intent = self.analyze(query)
        blocks = []
        for document in documents:
            units = best_units(document.page_content, intent, limit=5)
            body = (
                "\n".join(unit.text for unit in units)
                or document.metadata.get("hit_text")
                or document.page_content
            )
            meta = document.metadata
            blocks.append(f"[slide {meta['slide']}] {meta['section']}\n{body[:MAX_CONTENT_CHARS]}")
        return "\n\n".join(blocks) if blocks else "No matching slides."


def aligned_english(slides: list[Slide], english: Mapping[str, tuple[str, str]]) -> dict[int, dict[str, str]]:
    """Slide -> {Japanese unit text: English}, keeping only renderings written for the deck's current
    wording."""
    aligned: dict[int, dict[str, str]] = {}
    for slide in slides:
        for unit in slide_units(slide):
            rendering = english.get(unit.id)
            if rendering is not None and rendering[0] == unit.text_sha:
                aligned.setdefault(slide.number, {})[unit.text] = rendering[1]
    return aligned


def _rank_prior(rank: int) -> float:
    return max(0.0, 0.1 - 0.02 * rank)


def build_tools(knowledge: DeckKnowledge, *, lang: str = "ja") -> list[BaseTool]:
    """Wrap the deck's tools as LangChain tools (content for the model, typed artifact for the engine).

    Args:
        knowledge: The deck knowledge the tools read.
        lang: Language for rendered table text.
    """
    return [*_deck_tools(knowledge), *_table_tools(knowledge, lang), *calculator_tools(knowledge.bundle)]


def _deck_tools(knowledge: DeckKnowledge) -> list[BaseTool]:
    """The slide tools: search, the table of contents and section summaries."""

    def search_deck(query: str, k: int = 5) -> tuple[str, list[Document]]:
        documents = knowledge.search(query, k)
        return knowledge.render_documents(query, documents), documents

    def list_sections() -> tuple[str, list[Any]]:
        sections = knowledge.sections.sections
        lines = [f"{info.key}: {info.title} (slides {', '.join(map(str, info.slides))})" for info in sections]
        return "\n".join(lines), sections

    def summarize_section(section: str) -> tuple[str, Any]:
        summary = knowledge.sections.summarize(section)
        if summary is None:
            return f"No section matches '{section}'. Call list_sections to see them.", None
        lines = [f"[slide {bullet.slide}] {bullet.text}" for bullet in summary.bullets]
        return f"{summary.section.title}\n" + "\n".join(lines), summary

    common = _TOOL_OPTIONS
    return [
        StructuredTool.from_function(
            search_deck,
            name=SEARCH_TOOL,
            description=(
                "Search the METI deck; returns the best slides with slide numbers and their matching lines."
            ),
            args_schema=SearchInput,
            **common,
        ),
        StructuredTool.from_function(
            list_sections,
            name=SECTIONS_TOOL,
            description="List the deck's sections (table of contents) with their slide numbers.",
            args_schema=NoInput,
            **common,
        ),
        StructuredTool.from_function(
            summarize_section,
            name=SUMMARY_TOOL,
            description=(
                "Summarise one section or slide extractively: key points quoted from the deck, "
                "each with its slide."
            ),
            args_schema=SummaryInput,
            **common,
        ),
    ]


def _table_tools(knowledge: DeckKnowledge, lang: str) -> list[BaseTool]:
    """The table tools: which tables fit a question, and a lookup or operation on one (text in `lang`)."""

    def find_tables(question: str) -> tuple[str, list[str]]:
        if knowledge.tables is None:
            return "No tables are loaded.", []
        ids = find_tables_for(knowledge.tables, question)[:4]
        lines = []
        for table_id in ids:
            table = knowledge.tables.get(table_id)
            lines.append(f"{table_id}: {table.title_ja} / {table.title_en} (slide: {table.slide_title})")
        return ("\n".join(lines) or "No table fits this question."), ids

    def lookup_ranking(**arguments: Any) -> tuple[str, RankingResult | None]:
        if knowledge.tables is None:
            return "No tables are loaded.", None
        # No `op`: the original lookup (same content as before); with `op`: a table operation.
        args = RankingToolInput.model_validate({k: v for k, v in arguments.items() if v is not None})
        result = run_ranking_tool(knowledge.tables, args)
        text_lang = "en" if lang == "en" else "ja"
        if isinstance(result, TableOperationResult):
            text = format_operation_text(result, text_lang)
        else:
            text = format_result_text(result, text_lang)
        return f"{text}\nrows matched: {len(result.matches)}; rows in table: {result.total_rows}", result

    common = _TOOL_OPTIONS
    return [
        StructuredTool.from_function(
            find_tables,
            name=FIND_TABLES_TOOL,
            description=(
                "Find which of the deck's structured tables (rankings, lists, budgets) a question is about."
            ),
            args_schema=FindTablesInput,
            **common,
        ),
        StructuredTool.from_function(
            lookup_ranking,
            name=RANKING_TOOL,
            description=RANKING_TOOL_DESCRIPTION,
            args_schema=RankingToolInput,
            **common,
        ),
    ]


_TOOL_OPTIONS: dict[str, Any] = {
    "response_format": "content_and_artifact",
    "handle_tool_error": True,
    "handle_validation_error": True,
}


def calculator_tools(bundle: DocumentBundle | None = None) -> list[BaseTool]:
    """One LangChain tool per generated ToolSpec of tools.registry, in registry order.

    The args schema is the spec's input model; the artifact is the typed result, so citations still come from
    metadata. The content is the result's JSON unless `MODEL_CONTENT` has a compact rendering for the tool.
    With a bundle, the result's figures cite the bundle's slide titles instead of the tools' rule keys.
    """
    return [_calculator_tool(spec, bundle) for spec in generated_tools()]


def _calculator_tool(spec: ToolSpec, bundle: DocumentBundle | None = None) -> BaseTool:
    content = MODEL_CONTENT.get(spec.name, _result_json)

    def run(**arguments: Any) -> tuple[str, BaseModel]:
        result = spec.call(arguments, tables=bundle.tables if bundle is not None else None)
        if bundle is not None:
            result = cite_rule_slides(result, bundle)
        return content(result), result

    return StructuredTool.from_function(
        run, name=spec.name, description=spec.description, args_schema=spec.input_model, **_TOOL_OPTIONS
    )


def _result_json(result: BaseModel) -> str:
    return result.model_dump_json()


def _render_rd_credit(result: Any) -> str:
    """Render an RdCreditResult compactly: every step's value and working, then the total."""
    breakdown = result.applied
    steps = [
        {"step": step.label_en, "label_ja": step.label_ja, "value": step.value, "working": step.working}
        for step in breakdown.steps
    ]
    summary = {
        "type": breakdown.kind,
        "rate": breakdown.rate.percent,
        "credit_limit": f"{breakdown.credit_limit:,}",
        "cap_pct": breakdown.cap_pct.percent if breakdown.cap_pct else None,
        "cap_amount": f"{breakdown.cap_amount:,}" if breakdown.cap_amount is not None else None,
        "cap_binds": breakdown.cap_binds,
        "total_credit": f"{result.total_credit:,}",
        "slide": breakdown.steps[0].slide if breakdown.steps else None,
        "notes": [note.text_en for note in result.notes][:4],
        "warnings": [warning.text_en for warning in getattr(result, "warnings", [])],
    }
    return json.dumps({"summary": summary, "steps": steps}, ensure_ascii=False)


# What a model reads from a calculator, by tool name; other tools give their result's JSON.
MODEL_CONTENT: dict[str, Callable[[Any], str]] = {RD_CREDIT_TOOL: _render_rd_credit}


MIN_OVERLAP = 4


def _leading_overlap(japanese: str, units: dict[str, str]) -> tuple[str, int] | None:
    """The unit whose end is the start of `japanese` (at least MIN_OVERLAP characters), and that length."""
    if any(japanese.startswith(text) for text in units if len(text) >= 2):
        return None
    best: tuple[str, int] | None = None
    for text in units:
        for size in range(min(len(text), len(japanese)) - 1, MIN_OVERLAP - 1, -1):
            if text.endswith(japanese[:size]):
                if best is None or size > best[1]:
                    best = (text, size)
                break
    return best
