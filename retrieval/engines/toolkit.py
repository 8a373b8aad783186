"""The answer engines' LangChain tools: deck search, sections, summaries, tables and the R&D credit calculator.

Every tool returns `(content, artifact)`: the content is what a model reads, the artifact keeps the typed result
(Documents with slide metadata, RankingResult, RdCreditResult) so citations come from metadata, not model text.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.documents import Document
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from corpus.deck import Slide
from retrieval.extract import best_units, term_match, term_weight
from retrieval.intent import analyze, fold
from retrieval.sections import DeckSections
from tools.rankings import RankingResult, TableSet, find_tables_for, format_result_text
from tools.registry import get_tool

SEARCH_TOOL = "search_deck"
SUMMARY_TOOL = "summarize_section"
SECTIONS_TOOL = "list_sections"
FIND_TABLES_TOOL = "find_tables"
RANKING_TOOL = "lookup_ranking"
RD_CREDIT_TOOL = "rd_credit"
EXTRA_CALCULATORS = ("tax_compare", "innovation_box", "oi_promotion")
MAX_CONTENT_CHARS = 1400


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
    """Everything the tools read: the searcher, the parsed slides, sections and the deck's tables."""

    def __init__(self, *, searcher: Any, slides: list[Slide], tables: TableSet | None) -> None:
        """Hold the deck's searchable knowledge.

        Args:
            searcher: A DeckSearcher (anything with `.search(query, k) -> list[Hit]`), or None for lexical only.
            slides: Parsed slides in deck order.
            tables: The deck's tables, or None when they are unavailable.
        """
        self.searcher = searcher
        self.slides = slides
        self.by_number = {slide.number: slide for slide in slides}
        self.tables = tables
        self.sections = DeckSections(slides)
        self.folded = {
            slide.number: fold(f"{slide.title} {slide.heading or ''} {slide.text}") for slide in slides
        }
        self.deck_folded = "\n".join(self.folded.values())

    def slide_coverage(self, number: int, terms: list[str]) -> float:
        """Share of the terms' weight found on one slide (title, subtitle and body)."""
        if not terms:
            return 0.0
        folded = self.folded.get(number, "")
        total = sum(term_weight(term) for term in terms)
        return sum(term_weight(term) * term_match(term, folded) for term in terms) / total

    def search(self, query: str, k: int = 5) -> list[Document]:
        """Find the slides that answer a query: hybrid search hits plus the best lexical slides, one per slide.

        Returns:
            Documents whose page_content is the whole slide text and whose metadata carries slide, section,
            heading, chapter, the matched chunk ids, the search rank and the term coverage.
        """
        intent = analyze(query)
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
        intent = analyze(query)
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


def _rank_prior(rank: int) -> float:
    return max(0.0, 0.1 - 0.02 * rank)


def build_tools(knowledge: DeckKnowledge, *, lang: str = "ja") -> list[BaseTool]:
    """Wrap the deck's tools as LangChain tools (content for the model, typed artifact for the engine).

    Args:
        knowledge: The deck knowledge the tools read.
        lang: Language for rendered table text.
    """

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
        result = get_tool(RANKING_TOOL).call(
            {key: value for key, value in arguments.items() if value is not None}, tables=knowledge.tables
        )
        assert isinstance(result, RankingResult)
        text = format_result_text(result, "en" if lang == "en" else "ja")
        return f"{text}\nrows matched: {len(result.matches)}; rows in table: {result.total_rows}", result

    def rd_credit(**arguments: Any) -> tuple[str, Any]:
        result = get_tool(RD_CREDIT_TOOL).call(arguments)
        return _render_rd_credit(result), result

    def calculator(tool_name: str) -> Any:
        def run(**arguments: Any) -> tuple[str, Any]:
            result = get_tool(tool_name).call(arguments)
            return result.model_dump_json(), result

        return run

    common: dict[str, Any] = {
        "response_format": "content_and_artifact",
        "handle_tool_error": True,
        "handle_validation_error": True,
    }
    rd_spec = get_tool(RD_CREDIT_TOOL)
    other_calculators = [
        StructuredTool.from_function(
            calculator(name),
            name=name,
            description=get_tool(name).description,
            args_schema=get_tool(name).input_model,
            **common,
        )
        for name in EXTRA_CALCULATORS
    ]
    ranking_spec = get_tool(RANKING_TOOL)
    return [
        StructuredTool.from_function(
            search_deck,
            name=SEARCH_TOOL,
            description="Search the METI deck; returns the best slides with slide numbers and their matching lines.",
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
            description="Summarise one section or slide extractively: key points quoted from the deck, each with its slide.",
            args_schema=SummaryInput,
            **common,
        ),
        StructuredTool.from_function(
            find_tables,
            name=FIND_TABLES_TOOL,
            description="Find which of the deck's structured tables (rankings, lists, budgets) a question is about.",
            args_schema=FindTablesInput,
            **common,
        ),
        StructuredTool.from_function(
            lookup_ranking,
            name=RANKING_TOOL,
            description=ranking_spec.description,
            args_schema=ranking_spec.input_model,
            **common,
        ),
        StructuredTool.from_function(
            rd_credit,
            name=RD_CREDIT_TOOL,
            description=rd_spec.description,
            args_schema=rd_spec.input_model,
            **common,
        ),
        *other_calculators,
    ]


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
