"""What the offline planner's parts share: the state of one model step, the evidence helpers every part
reads (focus slide, topic coverage, table follow-up) and the final answer message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.messages import AIMessage, ToolMessage

from retrieval.engines.loop import DECKBOT_KEY
from retrieval.engines.table_answers import raw_question
from retrieval.engines.table_follow_ups import TableTurn, table_follow_up
from retrieval.engines.toolkit import SEARCH_TOOL, DeckKnowledge
from retrieval.intent import QuestionIntent
from retrieval.models import Citation
from tools.rankings import RowMatch

MIN_COVERAGE = 0.4
# Coverage a slide gives up per place it ranks lower in search. An English question's coverage rests partly on
# the words the lexicon translated, so the search (which embeds the question itself) counts for more there.
RANK_STEP = {"ja": 0.01, "en": 0.02}


@dataclass
class PlannerState:
    """One model step: the question, its intent, the tool results so far and the thread."""

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


class PlannerBase:
    """The deck knowledge and the evidence helpers the planner's composing parts share."""

    def __init__(self, knowledge: DeckKnowledge) -> None:
        """Keep the deck knowledge (slides, tables) the composition reads.

        Args:
            knowledge: The shared deck knowledge.
        """
        self.knowledge = knowledge

    def table_turn(self, state: PlannerState) -> TableTurn | None:
        """The previous table question's operation with the slot this follow-up changes, if it is one."""
        if self.knowledge.tables is None or len(state.history) < 2:
            return None
        question = raw_question(state.question, state.history)
        return table_follow_up(question, state.history, self.knowledge.tables)

    def topic_coverage(self, intent: QuestionIntent, document: Document) -> float:
        """Coverage of the question's topic terms (named entities excluded: they are checked separately)."""
        terms = [term for term in intent.quoted + intent.terms if term not in intent.entities]
        if not terms:
            terms = intent.entities + intent.unknown_names
        coverage = self.knowledge.slide_coverage(document.metadata["slide"], terms)
        if intent.lang == "en":
            # the question's own words against the slide's English, where the lexicon lost some of them
            english = self.knowledge.english_coverage(document.metadata["slide"], intent.question)
            coverage = (coverage + english) / 2
        return coverage

    def focus(self, intent: QuestionIntent, documents: list[Document]) -> Document | None:
        """The slide that best covers the question's topic terms (search rank breaks ties)."""
        if not documents:
            return None
        best = max(
            documents,
            key=lambda doc: (
                self.topic_coverage(intent, doc) - RANK_STEP[intent.lang] * doc.metadata["search_rank"]
            ),
        )
        best.metadata["coverage"] = round(self.topic_coverage(intent, best), 3)
        return best

    def _slide_number(self, slide_title: str) -> int | None:
        for slide in self.knowledge.slides:
            if slide.title == slide_title:
                return slide.number
        return None


def coverage_of(text: str, terms: list[str]) -> float:
    from retrieval.extract import coverage

    return coverage(text, terms)


def final_answer(text: str, status: str, citations: list[Citation]) -> AIMessage:
    return AIMessage(
        content=text,
        additional_kwargs={DECKBOT_KEY: {"status": status, "citations": [c.model_dump() for c in citations]}},
    )


def excerpt(text: str, limit: int = 240) -> str:
    compact = re.sub(r"\n+", " ", text).strip()
    return compact if len(compact) <= limit else compact[:limit] + "…"


def row_text(match: RowMatch) -> str:
    return " ".join([*match.row.display.values(), *match.row.aliases])
