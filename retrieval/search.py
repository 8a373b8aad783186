"""Hybrid search over the deck: dense (Chroma + e5) and lexical (character-bigram BM25), fused by RRF.

Chunks are ranked, then grouped by slide: a hit is a slide (its best chunk's id and score, the slide's text),
so a fact cut by a window boundary is still inside the hit.
"""

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from rank_bm25 import BM25Okapi

from retrieval.chunking import is_english_chunk, lexical_text, normalize
from retrieval.index import DeckIndex
from retrieval.models import Chunk, Hit
from tools.text import japanese_count

RRF_K = 60
# Candidates each retriever contributes before fusion (chunks, not slides).
CANDIDATES = 40
# Lexical weight in the fusion. Japanese queries use character bigrams; English queries use only their
# proper names (Spiber, TSMC, NVIDIA), which the Japanese deck prints as is: bigrams or plain English words
# of a question match the deck's few English phrases at random (measured on the dev set, see report).
LEXICAL_WEIGHT = 0.5
# A name in an English question is used lexically only if at most this many chunks contain it.
MAX_NAME_CHUNKS = 4
_LATIN_WORD = re.compile(r"[a-z][a-z0-9&\-]+")
# Function words of English questions; the deck's few English titles would otherwise match them.
_STOPWORDS = frozenset(
    "a an and are as at be by can deck did do does for from has have how in is it its of on or per the their "
    "this to was were what when where which who why with according each both".split()
)
MODES = ("hybrid", "dense", "lexical")


def char_bigrams(text: str) -> list[str]:
    """Tokenise for Japanese BM25: overlapping character bigrams of the normalised, lower-cased text."""
    norm = normalize(text).lower()
    if len(norm) < 2:
        return [norm] if norm else []
    return [norm[i : i + 2] for i in range(len(norm) - 1)]


def latin_words(text: str) -> list[str]:
    """Tokenise the Latin-script words (lower-cased, NFKC) of a text, e.g. for names in English questions."""
    words = _LATIN_WORD.findall(unicodedata.normalize("NFKC", text).lower())
    return [w for w in words if w not in _STOPWORDS]


_SENTENCE_STARTERS = _STOPWORDS | frozenset(
    "under summarise summarize list give name show compare explain tell please describe if using applying "
    "assume suppose calculate compute between after before since during is are was were does did do can "
    "could should would will i we my our in on at".split()
)


def query_names(query: str) -> list[str]:
    """Proper names of an English question: its capitalised Latin words.

    A sentence's first word counts unless it is a common question or instruction word (What, Under, List).
    """
    names: list[str] = []
    text = unicodedata.normalize("NFKC", query)
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        for position, match in enumerate(re.finditer(r"[A-Za-z][A-Za-z0-9&\-]*", sentence)):
            word = match.group(0)
            if not any(c.isupper() for c in word) or len(word) < 2:
                continue
            if position == 0 and word.lower() in _SENTENCE_STARTERS:
                continue
            names.append(word.lower())
    return [n for n in names if n not in _STOPWORDS]


def is_japanese(text: str) -> bool:
    """Whether at least 30% of the non-space characters are kana or kanji."""
    chars = [c for c in text if not c.isspace()]
    return bool(chars) and japanese_count(text) >= 0.3 * len(chars)


def fuse_rrf(
    rankings: Sequence[Sequence[str]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Fuse ranked id lists by reciprocal-rank fusion.

    Args:
        rankings: Each a list of ids, best first.
        k: The RRF constant (larger flattens rank differences).
        weights: Optional weight per ranking (default 1 each).

    Returns:
        (id, score) pairs, best first; ties keep first-seen order.
    """
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


class DeckSearcher:
    """Searches one `DeckIndex`; BM25 and the chunk table stay in memory so a query costs one embedding."""

    def __init__(self, index: DeckIndex, *, mode: str = "hybrid") -> None:
        """Prepare the searcher.

        Args:
            index: An opened deck index.
            mode: "hybrid" (default), "dense" or "lexical"; the last two exist for evaluation.

        Raises:
            ValueError: For an unknown mode.
        """
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r} (known: {', '.join(MODES)})")
        self.index = index
        self.mode = mode
        self._chunks: dict[str, Chunk] = {c.id: c for c in index.chunks}
        # the lexical indexes read the document's own words; its English renderings are embedded only
        printed = [c for c in index.chunks if not is_english_chunk(c)]
        self._order = [c.id for c in printed]
        self._slide_text = {s.number: s.text for s in index.slides}
        texts = [lexical_text(c) for c in printed]
        self._bm25 = BM25Okapi([char_bigrams(t) for t in texts])
        words = [latin_words(t) for t in texts]
        self._bm25_words = BM25Okapi([w or ["\u0000"] for w in words])
        self._word_df: dict[str, int] = {}
        for chunk_words in words:
            for word in set(chunk_words):
                self._word_df[word] = self._word_df.get(word, 0) + 1
        self._embed_query = lru_cache(maxsize=256)(index.embedder.embed_query)
        self.embed_query = self._embed_query  # cached: the planner asks about one question several times

    def dense_ids(self, query: str, n: int = CANDIDATES) -> list[tuple[str, float]]:
        """Chunk ids and cosine similarities from the Chroma collection, best first."""
        vector = self._embed_query(query)
        result = self.index.collection.query(
            query_embeddings=[vector], n_results=min(n, len(self._chunks)), include=["distances"]
        )
        return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def lexical_ids(self, query: str, n: int = CANDIDATES) -> list[tuple[str, float]]:
        """Chunk ids and BM25 scores, best first (zero scores dropped).

        Japanese queries are matched by character bigrams; other queries by the proper names they contain.
        """
        if is_japanese(query):
            tokens, bm25 = char_bigrams(query), self._bm25
        else:
            # Only distinctive names: generic acronyms (R&D, AI, VC) occur all over and rank at random.
            tokens = [w for w in query_names(query) if 0 < self._word_df.get(w, 0) <= MAX_NAME_CHUNKS]
            bm25 = self._bm25_words
        if not tokens:
            return []
        scores = bm25.get_scores(tokens)
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])[:n]
        return [(self._order[i], float(scores[i])) for i in ranked if scores[i] > 0]

    def rank_chunks(self, query: str) -> list[tuple[str, float]]:
        """All candidate chunk ids with scores for the searcher's mode, best first."""
        if self.mode == "dense":
            return self.dense_ids(query)
        if self.mode == "lexical":
            return self.lexical_ids(query)
        dense = [i for i, _ in self.dense_ids(query)]
        lexical = [i for i, _ in self.lexical_ids(query)]
        return fuse_rrf([dense, lexical], weights=[1.0, LEXICAL_WEIGHT])

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Return the `k` best slides for a question (Japanese or English).

        Args:
            query: The question or keywords.
            k: Number of hits wanted.

        Returns:
            Hits, best first, one per slide: id and score of the slide's best chunk, the slide's text.
            Empty for a blank query or k < 1.
        """
        if not query or not query.strip() or k < 1:
            return []
        hits: list[Hit] = []
        seen: set[int | None] = set()
        for chunk_id, score in self.rank_chunks(query.strip()):
            chunk = self._chunks[chunk_id]
            if chunk.slide in seen:
                continue
            seen.add(chunk.slide)
            text = self._slide_text.get(chunk.slide, chunk.text) if chunk.slide is not None else chunk.text
            hits.append(
                Hit(
                    id=chunk.id,
                    slide=chunk.slide,
                    section=chunk.section,
                    text=text,
                    score=round(score, 6),
                    chunk=chunk,
                )
            )
            if len(hits) == k:
                break
        return hits

    def as_retriever(self, k: int = 5) -> BaseRetriever:
        """Expose the searcher as a LangChain retriever whose documents carry id/slide/section metadata."""
        return DeckRetriever(searcher=self, k=k)


class DeckRetriever(BaseRetriever):
    """LangChain retriever over a `DeckSearcher`."""

    searcher: DeckSearcher
    k: int = 5

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        documents = []
        for hit in self.searcher.search(query, self.k):
            chunk = hit.chunk
            documents.append(
                Document(
                    page_content=hit.text,
                    metadata={
                        "id": hit.id,
                        "slide": hit.slide,
                        "section": hit.section,
                        "score": hit.score,
                        "chapter": chunk.chapter if chunk else None,
                        "heading": chunk.heading if chunk else None,
                        "line_start": chunk.line_start if chunk else None,
                        "line_end": chunk.line_end if chunk else None,
                    },
                )
            )
        return documents
