"""The offline engine: a deterministic chat model that picks tools from the question's intent and composes
extractive, grounded answers from their results, run in the same tool loop as the LLM engine."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.engines.loop import DECKBOT_KEY, build_answer, conversation, run_tool_loop
from retrieval.engines.toolkit import (
    FIND_TABLES_TOOL,
    RANKING_TOOL,
    RD_CREDIT_TOOL,
    SEARCH_TOOL,
    SECTIONS_TOOL,
    SUMMARY_TOOL,
    DeckKnowledge,
    build_tools,
)
from retrieval.extract import best_units
from retrieval.glossary import english_forms, english_names_in, english_terms_in
from retrieval.intent import QuestionIntent, analyze, fold
from retrieval.models import Answer, Citation
from tools.rankings import RankingResult, RowMatch, Table, find_entities
from tools.rd_credit import summarize_rd_credit

ENGINE_NAME = "offline"
MIN_COVERAGE = 0.4
# "日本" is the deck's subject: a question about Japan never needs the word on the slide.
IMPLICIT_ENTITIES = {"日本", "国内", "我が国"}
IMPLICIT_NAMES = IMPLICIT_ENTITIES | {"Japan", "Japanese", "JP", "日本企業"}
_RANK_JA = re.compile(r"(\d+)\s*(?:番目|位)(?!以)")
_TOP_N = re.compile(r"(?:上位|トップ|top)\s*(\d+)", re.I)
_RANK_EN = re.compile(
    r"\b(?:(first|1st)|(second|2nd)|(third|3rd))\b|\b(?:number|no\.)\s*(\d+)\b|\b(\d+)(?:st|nd|rd|th)\b", re.I
)
_ASKS_COUNT = re.compile(r"何社|何件|何校|いくつ|何都市|how many|number of", re.I)
_BULLET_MARK = re.compile(r"^\s*[⚫•◼➢■●◆▶►・]\s*")
_SOURCE_TAIL = re.compile(r"(?<=.{12})[（(](?:出典|出所)[）)]")
_ASKS_LIST = re.compile(r"一覧|掲載|リスト|listed|the list", re.I)


@dataclass
class _State:
    question: str
    intent: QuestionIntent
    results: dict[str, list[ToolMessage]] = field(default_factory=dict)

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
        state = _State(question=question, intent=analyze(question))
        for message in messages[last_human + 1 :]:
            if isinstance(message, ToolMessage):
                state.results.setdefault(message.name or "", []).append(message)
        if not state.results:
            return _calls(self.first_calls(state))
        follow_up = self.follow_up_calls(state)
        if follow_up:
            return _calls(follow_up)
        return self.compose(state)

    def first_calls(self, state: _State) -> list[tuple[str, dict[str, Any]]]:
        """Pick the first tools from the question's kind."""
        intent = state.intent
        if intent.kind == "sections":
            return [(SECTIONS_TOOL, {})]
        if intent.kind == "summary":
            target = intent.quoted[0] if intent.quoted else state.question
            return [(SUMMARY_TOOL, {"section": target}), (SEARCH_TOOL, {"query": state.question, "k": 5})]
        if intent.kind == "tax_calc":
            calls: list[tuple[str, dict[str, Any]]] = [
                (SEARCH_TOOL, {"query": "研究開発税制の概要 控除率カーブ 控除上限", "k": 3})
            ]
            parsed = _parse_tax_question(state.question)
            if parsed is not None:
                calls.insert(0, (RD_CREDIT_TOOL, parsed))
            return calls
        calls = [(SEARCH_TOOL, {"query": state.question, "k": 5})]
        if self.knowledge.tables is not None:
            calls.append((FIND_TABLES_TOOL, {"question": state.question}))
        return calls

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
        calls: list[tuple[str, dict[str, Any]]] = []
        for table in chosen:
            calls += _lookups_for(self.knowledge.tables, table, state.question, state.intent.entities)
        return calls

    def _table_fits(self, table: Table, state: _State) -> bool:
        rows = _strong_rows(self.knowledge.tables, table, state.question)
        if not rows:
            return False
        topic = [
            term for term in state.intent.quoted + state.intent.terms if term not in state.intent.entities
        ]
        labels = " ".join(f"{c.label_ja} {c.label_en}" for c in table.columns)
        row_texts = " ".join(_row_text(r) for r in rows)
        text = f"{table.title_ja} {table.title_en} {' '.join(table.keywords)} {labels} {row_texts}"
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
        if intent.kind == "sections":
            return self._sections_answer(state)
        if intent.kind == "tax_calc" and RD_CREDIT_TOOL in state.results:
            return self._tax_answer(state)
        if intent.kind == "tax_calc":
            return self._tax_needs_amounts(state)
        if intent.kind == "summary":
            summary = next(iter(state.artifacts(SUMMARY_TOOL)), None)
            if isinstance(summary, SectionSummary) and summary.bullets:
                if summary.section.key.startswith("ch"):  # a chapter named by number: nothing to refuse
                    return self._summary_answer(state, summary)
                refusal = self._refusal_reason(state, self._summary_document(summary, state), [])
                if refusal is None:
                    return self._summary_answer(state, summary)
        return self._lookup_answer(state)

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
        missing = [
            entity
            for entity in intent.entities
            if entity not in IMPLICIT_ENTITIES and not _present(entity, evidence, matched_rows)
        ]
        missing += [
            name
            for name in intent.unknown_names
            if fold(name) not in evidence and not _in_rows(name, matched_rows)
        ]
        if missing:
            return {"kind": "entity", "missing": missing}
        if any(year not in evidence for year in intent.years):
            return {"kind": "year"}
        return None

    def _lookup_answer(self, state: _State) -> AIMessage:
        intent = state.intent
        documents = state.documents()
        focus = self.focus(intent, documents)
        tables = self._ranking_results(state)
        refusal = self._refusal_reason(state, focus, tables)
        if refusal is not None:
            return self._refusal(state, documents, focus, tables, refusal)
        assert focus is not None
        lines: list[str] = []
        citations: list[Citation] = []
        asked_count = bool(_ASKS_COUNT.search(state.question) and _ASKS_LIST.search(state.question))
        grouped: dict[str, list[RankingResult]] = {}
        for result in tables:
            if result.matches:
                grouped.setdefault(result.table_id, []).append(result)
        for table_id, results in grouped.items():
            result = results[0]
            table = self.knowledge.tables.get(table_id) if self.knowledge.tables else None
            seen_rows: set[int] = set()
            rows = []
            for each in results:
                for match in each.matches[:20]:
                    if match.row.index not in seen_rows:
                        seen_rows.add(match.row.index)
                        rows.append(_format_row(table, each, match, intent))
            title = result.title_ja if intent.lang == "ja" else result.title_en
            lines.append(f"{title}:" if intent.lang == "en" else f"【{title}】")
            lines += [f"・{row}" for row in rows]
            if asked_count and result.query.entity is None:
                lines.append(
                    f"（一覧の掲載数: {result.total_rows}社）"
                    if intent.lang == "ja"
                    else f"(The list has {result.total_rows} entries.)"
                )
            slide_number = self._slide_number(result.slide_title)
            citations.append(
                Citation(slide=slide_number, section=result.slide_title, text="\n".join(rows)[:600])
            )
        units = [unit.text for unit in best_units(focus.page_content, intent, limit=2 if lines else 4)]
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
                quote_lines.append(f'From slide {number} ("{section}"), quoted in Japanese:')
                quote_lines += [f"> {unit}" for unit in shown]
                gloss = english_gloss(" ".join(units))
                if gloss:
                    quote_lines.append(gloss)
            citations.append(Citation(slide=number, section=section, text="\n".join(units)))
        citations = _merge_citations(citations)
        text = "\n".join(lines + ([""] if lines and quote_lines else []) + quote_lines).strip()
        return _final(text, "answered", citations)

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
        if lang == "ja":
            parts = ["資料にはこの質問に答える記載がありません。"]
            if reason["kind"] == "entity":
                names = "」「".join(reason["missing"])
                where = (
                    f"最も近い記載（スライド{focus.metadata['slide']}「{focus.metadata['section']}」）"
                    if focus
                    else "資料"
                )
                parts.append(f"{where}には「{names}」についての記載がありません。")
            elif reason["kind"] == "year":
                parts.append("質問の年・時点の数値は、最も近い記載にも含まれていません。")
            else:
                parts.append("十分に関連するスライドが見つかりませんでした。")
            if covered:
                parts.append(f"資料に掲載されているのは: {'、'.join(dict.fromkeys(covered))}。")
            if nearest:
                near = "、".join(
                    f"「{d.metadata['section']}」（スライド{d.metadata['slide']}）" for d in nearest
                )
                parts.append(f"近い内容のセクション: {near}。")
        else:
            parts = ["The deck does not answer this."]
            if reason["kind"] == "entity":
                names = ", ".join(_english_name(name) for name in reason["missing"])
                where = (
                    f'the closest evidence (slide {focus.metadata["slide"]}, "{focus.metadata["section"]}")'
                    if focus
                    else "the deck"
                )
                parts.append(f"{where[0].upper()}{where[1:]} does not mention {names}.")
            elif reason["kind"] == "year":
                parts.append("The year or period asked about does not appear in the closest evidence.")
            else:
                parts.append("No slide matches the question closely enough.")
            if covered:
                parts.append(f"What the deck lists: {', '.join(dict.fromkeys(covered))}.")
            if nearest:
                near = "; ".join(f'"{d.metadata["section"]}" (slide {d.metadata["slide"]})' for d in nearest)
                parts.append(f"Nearest sections: {near}.")
        separator = "" if lang == "ja" else " "
        return _final(separator.join(parts), "not_in_deck", citations)

    def _summary_answer(self, state: _State, summary: SectionSummary) -> AIMessage:
        lang = state.intent.lang
        bullets = summary.bullets
        if lang == "ja":
            head = f"「{summary.section.title}」の要点（資料からの抜粋）:"
            lines = [head] + [f"・{b.text}（スライド{b.slide}）" for b in bullets]
        else:
            head = f'Key points of "{summary.section.title}" (quoted from the deck in Japanese):'
            lines = [head] + [f"- {b.text} (slide {b.slide})" for b in bullets]
            gloss = english_gloss(" ".join(b.text for b in bullets))
            if gloss:
                lines.append(gloss)
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

    def _tax_answer(self, state: _State) -> AIMessage:
        lang = state.intent.lang
        result = next(iter(state.artifacts(RD_CREDIT_TOOL)), None)
        if result is None or not hasattr(result, "applied"):
            error = str(state.results[RD_CREDIT_TOOL][0].content)
            text = (
                f"計算に必要な金額を読み取れませんでした（{error}）。"
                if lang == "ja"
                else f"Could not read the amounts needed for the calculation ({error})."
            )
            return _final(text, "answered", [])
        breakdown = result.applied
        ja = lang == "ja"
        lines = [
            (
                f"税額控除額: {result.total_credit:,}円（控除率 {breakdown.rate.percent}）"
                if ja
                else f"Credit: ¥{result.total_credit:,} (credit rate {breakdown.rate.percent})"
            ),
            summarize_rd_credit(result, lang),
        ]
        if breakdown.cap_amount is None:
            lines.append(
                "※法人税額が示されていないため、控除上限は適用していません。"
                if ja
                else "Note: no corporate tax was given, so the cap was not applied."
            )
        rule_slide = breakdown.steps[0].slide if breakdown.steps else None
        citations = []
        documents = state.documents()
        rule_doc = next(
            (d for d in documents if d.metadata["section"] == rule_slide), documents[0] if documents else None
        )
        if rule_doc is not None:
            units = [
                u.text
                for u in best_units(
                    rule_doc.page_content,
                    analyze("控除率カーブ 増減試験研究費 比較試験研究費 控除上限"),
                    limit=3,
                )
            ]
            citations.append(
                Citation(
                    slide=rule_doc.metadata["slide"],
                    section=rule_doc.metadata["section"],
                    text="\n".join(units),
                )
            )
            slide, section = rule_doc.metadata["slide"], rule_doc.metadata["section"]
            lines.append(
                f"根拠: スライド{slide}「{section}」の控除率カーブ・控除上限"
                if ja
                else f'Rule: the credit-rate curve and cap on slide {slide} ("{section}")'
            )
        return _final("\n".join(lines), "answered", citations)

    def _tax_needs_amounts(self, state: _State) -> AIMessage:
        lang = state.intent.lang
        documents = state.documents()
        citations = [
            Citation(slide=d.metadata["slide"], section=d.metadata["section"], text=_excerpt(d.page_content))
            for d in documents[:1]
        ]
        text = (
            "計算するには、当期の試験研究費、前3事業年度の試験研究費（3つ）、"
            "必要なら売上金額と法人税額を円で示してください。"
            "例: 「前3事業年度の試験研究費がそれぞれ10億円、10億円、10億円、"
            "当期の試験研究費が12億円、法人税額は5億円」。"
            if lang == "ja"
            else "To calculate, give this year's R&D spending, the three previous years' R&D spending, "
            "and (optionally) sales and corporate tax, in yen. "
            'Example: "prior three years ¥1.0bn, ¥1.0bn, ¥1.0bn; this year ¥1.2bn; corporate tax ¥0.5bn".'
        )
        return _final(text, "answered", citations)

    def _slide_number(self, slide_title: str) -> int | None:
        for slide in self.knowledge.slides:
            if slide.title == slide_title:
                return slide.number
        return None


def _coverage_of(text: str, terms: list[str]) -> float:
    from retrieval.extract import coverage

    return coverage(text, terms)


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


def _parse_tax_question(question: str) -> dict[str, Any] | None:
    from tools.rd_credit import parse_rdcredit_question

    parsed = parse_rdcredit_question(question)
    if parsed is None:
        return None
    return parsed.model_dump(mode="json", exclude_defaults=True)


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


def _strong_rows(tables: Any, table: Table, question: str) -> list[RowMatch]:
    """Rows the question names specifically (by name or alias, not just 'Japan')."""
    implicit = {fold(name) for name in IMPLICIT_NAMES}
    return [
        match
        for match in find_entities(tables, table.id, question)
        if match.how in ("exact", "alias")
        and len(match.matched_on or "") >= 3
        and fold(match.matched_on or "") not in implicit
    ]


def _lookups_for(
    tables: Any, table: Table, question: str, named: Sequence[str] = ()
) -> list[tuple[str, dict[str, Any]]]:
    """Lookup calls for one table: each named row, else the asked rank / top N, else the whole list.

    Names the question uses that match no row outright (大阪 for 大阪‐神戸‐京都) get their own lookup, whose
    partial matching finds the row; a name with no row at all then shows up as an empty result.
    """
    matches = find_entities(tables, table.id, question)
    matched_text = fold(" ".join(_row_text(match) for match in matches))
    extra = [name for name in named if name not in IMPLICIT_ENTITIES and fold(name) not in matched_text]
    extra_calls = [(RANKING_TOOL, {"table": table.id, "entity": name}) for name in extra[:4]]
    row_calls = _row_lookups(tables, table, question, matches)
    if extra_calls and not matches:
        # The named rows are what was asked; the whole list would only bury them.
        row_calls = [call for call in row_calls if len(call[1]) > 1]
    return extra_calls + row_calls


def _row_lookups(
    tables: Any, table: Table, question: str, matches: list[RowMatch]
) -> list[tuple[str, dict[str, Any]]]:
    entities: list[str] = []
    for match in matches:
        if match.how == "column" and match.matched_on and "=" in match.matched_on:
            entities.append(match.matched_on.split("=", 1)[1])
        else:
            entities.append(table.name_of(match.row))
    entities = list(dict.fromkeys(entities))
    if entities:
        return [(RANKING_TOOL, {"table": table.id, "entity": entity}) for entity in entities[:6]]
    rank = _asked_rank(question)
    top = _TOP_N.search(unicodedata.normalize("NFKC", question))
    if top and int(top.group(1)) <= 50:
        return [(RANKING_TOOL, {"table": table.id, "top": int(top.group(1))})]
    if rank is not None:
        return [(RANKING_TOOL, {"table": table.id, "rank": rank})]
    return [(RANKING_TOOL, {"table": table.id})]


def _asked_rank(question: str) -> int | None:
    text = unicodedata.normalize("NFKC", question)
    match = _RANK_JA.search(text)
    if match:
        return int(match.group(1))
    match = _RANK_EN.search(text)
    if match:
        for index, value in enumerate(match.groups()[:3], start=1):
            if value:
                return index
        number = match.group(4) or match.group(5)
        return int(number) if number else None
    if re.search(r"首位|トップの|listed first|first listed|top-ranked", text, re.I):
        return 1
    return None


def _row_name(table: Table, match: RowMatch, lang: str) -> str:
    name = table.name_of(match.row)
    if lang == "en":
        latin = next((alias for alias in match.row.aliases if alias.isascii()), None)
        if latin and not name.isascii():
            return latin
    return name


def _format_row(table: Table | None, result: RankingResult, match: RowMatch, intent: QuestionIntent) -> str:
    """One row in the question's language, restricted to the columns the question names (wide tables)."""
    lang = intent.lang
    row = match.row
    columns = result.columns
    entity_column = table.entity_column if table else columns[0].name
    rank_column = table.rank_column if table else None
    named = [
        c
        for c in columns
        if c.name not in (entity_column, rank_column)
        and any(
            fold(e) in (fold(c.label_ja), fold(c.label_en)) or fold(c.label_ja) in fold(e)
            for e in intent.entities
        )
    ]
    shown = named or [c for c in columns if c.name not in (entity_column, rank_column)]
    name = row.display.get(entity_column, "")
    if lang == "en":
        latin = next((alias for alias in row.aliases if alias.isascii() and alias != name), None)
        if latin and not name.isascii():
            name = f"{name} ({latin})"
    rank = match.rank if match.rank is not None else None
    head = name
    if rank is not None and rank_column:
        head = f"{name}（{rank}位）" if lang == "ja" else f"{name} (rank {rank})"
    parts = []
    for column in shown:
        value = row.display.get(column.name, "")
        if not value or value == "-":
            continue
        unit = column.unit or ""
        label = column.label_ja if lang == "ja" else column.label_en
        if unit and value.endswith(unit):
            unit = ""
        value_text = f"{value}{unit}" if lang == "ja" or unit == "%" else f"{value} {unit}".strip()
        parts.append(f"{label}: {value_text}")
    if match.change:
        change, rank_suffix = match.change, "位" if lang == "ja" else ""
        parts.append(
            f"{change.label_before}: {change.before}{rank_suffix} → "
            f"{change.label_after}: {change.after}{rank_suffix}"
        )
    return f"{head} — {'; '.join(parts)}" if parts else head


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


def resolve_follow_up(question: str, history: Sequence[str]) -> str:
    """Join a follow-up that names only an entity or year to the previous question of the same language.

    Args:
        question: The new question.
        history: Earlier turns, oldest first, alternating question and answer.

    Returns:
        The question to answer: the previous question plus the new one, or the new one unchanged.
    """
    if len(history) < 2 or len(question) > 40:
        return question
    previous = history[-2]
    intent = analyze(question)
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
                only completes a bare follow-up ("大阪は？", "And London?") with the previous question.
        """
        intent = analyze(question)
        asked = resolve_follow_up(question, history)
        outcome = run_tool_loop(self.model, self._tools[intent.lang], conversation(None, asked, ()))
        return build_answer(outcome, self.knowledge, engine=ENGINE_NAME, lang=intent.lang)

    def sections(self) -> list[SectionInfo]:
        """List the deck's sections in order."""
        return self.knowledge.sections.sections

    def summarize(self, section_query: str, *, lang: str = "ja") -> SectionSummary | None:
        """Summarise the section matching a key, slide number, title or words."""
        return self.knowledge.sections.summarize(section_query, lang=lang)
