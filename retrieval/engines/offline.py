"""The offline engine: a deterministic chat model that picks tools from the question's intent and composes
extractive, grounded answers from their results, run in the same tool loop as the LLM engine.

The planner's composing parts live beside it: lookup answers (quoting), refusals and summaries."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.engines.calculator_answers import calculation_error, calculator_answer_lines, rule_line
from retrieval.engines.loop import build_answer, conversation, run_tool_loop
from retrieval.engines.planning import (
    MIN_COVERAGE,
    PlannerState,
    coverage_of,
    excerpt,
    final_answer,
    row_text,
)
from retrieval.engines.quoting import LookupMixin
from retrieval.engines.summaries import SummaryMixin
from retrieval.engines.table_answers import operation_args, raw_question
from retrieval.engines.table_follow_ups import named_table
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
from retrieval.english_words import content_stems, shared_stems, stem_share
from retrieval.extract import best_units
from retrieval.intent import DocumentVocabulary, QuestionIntent, analyze, fold
from retrieval.models import Answer, Citation
from tools.rankings import RowMatch, Table, TableSet, find_entities, match_entity, table_keyword_scores
from tools.registry import ToolSpec, question_tools
from tools.spec import ToolProposal

ENGINE_NAME = "offline"
MAX_SUMMARY_TABLES = 2


class OfflinePlanner(LookupMixin, SummaryMixin):
    """Decides the tool calls for a question and composes the final answer from their results."""

    # ---- one model step ------------------------------------------------------------------------

    def step(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """Return the next AI message: tool calls when more evidence is needed, else the final answer."""
        last_human = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        question = str(messages[last_human].content)
        state = PlannerState(
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

    def first_calls(self, state: PlannerState) -> list[tuple[str, dict[str, Any]]]:
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

    def _asks_table(self, state: PlannerState) -> bool:
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

    def follow_up_calls(self, state: PlannerState) -> list[tuple[str, dict[str, Any]]]:
        """After find_tables: look up the relevant tables' rows (by entity, rank or top N); after a one-slide
        summary: the rows of the tables that slide prints."""
        if state.intent.kind == "summary":
            return self._summary_table_calls(state)
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
        # a table elsewhere whose rows the question names, two or more of them, is asked about too
        chosen += [t for t in tables if t not in chosen and len(self._named_rows(t, state)) >= 2]
        if not chosen:
            # No table on the topic's slides: accept one only if the question names its row and the
            # table (title, columns, that row) covers the question's topic.
            chosen = [t for t in tables if self._table_fits(t, state, focus)][:1]
        if not chosen:
            # ... or if it asks an operation of the best table whose own title/keywords cover its topic.
            chosen = [t for t in tables[:1] if self._operation_fits(t, state)]
        # A phrase the question quotes must be the table's or its slide's ('AI for Science' is no table row).
        chosen = [t for t in chosen if not self._misses_quote(t, state.intent)]
        # Tables the question names by keyword, or by one of their rows, are the ones asked about; others on
        # the slide are dropped ("how many IPOs" names the indicators' IPO row beside the list of major IPOs).
        scores = table_keyword_scores(self.knowledge.tables, state.question)
        named = {table_id for table_id, score in scores if score >= 1}
        named |= {
            t.id
            for t in chosen
            if _strong_rows(self.knowledge.tables, t, state.question, self.knowledge.subject)
        }
        chosen = [t for t in chosen if t.id in named] or chosen
        calls: list[tuple[str, dict[str, Any]]] = []
        for table in chosen:
            calls += _lookups_for(
                self.knowledge.tables, table, state.question, state.intent.entities, self.knowledge.subject
            )
        return calls

    def _summary_table_calls(self, state: PlannerState) -> list[tuple[str, dict[str, Any]]]:
        """A summary of one slide that prints a table: look up its rows (the flattened text cannot say which
        cell is whose)."""
        if SUMMARY_TOOL not in state.results or RANKING_TOOL in state.results:
            return []
        if self.knowledge.tables is None:
            return []
        summary = self._summary_by_content(state, next(iter(state.artifacts(SUMMARY_TOOL)), None))
        if not isinstance(summary, SectionSummary) or not summary.section.key.startswith("slide"):
            return []
        title = summary.section.title
        hosted = [t for t in self.knowledge.tables.tables.values() if t.slide_title == title]
        return [(RANKING_TOOL, {"table": t.id, "op": "lookup"}) for t in hosted[:MAX_SUMMARY_TABLES]]

    def _named_rows(self, table: Table, state: PlannerState) -> list[RowMatch]:
        return _strong_rows(self.knowledge.tables, table, state.question, self.knowledge.subject)

    def _table_fits(self, table: Table, state: PlannerState, focus: Document) -> bool:
        rows = self._named_rows(table, state)
        if not rows:
            return False
        # Where the focus slide prints the row's thing too, the words naming it are no topic the table must
        # cover: the table elsewhere has to answer the rest of the question.
        names = fold(" ".join(f"{table.name_of(r.row)} {' '.join(r.row.aliases)}" for r in rows))
        slide = focus.metadata["slide"]
        on_focus = self.knowledge.folded.get(slide, "")
        english = self.knowledge.english_text.get(slide, "")

        def focus_prints(term: str) -> bool:
            if term.isascii():
                return shared_stems(term, english) == len(content_stems(term)) > 0
            return fold(term) in on_focus

        topic = [
            term
            for term in state.intent.quoted + state.intent.terms
            if term not in state.intent.entities and not (fold(term) in names and focus_prints(term))
        ]
        labels = " ".join(f"{c.label_ja} {c.label_en}" for c in table.columns)
        row_texts = " ".join(row_text(r) for r in rows)
        text = f"{table.title_ja} {table.title_en} {' '.join(table.keywords)} {labels} {row_texts}"
        if state.intent.lang == "en":
            # the question's own words, where the lexicon did not translate them all
            topic_words = state.question
            for name in {r.matched_on for r in rows if r.matched_on}:
                topic_words = re.sub(re.escape(name), " ", topic_words, flags=re.I)
            if stem_share(topic_words, text) >= MIN_COVERAGE:
                return True
        return bool(topic) and coverage_of(text, topic) >= MIN_COVERAGE

    def _misses_quote(self, table: Table, intent: QuestionIntent) -> bool:
        """Whether the question quotes a phrase that neither the table (titles, labels, rows) nor the title or
        subtitle of a slide it is on prints."""
        # only a phrase the document prints somewhere: a quoted paraphrase or unit ("in 億円") says nothing
        quotes = [quote for quote in intent.quoted if fold(quote) in self.knowledge.deck_folded]
        if not quotes:
            return False
        slides = [s for s in self.knowledge.slides if s.title in (table.slide_title, *table.also_on_slides)]
        labels = " ".join(f"{c.label_ja} {c.label_en}" for c in table.columns)
        rows = " ".join(" ".join([*row.display.values(), *row.aliases]) for row in table.rows)
        heads = " ".join(f"{s.title} {s.heading or ''}" for s in slides)
        text = fold(f"{table.title_ja} {table.title_en} {' '.join(table.keywords)} {labels} {rows} {heads}")
        return not any(fold(quote) in text for quote in quotes)

    def _operation_fits(self, table: Table, state: PlannerState) -> bool:
        operations = table_operations_from_question(state.question, table, self.knowledge.tables)
        if not operations or operations[0].op == "lookup":
            return False
        topic = [
            term for term in state.intent.quoted + state.intent.terms if term not in state.intent.entities
        ]
        labels = " ".join(f"{c.label_ja} {c.label_en}" for c in table.columns)
        text = f"{table.title_ja} {table.title_en} {' '.join(table.keywords)} {labels}"
        return bool(topic) and coverage_of(text, topic) >= MIN_COVERAGE

    # ---- composing -----------------------------------------------------------------------------

    def compose(self, state: PlannerState) -> AIMessage:
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

    def _tax_compose(self, state: PlannerState) -> AIMessage | None:
        """The answer to a calculation request (a calculator's result, or what is missing); None if none."""
        request = _calculator_request(state)
        if request is None:
            return None
        spec, proposal = request
        if spec.name in state.results:
            return self._calculator_answer(state, spec, proposal)
        return self._tax_needs_amounts(state, proposal)

    def _calculator_answer(self, state: PlannerState, spec: ToolSpec, proposal: ToolProposal) -> AIMessage:
        """A registered calculator's answer: its plain text, then the slide its rules rest on (cited)."""
        lang = state.intent.lang
        result = next(iter(state.artifacts(spec.name)), None)
        # not the result model: the tool rejected the arguments read from the question
        if not isinstance(result, spec.result_model):
            error = calculation_error(str(state.results[spec.name][0].content), lang)
            return final_answer(error, "needs_input", [])
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
                quote = excerpt(rule_doc.page_content)
            citations.append(Citation(slide=slide, section=section, text=quote))
            lines.append(rule_line(rule, slide, section, lang))
        return final_answer("\n".join(lines), "answered", citations)

    def _tax_rule_document(self, state: PlannerState, rule_slide: str | None) -> Document | None:
        documents = state.documents()
        fallback = documents[0] if documents else None
        return next((d for d in documents if d.metadata["section"] == rule_slide), fallback)

    def _tax_needs_amounts(self, state: PlannerState, proposal: ToolProposal) -> AIMessage:
        """Name the inputs the calculation still needs (status needs_input: the question is not answered)."""
        documents = state.documents()
        citations = [
            Citation(slide=d.metadata["slide"], section=d.metadata["section"], text=excerpt(d.page_content))
            for d in documents[:1]
        ]
        text = proposal.message_ja if state.intent.lang == "ja" else proposal.message_en
        return final_answer(text, "needs_input", citations)


def _calls(calls: list[tuple[str, dict[str, Any]]]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": args, "id": f"call_{index}_{name}", "type": "tool_call"}
            for index, (name, args) in enumerate(calls)
        ],
    )


def _calculator_request(state: PlannerState) -> tuple[ToolSpec, ToolProposal] | None:
    """The first registered calculator whose `from_question` parser reads the question (with its thread)."""
    for spec in question_tools():
        assert spec.from_question is not None
        proposal = spec.from_question(state.question, state.history)
        if proposal.status != "not_applicable":
            return spec, proposal
    return None


def _tax_calls(state: PlannerState, knowledge: DeckKnowledge) -> list[tuple[str, dict[str, Any]]]:
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
    cells = fold(" ".join(" ".join(row.display.values()) for row in table.rows))
    absent = [
        name
        for name in named
        if name not in subject
        and name not in labels
        and not match_entity(table, name)
        and fold(name) not in cells  # a value of a column (川崎市 for a location) filters, it names no row
    ]
    calls = [(RANKING_TOOL, {"table": table.id, "op": "lookup", "entity": name}) for name in absent[:4]]
    if calls:
        # a column of every row is not what a question about an unlisted name asks
        operations = [op for op in operations if op.op != "lookup" or op.entity]
    return calls + [(RANKING_TOOL, operation_args(op)) for op in operations]


MAX_BARE_FOLLOW_UP_CHARS = 40
MAX_FOLLOW_UP_CHARS = 120
# Pronouns pointing back to the thread's subject: a closed class of the two languages, not deck wording
# ("there" is left out: "is there …?" points at nothing).
_ANAPHOR = re.compile(
    r"\b(?:it|its|they|them|their|theirs|this one|that one)\b|"
    r"それ|その|そこ|これ|この|あれ|あの|同社|同大学|同国",
    re.I,
)


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
    if len(history) < 2 or len(question) > MAX_FOLLOW_UP_CHARS:
        return question
    previous = history[-2]
    intent = analyze(question, vocabulary)
    if analyze(previous).lang != intent.lang:
        return question
    topic = [
        term for term in intent.terms if term not in intent.entities and term not in intent.unknown_names
    ]
    named = intent.entities or intent.unknown_names or intent.years
    if named and not topic and len(question) <= MAX_BARE_FOLLOW_UP_CHARS:
        return f"{previous}\n{question}"  # "and osaka?": the earlier question, about another thing
    if not named and _ANAPHOR.search(question):
        return f"{previous}\n{question}"  # "what valuation did it get?": about the earlier question's thing
    return question


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
        # a calculator follow-up re-runs its earlier call itself; others are joined to the previous question
        if any(spec.from_question(question, history).follow_up for spec in question_tools()):
            asked = question
        else:
            asked = resolve_follow_up(question, history, self.knowledge.vocabulary)
        outcome = run_tool_loop(self.model, self._tools[intent.lang], conversation(None, asked, history))
        return build_answer(outcome, self.knowledge, engine=ENGINE_NAME, lang=intent.lang)

    def sections(self) -> list[SectionInfo]:
        """List the deck's sections in order."""
        return self.knowledge.sections.sections

    def summarize(self, section_query: str, *, lang: str = "ja") -> SectionSummary | None:
        """Summarise the section matching a key, slide number, title or words."""
        return self.knowledge.sections.summarize(section_query, lang=lang)
