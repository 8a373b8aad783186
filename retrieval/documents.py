"""Adding and removing documents: a file becomes a page bundle, a search collection and a catalog entry.

`add_document` does the slow work (extraction, embedding) into a staging folder and a collection of its own,
and only then switches the catalog, so a search sees the old document or the new one, never half of one.
Any failure removes what it created; the catalog and every other document stay as they were.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from langchain_core.embeddings import Embeddings

from corpus.bundle import DocumentBundle, load_bundle
from corpus.catalog import MAX_DOCUMENTS, Catalog, CatalogEntry
from corpus.ingest import extract_document
from corpus.pages import write_page_bundle
from retrieval.index import build_or_open, open_client
from retrieval.intent import romanized
from tools.text import has_japanese

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
MAX_TITLE_CHARS = 200


class DocumentError(ValueError):
    """A request about documents that cannot be done, with the reason in both languages."""

    def __init__(self, message_en: str, message_ja: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ja = message_ja


@dataclass(frozen=True)
class AddResult:
    """What `add_document` did."""

    status: Literal["added", "replaced", "unchanged"]
    entry: CatalogEntry


@dataclass(frozen=True)
class ChromaTarget:
    """Where search collections live: the embedded store in the data dir, or a Chroma server."""

    data_dir: Path
    host: str | None = None
    port: int = 8000


def collection_name(document_id: str, file_sha256: str) -> str:
    """One collection per document version: a changed file is embedded beside the old one, then switched."""
    return f"doc-{document_id}-{file_sha256[:12]}"


def document_id_for(file_name: str) -> str:
    """A readable id from a file name: `Interim Report 2025.pdf` -> `interim-report-2025`, a Japanese name
    romanised (`中間とりまとめ.pdf` -> `chuukantorimatome`), `doc` if nothing is left."""
    stem = unicodedata.normalize("NFKC", Path(file_name).stem)
    words = [romanized(part) if has_japanese(part) else part for part in re.split(r"[\s_]+", stem)]
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower()).strip("-")[:60].strip("-")
    return slug if _ID.match(slug) else f"doc-{slug}".strip("-") if slug else "doc"


def add_document(
    target: ChromaTarget,
    path: Path | str,
    *,
    title: str | None = None,
    document_id: str | None = None,
    embedder: Embeddings | None = None,
    progress: bool = False,
    reserved_ids: frozenset[str] = frozenset(),
) -> AddResult:
    """Add (or replace) a PDF, text or Markdown file.

    Args:
        target: The data dir (and Chroma server, if any).
        path: The file.
        title: Title shown in citations (default: the PDF's title, its first heading, or the file name).
        document_id: Id (default: from the file name). The same id with another file replaces it.
        embedder: Embedding backend (default: the bundled model).
        progress: Show progress bars.
        reserved_ids: Ids that cannot be used (the shipped deck's).

    Raises:
        IngestError: the file cannot be read as a document (bilingual message).
        DocumentError: a bad id or title, or the data dir holds MAX_DOCUMENTS already.
    """
    extracted = extract_document(path, progress=progress)
    document_id = document_id or document_id_for(extracted.file_name)
    title = _checked_title(title or extracted.title or Path(extracted.file_name).stem)
    _check_id(document_id, reserved_ids)
    catalog = Catalog(target.data_dir)
    with catalog.locked():
        entries = catalog.entries()
        previous = next((entry for entry in entries if entry.id == document_id), None)
        same_file = next((entry for entry in entries if entry.file_sha256 == extracted.file_sha256), None)
        if same_file is not None and (previous is None or previous is same_file):
            return AddResult("unchanged", same_file)
        if previous is None and len(entries) >= MAX_DOCUMENTS:
            raise DocumentError(
                f"This data dir already holds {MAX_DOCUMENTS} documents: remove one first.",
                f"登録できる文書は{MAX_DOCUMENTS}件までです。先にどれかを削除してください。",
            )
        entry = _build(catalog, target, extracted, document_id, title, embedder, progress)
        catalog.write([e for e in entries if e.id != document_id] + [entry])
    if previous is not None:
        _discard(catalog, target, previous)
    return AddResult("replaced" if previous is not None else "added", entry)


def _build(catalog, target, extracted, document_id, title, embedder, progress) -> CatalogEntry:  # noqa: ANN001
    """Write the bundle folder and embed its chunks; on any failure remove both and re-raise."""
    folder_name = f"{document_id}-{extracted.file_sha256[:12]}"
    collection = collection_name(document_id, extracted.file_sha256)
    catalog.root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=catalog.root, prefix=".staging-"))
    try:
        bundle = write_page_bundle(extracted, staging / "bundle", document_id=document_id, title=title)
        index = build_or_open(
            target.data_dir,
            chroma_host=target.host,
            chroma_port=target.port,
            embedder=embedder,
            bundle=bundle,
            collection=collection,
            force=True,
            progress=progress,
        )
        pages, units = len(bundle.slides), len(bundle.units)
        final = catalog.root / folder_name
        shutil.rmtree(final, ignore_errors=True)
        (staging / "bundle").rename(final)
    except BaseException:
        _drop_collection(target, collection)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return CatalogEntry(
        id=document_id,
        title=title,
        kind=extracted.kind,
        file_name=extracted.file_name,
        file_sha256=extracted.file_sha256,
        folder=folder_name,
        collection=collection,
        pages=pages,
        units=units,
        chunks=index.chunk_count,
        added_at=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
    )


def remove_document(target: ChromaTarget, document_id: str) -> CatalogEntry:
    """Remove an added document: its catalog entry first (searches stop seeing it), then its data.

    Raises:
        DocumentError: no added document has this id.
    """
    catalog = Catalog(target.data_dir)
    with catalog.locked():
        entries = catalog.entries()
        entry = next((e for e in entries if e.id == document_id), None)
        if entry is None:
            known = ", ".join(e.id for e in entries) or "none"
            raise DocumentError(
                f"No added document has the id '{document_id}' (added: {known}).",
                f"ID「{document_id}」の文書は登録されていません（登録済み: {known}）。",
            )
        catalog.write([e for e in entries if e.id != document_id])
    _discard(catalog, target, entry)
    return entry


def open_added(catalog: Catalog, entry: CatalogEntry) -> DocumentBundle:
    """Load an added document's bundle."""
    return load_bundle(catalog.folder_of(entry))


def _discard(catalog: Catalog, target: ChromaTarget, entry: CatalogEntry) -> None:
    _drop_collection(target, entry.collection)
    shutil.rmtree(catalog.folder_of(entry), ignore_errors=True)


def _drop_collection(target: ChromaTarget, name: str) -> None:
    with contextlib.suppress(Exception):  # absent already (never created, or removed by another run)
        open_client(target.data_dir, target.host, target.port).delete_collection(name)


def _check_id(document_id: str, reserved: frozenset[str]) -> None:
    if not _ID.match(document_id):
        raise DocumentError(
            f"'{document_id}' is not a usable id: 3-64 characters of a-z, 0-9, '-', '.', '_'.",
            f"「{document_id}」はIDに使えません（英小文字・数字・- . _ の3〜64文字）。",
        )
    if document_id in reserved:
        raise DocumentError(
            f"'{document_id}' is the shipped deck's id: choose another with --id.",
            f"「{document_id}」は同梱資料のIDです。--id で別のIDを指定してください。",
        )


def _checked_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DocumentError("The title is empty.", "タイトルが空です。")
    return title[:MAX_TITLE_CHARS]


__all__ = [
    "AddResult",
    "ChromaTarget",
    "DocumentError",
    "add_document",
    "collection_name",
    "document_id_for",
    "open_added",
    "remove_document",
]
