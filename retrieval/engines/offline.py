"""The offline engine: a deterministic chat model that picks tools from the question's intent and composes
extractive, grounded answers from their results, run in the same tool loop as the LLM engine."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.engines.calculator_answers import calculation_error, calculator_answer_lines, rule_line
from retrieval.engines.loop import DECKBOT_KEY, build_answer, conversation, run_tool_loop
from retrieval.engines.messages import NAME_JOINER, SENTENCE_SEPARATOR, join_list, say
from retrieval.engines.table_answers import (
    evidence_intent,
    is_operation,
    operation_args,
    raw_question,
    table_blocks,
)
from retrieval.engines.table_follow_ups import TableTurn, named_table, table_follow_up, year_mismatch
from retrieval.engines.table_questions import named_columns, table_operations_from_question
from retrieval.engines.toolkit import (
    FIND_TABLES_TOOL,
    RANKING_TOOL,
    SEARCH_TOOL,
    SECTIONS_TOOL,
    SUMMARY_TOOL,
    DeckKnowledge,
    build_tools,
)
from retrieval.extract import best_units
from retrieval.glossary import english_forms, english_names_in, english_terms_in
from retrieval.intent import DocumentVocabulary, QuestionIntent, analyze, fold
from retrieval.models import Answer, Citation
from tools.rankings import (
    RankingResult,
    RowMatch,
    Table,
    TableSet,
    find_entities,
    match_entity,
    table_keyword_scores,
)
from tools.rd_credit_question import rdcredit_from_question
from tools.registry import ToolSpec, question_tools
from tools.spec import ToolProposal

ENGINE_NAME = "offline"
MIN_COVERAGE = 0.4
_BULLET_MARK = re.compile(r"^\s*[⚫•◼➢■●◆▶►・]\s*")
_SOURCE_TAIL = re.compile(r"(?<=.{12})[（(](?:出典|出所)[）)]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年|\b)")
_SERIES_NUMBER = re.compile(r"\s*\(\d{1,2}\)\s*$")


@dataclass
class _State:
    question: str
    intent: QuestionIntent
    results: dict[str, list[ToolMessage]] = field(default_factory=dict)
    history: tuple[str, ...] = ()  # earlier turns of the thread (question, answer, ...), oldest first

    def artifacts(self, name: str) -> list[Any]:
        return [message.artifact for message in self.results.get(name, [])]

    def documents(self) -> list[Document]:
        docs: list[Document] = []
        for artifact in self.artifacts(SEARCH_TOOL):
            docs += [
                doc
                for doc in artifact or []
                if doc.metadata["slide"] not in {d.metadata["slide"] for d in docs}
            ]
        return docs


class OfflinePlanner:
    """Decides the tool calls for a question and composes the final answer from their results."""

    def __init__(self, knowledge: DeckKnowledge) -> None:
        """Keep the deck knowledge (slides, tables) the composition reads.

        Args:
            knowledge: The shared deck knowledge.
        """
        self.knowledge = knowledge

    # ---- one model step ------------------------------------------------------------------------

    def step(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """Return the next AI message: tool calls when more evidence is needed, else the final answer."""
        last_human = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        question = str(messages[last_human].content)
        state = _State(
            question=question, intent=self.intent_of(question), history=_thread_turns(messages[:last_human])
        )
        for message in messages[last_human + 1 :]:
            if isinstance(message, ToolMessage):
                state.results.setdefault(message.name or "", []).append(message)
        if not state.results:
            return _calls(self.first_calls(state))
        follow_up = self.follow_up_calls(state)
        if follow_up:
            return _calls(follow_up)
        return self.compose(state)

    def intent_of(self, question: str) -> QuestionIntent:
        """The question's intent; a plain lookup that reads as a summary request becomes a summary."""
        intent = self.knowledge.analyze(question)
        if intent.kind == "lookup" and self.knowledge.is_summary_request(question):
            intent.kind = "summary"
        return intent

    def first_calls(self, state: _State) -> list[tuple[str, dict[str, Any]]]:
        """Pick the first tools from the question's kind."""
        intent = state.intent
        tax_calls = _tax_calls(state, self.knowledge)
        if tax_calls:
            return tax_calls
        if intent.kind == "sections":
            return [(SECTIONS_TOOL, {})]
        if intent.kind == "summary" and not self._asks_table(state):
            target = intent.quoted[0] if intent.quoted else state.question
            return [(SUMMARY_TOOL, {"section": target}), (SEARCH_TOOL, {"query": state.question, "k": 5})]
        turn = self.table_turn(state)
        if turn is not None:
            # A table follow-up re-runs the previous table operation with one slot changed.
            query = f"{turn.question}\n{raw_question(state.question, state.history)}"
            return [(SEARCH_TOOL, {"query": query, "k": 5}), (RANKING_TOOL, operation_args(turn.operation))]
        calls = [(SEARCH_TOOL, {"query": state.question, "k": 5})]
        if self.knowledge.tables is not None:
            calls.append((FIND_TABLES_TOOL, {"question": state.question}))
        return calls

    def _asks_table(self, state: _State) -> bool:
        """Whether a question read as a summary request by meaning asks a table operation by its structure
        (「中央値の高い順に並べて」) or is a table follow-up ("and the year before?")."""
        if self.knowledge.tables is None or analyze(state.question).kind == "summary":
            return False
        if self.table_turn(state) is not None:
            return True
        tables = self.knowledge.tables
        table = named_table(state.question, tables)
        operations = table_operations_from_question(state.question, table, tables) if table else []
        # a filter ("… at Japanese universities") is too common in summary requests to overrule one
        return bool(operations) and operations[0].op not in ("lookup", "filter")

    def table_turn(self, state: _State) -> TableTurn | None:
        """The previous table question's operation with the slot this follow-up changes, if it is one."""
        if self.knowledge.tables is None or len(state.history) < 2:
            return None
        question = raw_question(state.question, state.history)
        return table_follow_up(question, state.history, self.knowledge.tables)

    def follow_up_calls(self, state: _State) -> list[tuple[str, dict[str, Any]]]:
        """After find_tables: look up the relevant tables' rows (by entity, rank or top N)."""
        if (
            FIND_TABLES_TOOL not in state.results
            or RANKING_TOOL in state.results
            or self.knowledge.tables is None
        ):
            return []
        table_ids = next(iter(state.artifacts(FIND_TABLES_TOOL)), []) or []
        documents = state.documents()
        focus = self.focus(state.intent, documents)
        if focus is None:
            return []
        # A table counts only if it sits on the focus slide or on a slide covering the topic nearly as well.
        best = self.topic_coverage(state.intent, focus)
        near_sections = {
            doc.metadata["section"]
            for doc in documents
            if self.topic_coverage(state.intent, doc) >= 0.9 * best
        }
        tables = [self.knowledge.tables.get(table_id) for table_id in table_ids[:3]]
        chosen = [t for t in tables if {t.slide_title, *t.also_on_slides} & near_sections]
        if not chosen:
            # No table on the topic's slides: accept one only if the question names its row and the
            # table (title, columns, that row) covers the question's topic.
            chosen = [t for t in tables if self._table_fits(t, state)][:1]
        if not chosen:
            # ... or if it asks an operation of the best table whose own title/keywords cover its topic.
            chosen = [t for t in tables[:1] if self._operation_fits(t, state)]
        # Tables the question names by keyword are the ones asked about; others on the slide are dropped.
        scores = table_keyword_scores(self.knowledge.tables, state.question)
        named = {table_id for table_id, score in scores if score >= 1}
        chosen = [t for t in chosen if t.id in named] or chosen
        calls: list[tuple[str, dict[str, Any]]] = []
        for table in chosen:
            calls += _lookups_for(
                self.knowledge.tables, table, state.question, state.intent.entities, self.knowledge.subject
            )
        return calls

    def _table_fits(self, table: Table, state: _State) -> bool:
        rows = _strong_rows(self.knowledge.tables, table, state.question, self.knowledge.subject)
        if not rows:
            return False
        topic = [
            term for term in state.intent.quoted + state.intent.terms if term not in state.intent.entities
        ]
        labels = " ".join(f"{c.label_ja} {c.label_en}" for c in table.columns)
        row_texts = " ".join(_row_text(r) for r in rows)
        text = f"{table.title_ja} {table.title_en} {' '.join(table.keywords)} {labels} {row_texts}"
        return bool(topic) and _coverage_of(text, topic) >= MIN_COVERAGE

    def _operation_fits(self, table: Table, state: _State) -> bool:
        operations = table_operations_from_question(state.question, table, self.knowledge.tables)
        if not operations or operations[0].op == "lookup":
            return False
        topic = [
            term for term in state.intent.quoted + state.intent.terms if term not in state.intent.entities
        ]
        labels = " ".join(f"{c.label_ja} {c.label_en}" for c in table.columns)
        text = f"{table.title_ja} {table.title_en} {' '.join(table.keywords)} {labels}"
        return bool(topic) and _coverage_of(text, topic) >= MIN_COVERAGE

    # ---- evidence ------------------------------------------------------------------------------

    def topic_coverage(self, intent: QuestionIntent, document: Document) -> float:
        """Coverage of the question's topic terms (named entities excluded: they are checked separately)."""
        terms = [term for term in intent.quoted + intent.terms if term not in intent.entities]
        if not terms:
            terms = intent.entities + intent.unknown_names
        return self.knowledge.slide_coverage(document.metadata["slide"], terms)

    def focus(self, intent: QuestionIntent, documents: list[Document]) -> Document | None:
        """The slide that best covers the question's topic terms (search rank breaks ties)."""
        if not documents:
            return None
        best = max(
            documents, key=lambda doc: self.topic_coverage(intent, doc) - 0.01 * doc.metadata["search_rank"]
        )
        best.metadata["coverage"] = round(self.topic_coverage(intent, best), 3)
        return best

    # ---- composing -----------------------------------------------------------------------------

    def compose(self, state: _State) -> AIMessage:
        """Compose the final answer from the tool results."""
        intent = state.intent
        tax_answer = self._tax_compose(state)
        if tax_answer is not None:
            return tax_answer
        if intent.kind == "sections":
            return self._sections_answer(state)
        if intent.kind == "summary":
            summary = self._summary_by_content(state, next(iter(state.artifacts(SUMMARY_TOOL)), None))
            if isinstance(summary, SectionSummary) and summary.bullets:
                if summary.section.key.startswith("ch"):  # a chapter named by number: nothing to refuse
                    return self._summary_answer(state, summary)
                refusal = self._refusal_reason(state, self._summary_document(summary, state), [])
                if refusal is None:
                    return self._summary_answer(state, summary)
        return self._lookup_answer(state)

    def _summary_by_content(self, state: _State, summary: Any) -> Any:
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
            if self.knowledge.slide_coverage(picked, terms) >= self.knowledge.slide_coverage(slide, terms):
                slide = picked
        return self.knowledge.sections.summarize(str(slide), about=state.intent) or summary

    def _summary_document(self, summary: SectionSummary, state: _State) -> Document | None:
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

    def _ranking_results(self, state: _State) -> list[RankingResult]:
        return [artifact for artifact in state.artifacts(RANKING_TOOL) if isinstance(artifact, RankingResult)]

    def _refusal_reason(
        self, state: _State, focus: Document | None, tables: list[RankingResult]
    ) -> dict[str, Any] | None:
        """Why the deck cannot answer, or None when the evidence covers the question."""
        intent = state.intent
        if focus is None:
            return {"kind": "nothing"}
        matched_rows = [match for result in tables for match in result.matches]
        table_text = fold(" ".join(_row_text(match) for match in matched_rows))
        evidence = fold(f"{focus.metadata['section']} {focus.page_content}") + table_text
        topic_terms = [term for term in intent.quoted + intent.terms if term not in intent.entities]
        if not topic_terms:
            return {"kind": "weak"}
        # Topic coverage over the focus slide plus any table rows found (tables restate slides exactly).
        table_titles = " ".join(f"{r.title_ja} {r.title_en}" for r in tables if r.matches)
        coverage = max(
            self.topic_coverage(intent, focus),
            _coverage_of(f"{focus.page_content} {table_titles} {table_text}", topic_terms),
        )
        if coverage < MIN_COVERAGE:
            return {"kind": "weak"}
        # The question's names and years must be in what the answer would quote (its units and rows), not just
        # somewhere on the slide: a slide can name Singapore in one line and give rates for others in another.
        quoted, quoted_en = self._quotable(focus, intent)
        evidence = fold(f"{focus.metadata['section']} {quoted}") + table_text

        def said(name: str) -> bool:  # in the Japanese, or in its English rendering (UK for 英国)
            return re.search(rf"\b{re.escape(name.lower())}\b", quoted_en) is not None

        missing = [
            entity
            for entity in intent.entities
            if entity not in self.knowledge.subject
            and not _present(entity, evidence, matched_rows)
            and not any(said(form) for form in english_forms(entity))
        ]
        missing += [
            name
            for name in intent.unknown_names
            if fold(name) not in evidence and not _in_rows(name, matched_rows) and not said(name)
        ]
        if missing:
            return {"kind": "entity", "missing": missing}
        if any(year not in evidence and year not in quoted_en for year in intent.years):
            return {"kind": "year"}
        return None

    def _quotable(self, focus: Document, intent: QuestionIntent) -> tuple[str, str]:
        """The units of the focus slide an answer would quote, in Japanese and (lower-cased) in English."""
        english = self.knowledge.english.get(focus.metadata["slide"], {})
        units = [u.text for u in best_units(focus.page_content, intent, limit=4, english=english)]
        return " ".join(units), " ".join(english.get(u, "") for u in units).lower()

    def _lookup_answer(self, state: _State) -> AIMessage:
        intent = state.intent
        documents = state.documents()
        tables = self._ranking_results(state)
        focus = self._table_focus(intent, documents, tables)
        refusal = self._table_refusal(state, tables) or self._refusal_reason(
            self._evidence_state(state, tables), focus, tables
        )
        if refusal is not None:
            return self._refusal(state, documents, focus, tables, refusal)
        assert focus is not None
        heads, lines, citations = self._table_lines(state, tables)
        # An operation's answer is the table's own; slide quotes would only repeat or bury it.
        answered = [r for r in tables if r.matches]
        operated = bool(answered) and all(is_operation(r) for r in answered)
        operated = operated or (bool(answered) and self.table_turn(state) is not None)
        limit = 2 if lines else 4
        english = self.knowledge.english.get(focus.metadata["slide"])
        units = [] if operated else [
            u.text for u in best_units(focus.page_content, intent, limit=limit, english=english)
        ]
        lines = heads + lines
        if lines:
            # The table already answers; keep only quotes that add a named thing or a figure of their own.
            table_folded = fold(" ".join(c.text for c in citations))
            names = [fold(n) for n in intent.entities + intent.unknown_names]
            units = [
                unit
                for unit in units
                if len(unit) >= 10
                and fold(unit) not in table_folded
                and (any(name in fold(unit) for name in names) or re.search(r"\d", unit))
                and not re.match(r"\s*[（(]?出典", unit)
            ]
        quote_lines = []
        units = _within_quote_budget(units)
        if units:
            number, section = focus.metadata["slide"], focus.metadata["section"]
            # Quote the statement, not the source note the PDF ran into it.
            shown = [
                _SOURCE_TAIL.split(_BULLET_MARK.sub("", unit.removeprefix(section)), 1)[0].strip() or unit
                for unit in units
            ]
            if intent.lang == "ja":
                quote_lines.append(f"資料の記載（スライド{number}「{section}」）:")
                quote_lines += [f"・{unit}" for unit in shown]
            else:
                quote_lines += self._english_quote(number, section, units, shown)
            citations.append(Citation(slide=number, section=section, text=self._cited_text(number, units)))
        citations = _merge_citations(citations)
        text = "\n".join(lines + ([""] if lines and quote_lines else []) + quote_lines).strip()
        return _final(text, "answered", citations)

    def _table_lines(
        self, state: _State, tables: list[RankingResult]
    ) -> tuple[list[str], list[str], list[Citation]]:
        """(direct answers, title + rows used, one citation per table) in the question's language."""
        heads: list[str] = []
        lines: list[str] = []
        citations: list[Citation] = []
        def translate(slide_title: str, text: str) -> str | None:
            return self.knowledge.english_of(self._slide_number(slide_title) or 0, text)

        for block in table_blocks(tables, self.knowledge.tables, state.intent, translate):
            heads += block.heads
            if block.rows or not block.head_names_table:
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

    def _table_refusal(self, state: _State, tables: list[RankingResult]) -> dict[str, Any] | None:
        """A year refusal when the question names a table but its years fit neither it nor its other years."""
        if self.knowledge.tables is None or any(r.matches for r in tables):
            return None
        return {"kind": "year"} if year_mismatch(state.question, self.knowledge.tables) else None

    def _evidence_state(self, state: _State, tables: list[RankingResult]) -> _State:
        """The question as the refusal check reads it: a table follow-up together with the question that
        named its table, and with the consulted tables' own keywords and names as evidence."""
        if self.knowledge.tables is None:
            return state
        turn = self.table_turn(state) if RANKING_TOOL in state.results else None
        question = state.question
        if turn is not None:
            question = f"{turn.question}\n{raw_question(state.question, state.history)}"
        intent = self.knowledge.analyze(question) if turn is not None else state.intent
        intent = evidence_intent(intent, question, tables, self.knowledge.tables)
        return _State(question=question, intent=intent, results=state.results, history=state.history)

    def _english_quote(self, number: int, section: str, units: list[str], shown: list[str]) -> list[str]:
        """Quote units for an English reader: the reviewed English rendering, then the Japanese original."""
        lines = [f'Slide {number} ("{self._english_title(number, section)}") says:']
        for unit, japanese in zip(units, shown, strict=True):
            english = self.knowledge.english_for(number, unit)
            lines.append(f"> {english}\n>   (原文: {japanese})" if english else f"> {japanese}")
        if not all(self.knowledge.english_for(number, unit) for unit in units):
            gloss = english_gloss(" ".join(u for u in units if not self.knowledge.english_for(number, u)))
            if gloss:
                lines.append(gloss)
        return lines

    def _english_title(self, number: int, section: str) -> str:
        """A slide title in English, without the series number the deck prints as ①②… (not a figure)."""
        english = self.knowledge.english_for(number, section)
        return _SERIES_NUMBER.sub("", english) if english else section

    def _cited_text(self, number: int, units: list[str]) -> str:
        """A citation's text: the quoted units, with their English renderings where the answer shows them."""
        english = [self.knowledge.english_for(number, unit) for unit in units]
        return "\n".join(units + [e for e in english if e])

    def _refusal(
        self,
        state: _State,
        documents: list[Document],
        focus: Document | None,
        tables: list[RankingResult],
        reason: dict[str, Any],
    ) -> AIMessage:
        lang = state.intent.lang
        nearest = ([focus] if focus is not None else []) + [d for d in documents if d is not focus]
        nearest = nearest[:2]
        citations = [
            Citation(slide=d.metadata["slide"], section=d.metadata["section"], text=_excerpt(d.page_content))
            for d in nearest
        ]
        covered: list[str] = []
        for result in tables:
            table = self.knowledge.tables.get(result.table_id) if self.knowledge.tables else None
            if table is not None:
                covered += [_row_name(table, match, lang) for match in result.matches[:12]]
        if not covered and tables and self.knowledge.tables is not None:
            # Only empty lookups: name what the consulted table does list.
            table = self.knowledge.tables.get(tables[0].table_id)
            covered = [
                _row_name(table, RowMatch(row=row, how="all", score=1.0), lang) for row in table.rows[:12]
            ]
        parts = [say("refusal", lang), self._refusal_detail(state, focus, reason)]
        if covered:
            parts.append(say("deck_lists", lang, names=join_list(covered, lang)))
        if nearest:
            refs = [
                say("section_ref", lang, section=d.metadata["section"], slide=d.metadata["slide"])
                for d in nearest
            ]
            parts.append(say("nearest", lang, sections=join_list(refs, lang)))
        return _final(SENTENCE_SEPARATOR[lang].join(p for p in parts if p), "not_in_deck", citations)

    def _refusal_detail(self, state: _State, focus: Document | None, reason: dict[str, Any]) -> str:
        """Which constraint the evidence does not meet, and for a year what the evidence has instead."""
        lang = state.intent.lang
        if reason["kind"] == "entity":
            where = (
                say(
                    "closest_evidence",
                    lang,
                    slide=focus.metadata["slide"],
                    section=focus.metadata["section"],
                )
                if focus
                else say("the_deck", lang)
            )
            names = reason["missing"] if lang == "ja" else [_english_name(n) for n in reason["missing"]]
            return say("missing_entity", lang, where=where, names=NAME_JOINER[lang].join(names))
        if reason["kind"] == "year":
            text = say("missing_year", lang, asked=join_list(state.intent.years, lang))
            # the years of what the answer would have quoted, so "the deck gives 2021 and 2023, not 2024"
            quoted = self._quotable(focus, state.intent)[0] if focus else ""
            given = sorted(set(_YEAR.findall(quoted)) - set(state.intent.years))
            if given:
                years = join_list([f"{y}年" if lang == "ja" else y for y in given[:8]], lang)
                text += SENTENCE_SEPARATOR[lang] + say("years_given", lang, years=years)
            return text
        return say("weak", lang)

    def _summary_answer(self, state: _State, summary: SectionSummary) -> AIMessage:
        lang = state.intent.lang
        bullets = summary.bullets
        if lang == "ja":
            head = f"「{summary.section.title}」の要点（資料からの抜粋）:"
            lines = [head] + [f"・{b.text}（スライド{b.slide}）" for b in bullets]
        else:
            title = self._english_title(bullets[0].slide or 0, summary.section.title) if bullets else ""
            lines = [f'Key points of "{title or summary.section.title}":']
            untranslated = []
            for bullet in bullets:
                english = self.knowledge.english_for(bullet.slide or 0, bullet.text)
                lines.append(f"- {english or bullet.text} (slide {bullet.slide})")
                if english is None:
                    untranslated.append(bullet.text)
            gloss = english_gloss(" ".join(untranslated))
            if gloss:
                lines.append(gloss)
            bullets = [
                b.model_copy(update={"text": self._cited_text(b.slide or 0, [b.text])}) for b in bullets
            ]
        return _final("\n".join(lines), "answered", list(bullets))

    def _sections_answer(self, state: _State) -> AIMessage:
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
        return _final("\n".join(lines), "answered", citations)

    def _tax_compose(self, state: _State) -> AIMessage | None:
        """The answer to a calculation request (a calculator's result, or what is missing); None if none."""
        request = _calculator_request(state)
        if request is None:
            return None
        spec, proposal = request
        if spec.name in state.results:
            return self._calculator_answer(state, spec, proposal)
        return self._tax_needs_amounts(state, proposal)

    def _calculator_answer(self, state: _State, spec: ToolSpec, proposal: ToolProposal) -> AIMessage:
        """A registered calculator's answer: its plain text, then the slide its rules rest on (cited)."""
        lang = state.intent.lang
        result = next(iter(state.artifacts(spec.name)), None)
        if not isinstance(result, spec.result_model):  # the tool rejected the arguments read from the question
            return _final(calculation_error(str(state.results[spec.name][0].content), lang), "needs_input", [])
        lines = calculator_answer_lines(spec, result, proposal, lang)
        rule = self.knowledge.rule_slide(spec)  # as the document bundle prints it
        rule_doc = self._tax_rule_document(state, rule.title) if rule is not None else None
        citations = []
        if rule is not None and rule_doc is not None:
            slide, section = rule_doc.metadata["slide"], rule_doc.metadata["section"]
            if rule.quote_terms:
                units = best_units(rule_doc.page_content, analyze(rule.quote_terms), limit=3)
                quote = "\n".join(unit.text for unit in units)
            else:
                quote = _excerpt(rule_doc.page_content)
            citations.append(Citation(slide=slide, section=section, text=quote))
            lines.append(rule_line(rule, slide, section, lang))
        return _final("\n".join(lines), "answered", citations)

    def _tax_rule_document(self, state: _State, rule_slide: str | None) -> Document | None:
        documents = state.documents()
        fallback = documents[0] if documents else None
        return next((d for d in documents if d.metadata["section"] == rule_slide), fallback)

    def _tax_needs_amounts(self, state: _State, proposal: ToolProposal) -> AIMessage:
        """Name the inputs the calculation still needs (status needs_input: the question is not answered)."""
        documents = state.documents()
        citations = [
            Citation(slide=d.metadata["slide"], section=d.metadata["section"], text=_excerpt(d.page_content))
            for d in documents[:1]
        ]
        text = proposal.message_ja if state.intent.lang == "ja" else proposal.message_en
        return _final(text, "needs_input", citations)

    def _slide_number(self, slide_title: str) -> int | None:
        for slide in self.knowledge.slides:
            if slide.title == slide_title:
                return slide.number
        return None


def _coverage_of(text: str, terms: list[str]) -> float:
    from retrieval.extract import coverage

    return coverage(text, terms)


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


def _names_slide(question: str) -> bool:
    """Whether a request names a slide by number ("slide 12", 「スライド12」, "p.12")."""
    return re.search(r"(?:slide|スライド|p\.)\s*\d{1,3}", question, re.I) is not None


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


def _calls(calls: list[tuple[str, dict[str, Any]]]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": args, "id": f"call_{index}_{name}", "type": "tool_call"}
            for index, (name, args) in enumerate(calls)
        ],
    )


def _final(text: str, status: str, citations: list[Citation]) -> AIMessage:
    return AIMessage(
        content=text,
        additional_kwargs={DECKBOT_KEY: {"status": status, "citations": [c.model_dump() for c in citations]}},
    )


def _excerpt(text: str, limit: int = 240) -> str:
    compact = re.sub(r"\n+", " ", text).strip()
    return compact if len(compact) <= limit else compact[:limit] + "…"


def _calculator_request(state: _State) -> tuple[ToolSpec, ToolProposal] | None:
    """The first registered calculator whose `from_question` parser reads the question (with its thread)."""
    for spec in question_tools():
        assert spec.from_question is not None
        proposal = spec.from_question(state.question, state.history)
        if proposal.status != "not_applicable":
            return spec, proposal
    return None


def _tax_calls(state: _State, knowledge: DeckKnowledge) -> list[tuple[str, dict[str, Any]]]:
    """Calls for a calculation request: the calculator (when its inputs are all there) and its rule slide."""
    request = _calculator_request(state)
    if request is None:
        return []
    spec, proposal = request
    calls = [(spec.name, proposal.arguments)] if proposal.status == "ready" else []
    rule = knowledge.rule_slide(spec)
    if rule is not None:
        calls.append((SEARCH_TOOL, {"query": rule.query, "k": 3}))
    return calls


def _thread_turns(messages: Sequence[BaseMessage]) -> tuple[str, ...]:
    """The thread's earlier questions and answers (no system prompt, no tool traffic), oldest first."""
    return tuple(
        str(m.content)
        for m in messages
        if isinstance(m, HumanMessage) or isinstance(m, AIMessage) and not m.tool_calls
    )


def _present(entity: str, evidence: str, rows: list[RowMatch]) -> bool:
    # The deck writes some names in Latin script (Amazon, NVIDIA): accept the lexicon's English forms too.
    forms = [entity] + [form for form in english_forms(entity) if len(form) >= 3]
    return any(fold(form) in evidence or _in_rows(form, rows) for form in forms)


def _in_rows(name: str, rows: list[RowMatch]) -> bool:
    folded = fold(name)
    for match in rows:
        names = [*match.row.display.values(), *match.row.aliases]
        if any(folded == fold(value) or (len(folded) >= 2 and folded in fold(value)) for value in names):
            return True
    return False


def _row_text(match: RowMatch) -> str:
    return " ".join([*match.row.display.values(), *match.row.aliases])


def _strong_rows(tables: Any, table: Table, question: str, subject: Collection[str]) -> list[RowMatch]:
    """Rows the question names specifically (by name or alias, not just the document's subject, 'Japan')."""
    implicit = {fold(name) for name in subject}
    return [
        match
        for match in find_entities(tables, table.id, question)
        if match.how in ("exact", "alias")
        and len(match.matched_on or "") >= 3
        and fold(match.matched_on or "") not in implicit
    ]


def _lookups_for(
    tables: TableSet, table: Table, question: str, named: Sequence[str] = (), subject: Collection[str] = ()
) -> list[tuple[str, dict[str, Any]]]:
    """Calls for one table: the operations the question asks of it (table_questions), main one first.

    A name the question uses that fits no row (ミュンヘン) still gets its own lookup, so the empty result
    shows what the table does list; the whole list is then dropped (it would only bury the answer).
    """
    operations = table_operations_from_question(question, table, tables, names=list(named))
    if not operations:
        return []
    labels = {c.label_ja for c in named_columns(question, table)}
    absent = [
        name
        for name in named
        if name not in subject and name not in labels and not match_entity(table, name)
    ]
    calls = [(RANKING_TOOL, {"table": table.id, "op": "lookup", "entity": name}) for name in absent[:4]]
    if calls:
        asked_rows = [op for op in operations if op.op != "lookup" or op.entity or op.column]
        operations = asked_rows
    return calls + [(RANKING_TOOL, operation_args(op)) for op in operations]


def _row_name(table: Table, match: RowMatch, lang: str) -> str:
    name = table.name_of(match.row)
    if lang == "en":
        latin = next((alias for alias in match.row.aliases if alias.isascii()), None)
        if latin and not name.isascii():
            return latin
    return name


def _english_name(name: str) -> str:
    names = english_names_in(name)
    return names[0] if names else name


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


def _english_figure(number: str, unit: str, noun: str) -> str | None:
    from decimal import Decimal

    value = (
        Decimal(number.replace(",", ""))
        * {"兆": Decimal(10) ** 12, "億": Decimal(10) ** 8, "万": Decimal(10) ** 4}[unit]
    )
    original = f"{number}{unit}{noun}"

    def scaled(amount: Decimal) -> str:
        for size, word in (
            (Decimal(10) ** 12, "trillion"),
            (Decimal(10) ** 9, "billion"),
            (Decimal(10) ** 6, "million"),
        ):
            if amount >= size:
                return f"{_plain(amount / size)} {word}"
        return f"{int(amount):,}"

    if noun == "円":
        return f"{original} = ¥{scaled(value)}"
    if noun == "ドル":
        return f"{original} = US${scaled(value)}"
    if noun in ("人", "社", "件"):
        word = {"人": "people", "社": "companies", "件": "cases"}[noun]
        return f"{original} = {scaled(value)} {word}"
    return f"{original} = {scaled(value)}"


def _plain(value: Any) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text


def resolve_follow_up(
    question: str, history: Sequence[str], vocabulary: DocumentVocabulary | None = None
) -> str:
    """Join a follow-up that names only an entity or year to the previous question of the same language.

    Args:
        question: The new question.
        history: Earlier turns, oldest first, alternating question and answer.
        vocabulary: The document's words (a name it never uses counts as named).

    Returns:
        The question to answer: the previous question plus the new one, or the new one unchanged.
    """
    if len(history) < 2 or len(question) > 40:
        return question
    previous = history[-2]
    intent = analyze(question, vocabulary)
    topic = [
        term for term in intent.terms if term not in intent.entities and term not in intent.unknown_names
    ]
    named = intent.entities or intent.unknown_names or intent.years
    if topic or not named or analyze(previous).lang != intent.lang:
        return question
    return f"{previous}\n{question}"


class OfflineChatModel(BaseChatModel):
    """A deterministic chat model: tool calls from the question's intent.

    Answers are composed from the tool results.
    """

    planner: Any
    model_config = ConfigDict(arbitrary_types_allowed=True)

    @property
    def _llm_type(self) -> str:
        return "deckbot-offline"

    def bind_tools(self, tools: Any, **kwargs: Any) -> OfflineChatModel:  # type: ignore[override]
        """Return self: the planner already knows the deck's tools by name."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.planner.step(messages))])


class OfflineEngine:
    """The default answer engine: no model, no network; implements the Answerer protocol."""

    engine_name = ENGINE_NAME

    def __init__(self, knowledge: DeckKnowledge) -> None:
        """Prepare the engine over the deck knowledge.

        Args:
            knowledge: Searcher, slides and tables.
        """
        self.knowledge = knowledge
        self.model = OfflineChatModel(planner=OfflinePlanner(knowledge))
        self._tools = {lang: build_tools(knowledge, lang=lang) for lang in ("ja", "en")}

    def answer(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        """Answer one question from the deck.

        Args:
            question: The question (Japanese or English).
            history: Earlier turns of the thread, oldest first, alternating question and answer. Offline, it
                completes a bare follow-up ("大阪は？", "And London?") with the previous question, and lets
                an R&D-credit follow-up ("what if we were an SME?") re-run the earlier calculation changed.
        """
        intent = analyze(question)
        tax_follow_up = rdcredit_from_question(question, history).follow_up
        asked = question if tax_follow_up else resolve_follow_up(question, history, self.knowledge.vocabulary)
        outcome = run_tool_loop(self.model, self._tools[intent.lang], conversation(None, asked, history))
        return build_answer(outcome, self.knowledge, engine=ENGINE_NAME, lang=intent.lang)

    def sections(self) -> list[SectionInfo]:
        """List the deck's sections in order."""
        return self.knowledge.sections.sections

    def summarize(self, section_query: str, *, lang: str = "ja") -> SectionSummary | None:
        """Summarise the section matching a key, slide number, title or words."""
        return self.knowledge.sections.summarize(section_query, lang=lang)
