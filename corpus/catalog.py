"""The catalog of documents added with `deckbot add`: one JSON file in the data dir, replaced atomically.

Each added document is a page bundle folder under `<data dir>/documents/` plus one catalog entry naming its
folder and its search collection. A reader sees the old catalog or the new one, never a mix: the file is
written beside itself and renamed over (`os.replace`), and writers take an exclusive lock first, so two
`deckbot add` runs cannot lose each other's entries.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DOCUMENTS_DIR = "documents"
CATALOG_FILE = "catalog.json"
# Documents a data dir may hold: each one is searched (and held in memory) for every question.
MAX_DOCUMENTS = 30


class CatalogError(ValueError):
    """The catalog file exists but cannot be read."""


class CatalogEntry(BaseModel):
    """One added document: what it is, where its bundle folder and search collection are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    kind: str = Field(description="pdf, text or markdown.")
    file_name: str = Field(description="Name of the file as it was added.")
    file_sha256: str = Field(description="sha256 of the added file's bytes (adding it again is a no-op).")
    folder: str = Field(description="Bundle folder, relative to the documents dir.")
    collection: str = Field(description="Chroma collection holding its chunks.")
    pages: int
    units: int
    chunks: int
    added_at: datetime.datetime


class _CatalogFile(BaseModel):
    documents: list[CatalogEntry] = Field(default_factory=list)


class Catalog:
    """The added documents of one data dir."""

    def __init__(self, data_dir: Path | str) -> None:
        self.root = Path(data_dir) / DOCUMENTS_DIR
        self.path = self.root / CATALOG_FILE

    def entries(self) -> list[CatalogEntry]:
        """The added documents, in the order they were added (empty when none was ever added)."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            return _CatalogFile.model_validate(json.loads(raw)).documents
        except (ValueError, ValidationError) as error:
            raise CatalogError(f"{self.path}: unreadable document catalog ({error})") from None

    def version(self) -> tuple[int, int]:
        """Changes whenever the catalog is replaced: a serving process reloads its documents then."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return (0, 0)
        return (stat.st_mtime_ns, stat.st_ino)

    def folder_of(self, entry: CatalogEntry) -> Path:
        """The entry's bundle folder."""
        return self.root / entry.folder

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the catalog's write lock (one writer at a time, across processes)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, entries: list[CatalogEntry]) -> None:
        """Replace the catalog with `entries` atomically (call while holding `locked()`)."""
        self.root.mkdir(parents=True, exist_ok=True)
        payload = _CatalogFile(documents=entries).model_dump_json(indent=2)
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".catalog-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(payload)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
