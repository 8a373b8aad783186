"""The served documents as one Answerer: the shipped deck plus every document added with `deckbot add`.

A question goes to the documents it names (retrieval/document_scope.py), else to all the documents in
scope, most relevant first: each document's own engine answers, the most relevant one that finds an answer,
and a second one only when it is about as relevant and its evidence covers the question as well. Each part
of the reply is under its document's title and every citation names its document. A question a calculator
reads (an R&D-credit calculation, a tax comparison) goes to the served deck, whose rule slides the tools cite.

The catalog is re-read when it changes, so a document added while the bot serves is searched from the next
question on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from corpus.bundle import DocumentBundle
from corpus.catalog import Catalog, CatalogEntry, CatalogError
from retrieval.cross_language import CrossLanguageQuoter
from retrieval.document_scope import read_scope
from retrieval.documents import open_added
from retrieval.engines.base import Answerer, SectionInfo, SectionSummary
from retrieval.models import Answer, Citation
from tools.registry import question_tools

logger = logging.getLogger("deckbot.library")
# Documents whose engines are asked, most relevant first, before the question is called unanswered.
MAX_DOCUMENTS_TRIED = 3
# A second document answers too when its relevance is this close to the best one's (cosine similarity of the
# best chunk; measured on questions about four documents, a report's topic and its neighbour's differ by
# 0.01-0.04 when both cover it and by 0.06-0.15 when only one does). An answer quotes at most MAX_SOURCES.
SHARED_MARGIN = 0.035
MAX_SOURCES = 2
# ...and when the slides it quotes cover at least this share of what the best-covering answer's slides cover
# of the question's terms: a neighbour that is about as relevant but quotes beside the point is left out.
COVERAGE_SHARE = 0.9
# In a thread, the document the previous answer quoted counts this much more relevant: "what about Osaka?"
# asks the document the thread is about.
THREAD_BONUS = 0.03
EngineFactory = Callable[[DocumentBundle, CatalogEntry], Answerer]


QUOTE_PROBE = 16  # characters of a sentence that identify it in an earlier answer


@dataclass(frozen=True)
class ServedDocument:
    """One document the library answers from."""

    id: str
    title: str
    kind: str  # "deck" for the served bundle; pdf, text or markdown for added ones
    bundle: DocumentBundle
    engine: Answerer
    entry: CatalogEntry | None = None
    # an added document has no English renderings: a question in its other language is quoted by meaning
    quoter: CrossLanguageQuoter | None = None

    @property
    def builtin(self) -> bool:
        """The served deck (it cannot be removed)."""
        return self.entry is None

    @property
    def names(self) -> list[str]:
        """What a question may call it: titles, aliases and the added file's name."""
        names = [self.title, self.bundle.title.en, *self.bundle.aliases]
        return names + ([Path(self.entry.file_name).stem] if self.entry else [])

    def quoted_in(self, text: str) -> bool:
        """Whether `text` (an earlier answer) quotes this document: one of its sentences, as printed."""
        if len(text) < QUOTE_PROBE:
            return False
        return any(probe in text for probe in self._quote_probes)

    @cached_property
    def _quote_probes(self) -> frozenset[str]:
        return frozenset(u.text[:QUOTE_PROBE] for u in self.bundle.units if len(u.text) >= 2 * QUOTE_PROBE)

    def evidence_coverage(self, question: str, answer: Answer) -> float:
        """The share of the question's topic terms that the answer's cited slides print (the best one)."""
        knowledge = self.engine.knowledge  # type: ignore[attr-defined]
        intent = knowledge.analyze(question)
        terms = [t for t in intent.quoted + intent.terms if t not in intent.entities]
        terms = terms or intent.entities + intent.unknown_names
        slides = {c.slide for c in answer.citations if c.slide is not None}
        return max((knowledge.slide_coverage(slide, terms) for slide in slides), default=0.0)

    def relevance(self, queries: Sequence[str]) -> float:
        """The best cosine similarity of the document's chunks to any of the queries (the same embedder
        serves every document, so the figures compare across documents)."""
        searcher = getattr(self.engine.knowledge, "searcher", None)  # type: ignore[attr-defined]
        if searcher is None:
            return 0.0
        return max((score for q in queries for _, score in searcher.dense_ids(q, n=1)), default=0.0)


class Library:
    """An Answerer over several documents (implements the Answerer protocol of retrieval/engines/base.py)."""

    def __init__(self, primary: Answerer, *, catalog: Catalog | None, make_engine: EngineFactory) -> None:
        """Serve `primary` (the deck) plus the catalog's documents, each with an engine from `make_engine`."""
        knowledge = primary.knowledge  # type: ignore[attr-defined]  # both engines expose their DeckKnowledge
        self.primary = ServedDocument(
            id=knowledge.bundle.id,
            title=knowledge.bundle.title.ja,
            kind="deck",
            bundle=knowledge.bundle,
            engine=primary,
        )
        self.knowledge = knowledge
        self.engine_name = primary.engine_name
        self._catalog = catalog
        self._make_engine = make_engine
        self._added: dict[str, ServedDocument] = {}
        self._version: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self._refresh()  # open the added documents now, not on the first question

    def documents(self) -> list[ServedDocument]:
        """The served deck, then the added documents in the order they were added."""
        self._refresh()
        return [self.primary, *self._added.values()]

    def document(self, document_id: str) -> ServedDocument | None:
        """The served document with this id, if any."""
        return next((d for d in self.documents() if d.id == document_id), None)

    def answer(
        self, question: str, *, history: Sequence[str] = (), documents: Collection[str] | None = None
    ) -> Answer:
        """Answer from the most relevant document in scope, and from a second one about as relevant.

        Args:
            question: The question.
            history: Earlier turns of the thread, oldest first, question first.
            documents: Ids the answer may come from (a channel's scope); all documents when None.
        """
        served = [d for d in self.documents() if documents is None or d.id in documents]
        if not served:
            served = [self.primary]  # a scope naming only removed documents falls back to the deck
        added = [d for d in served if not d.builtin]
        scope = read_scope(
            question,
            {d.id: d.names for d in served},
            kinds={d.id: d.kind for d in served},
            newest=added[-1].id if added else None,
        )
        candidates = [d for d in served if d.id in scope.documents] or served
        question = scope.question
        if len(candidates) == 1:
            return _cited(candidates[0].engine.answer(question, history=history), candidates[0])
        if self.primary in candidates and _calculator_reads(question, history):
            return _cited(self.primary.engine.answer(question, history=history), self.primary)
        answered: list[tuple[float, ServedDocument, Answer]] = []
        refusal: Answer | None = None
        ranked = _ranked(candidates, question, history)
        for score, document in ranked[:MAX_DOCUMENTS_TRIED]:
            if answered and score < ranked[0][0] - SHARED_MARGIN:
                break
            answer = _cited(document.engine.answer(question, history=history), document)
            across = document.quoter.answer(question) if document.quoter is not None else None
            if across is not None:  # the best evidence is a page in the other language, matched by meaning
                answered.append((1.0, document, _cited(across, document)))
                continue
            if answer.status == "not_in_deck":
                refusal = refusal or answer
                continue
            answered.append((document.evidence_coverage(question, answer), document, answer))
        if not answered:
            assert refusal is not None  # ranked is never empty
            return refusal
        # of the answers about as relevant, those whose evidence says about as much of the question, best first
        best = max(coverage for coverage, _, _ in answered)
        kept = [(d, a) for c, d, a in sorted(answered, key=lambda t: -t[0]) if c >= COVERAGE_SHARE * best]
        return _merged(kept[:MAX_SOURCES])  # several documents in scope: each part says whose it is

    def sections(self) -> list[SectionInfo]:
        """The served deck's sections (App Home, /decksummary); added documents are summarised whole."""
        return self.primary.engine.sections()

    def summarize(self, section_query: str, *, lang: str = "ja") -> SectionSummary | None:
        """Summarise a section of the served deck; bullets cite the deck."""
        summary = self.primary.engine.summarize(section_query, lang=lang)
        if summary is None:
            return None
        return summary.model_copy(update={"bullets": [_stamped(b, self.primary) for b in summary.bullets]})

    def overview(self, document_id: str, *, lang: str = "ja") -> SectionSummary | None:
        """The whole document in a few bullets (App Home's Summarize button); None for an unknown id."""
        document = self.document(document_id)
        if document is None:
            return None
        summary = document.engine.knowledge.sections.overview(document.title, lang=lang)  # type: ignore[attr-defined]
        return summary.model_copy(update={"bullets": [_stamped(b, document) for b in summary.bullets]})

    def _refresh(self) -> None:
        """Re-read the catalog when it changed; keep the engines of documents that did not change."""
        if self._catalog is None:
            return
        with self._lock:
            version = self._catalog.version()
            if version == self._version:
                return
            try:
                entries = self._catalog.entries()
            except CatalogError:
                logger.exception("document catalog unreadable; serving the documents loaded before")
                return
            added: dict[str, ServedDocument] = {}
            for entry in entries:
                kept = self._added.get(entry.id)
                if kept is not None and kept.entry == entry:
                    added[entry.id] = kept
                    continue
                try:
                    added[entry.id] = self._serve(entry)
                except Exception:  # noqa: BLE001 - one broken document must not stop the others
                    logger.exception("cannot serve added document %s", entry.id)
            self._added, self._version = added, version

    def _serve(self, entry: CatalogEntry) -> ServedDocument:
        bundle = open_added(self._catalog, entry)  # type: ignore[arg-type]  # only called with a catalog
        engine = self._make_engine(bundle, entry)
        return ServedDocument(
            id=entry.id,
            title=entry.title,
            kind=entry.kind,
            bundle=bundle,
            engine=engine,
            entry=entry,
            quoter=CrossLanguageQuoter(engine.knowledge, engine.engine_name),  # type: ignore[attr-defined]
        )


def _ranked(
    candidates: list[ServedDocument], question: str, history: Sequence[str]
) -> list[tuple[float, ServedDocument]]:
    """The documents by relevance to the question (and to the thread's previous question), best first."""
    queries = [question] + ([f"{history[-2]} {question}"] if len(history) >= 2 else [])
    previous_answer = history[-1] if len(history) >= 2 else ""
    scored = [
        (d.relevance(queries) + (THREAD_BONUS if d.quoted_in(previous_answer) else 0.0), d)
        for d in candidates
    ]
    return sorted(scored, key=lambda pair: -pair[0])


def _merged(answered: list[tuple[ServedDocument, Answer]]) -> Answer:
    """One answer of one or more documents' answers, each under its document's title."""
    first = answered[0][1]
    text = "\n\n".join(f"【{document.title}】\n{answer.answer}" for document, answer in answered)
    return first.model_copy(
        update={
            "answer": text,
            "citations": [c for _, answer in answered for c in answer.citations],
            "tool_calls": [call for _, answer in answered for call in answer.tool_calls],
            "grounded": all(answer.grounded for _, answer in answered),
            "ungrounded_numbers": [n for _, answer in answered for n in answer.ungrounded_numbers],
            "notes": list(dict.fromkeys(n for _, answer in answered for n in answer.notes)),
        }
    )


def _calculator_reads(question: str, history: Sequence[str]) -> bool:
    """Whether a calculator's question parser takes the question (its answer cites the deck's rules)."""
    return any(spec.from_question(question, history).status != "not_applicable" for spec in question_tools())


def _stamped(citation: Citation, document: ServedDocument) -> Citation:
    return citation.model_copy(
        update={"document_id": document.id, "document_title": document.title, "page": citation.slide}
    )


def _cited(answer: Answer, document: ServedDocument) -> Answer:
    """The answer with every citation naming its document and page."""
    return answer.model_copy(update={"citations": [_stamped(c, document) for c in answer.citations]})
