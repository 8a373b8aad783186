"""Quoting an added document across languages: an English question about a Japanese page, or the reverse.

The shipped deck has reviewed English for every unit; a document added with `deckbot add` has none, so the
engine's word-based evidence checks cannot see that 「総事業費は約320億円」 answers "total project cost". Here
the question and the sentence units of the document's most relevant pages are compared by meaning (the
multilingual embedder), and when the best unit is on a page in the other language, it is quoted as printed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus.pages import text_language
from corpus.units import slide_units
from retrieval.engines.messages import page, say
from retrieval.intent import detect_language
from retrieval.models import Answer, Citation

PAGES_COMPARED = 3
# Cosine similarity (multilingual-e5-small) a unit needs to be quoted: on four test documents, a unit that
# answers a question in the other language scored 0.81-0.88, unrelated units of the same pages 0.74-0.80.
MIN_SIMILARITY = 0.80
TIE = 0.02  # units this close to the best one are quoted with it (a figure and its label)
MAX_UNITS = 2
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0)


@dataclass
class CrossLanguageQuoter:
    """Quotes a document's units for a question in the other language (one per added document)."""

    knowledge: Any  # the document's DeckKnowledge: its slides and searcher
    engine_name: str
    _vectors: dict[int, list[tuple[str, list[float]]]] = field(default_factory=dict)

    def answer(self, question: str) -> Answer | None:
        """The best units by meaning, when they stand on a page written in the other language; None when the
        best evidence is in the question's own language (the engine reads that better) or too weak."""
        lang = detect_language(question)
        searcher = self.knowledge.searcher
        pages = [hit.slide for hit in searcher.search(question, k=PAGES_COMPARED) if hit.slide]
        if all(text_language(self.knowledge.by_number[n].text) == lang for n in pages):
            return None  # no page in the other language: nothing to quote across (and nothing to embed)
        query = searcher.index.embedder.embed_query(question)
        scored = [
            (_cosine(query, vector), number, position, text)
            for number in pages
            for position, (text, vector) in enumerate(self._units(number))
        ]
        if not scored:
            return None
        best, number, _, _ = max(scored)
        slide = self.knowledge.by_number[number]
        if best < MIN_SIMILARITY or text_language(slide.text) == lang:
            return None
        chosen = sorted(
            (position, text) for score, n, position, text in scored if n == number and score >= best - TIE
        )[:MAX_UNITS]
        quoted = [text for _, text in chosen]
        # a year the question names must be what the quote says (as in the engine's own refusals)
        printed = unicodedata.normalize("NFKC", " ".join(quoted))
        if any(year not in printed for year in _YEAR.findall(unicodedata.normalize("NFKC", question))):
            return None
        head = say(
            "quote_head",
            lang,
            page=page(number, lang, "pages"),
            section=slide.title,
            Page=page(number, lang, "pages").capitalize(),
        )
        mark = "> " if lang == "en" else "・"
        return Answer(
            answer="\n".join([head, *(f"{mark}{text}" for text in quoted)]),
            status="answered",
            citations=[Citation(slide=number, section=slide.title, text="\n".join(quoted))],
            engine=self.engine_name,
            lang=lang,
            notes=[say("quoted_as_printed", lang)],
        )

    def _units(self, number: int) -> list[tuple[str, list[float]]]:
        """The page's units with their vectors, embedded on first use."""
        if number not in self._vectors:
            texts = [
                unit.text for unit in slide_units(self.knowledge.by_number[number]) if len(unit.text) >= 4
            ]
            embedder = self.knowledge.searcher.index.embedder
            vectors = embedder.embed_documents(texts) if texts else []
            self._vectors[number] = list(zip(texts, vectors, strict=True))
        return self._vectors[number]
