"""The served documents as the listeners show them (/deckbot, App Home): read once from the engine."""

from __future__ import annotations

from typing import Any

from bot.render.documents import DocumentRow, document_row
from bot.services import Services


def served_documents(services: Services) -> list[Any] | None:
    """The engine's served documents (`Library.documents()`); None for an engine of one document."""
    documents = getattr(services.answerer, "documents", None)
    return list(documents()) if callable(documents) else None


def document_rows(services: Services, *, fallback: bool = True) -> list[DocumentRow]:
    """The served documents as rows; an engine of one document lists the served bundle (when `fallback`)."""
    documents = served_documents(services)
    if documents is not None:
        return [document_row(d) for d in documents]
    if not fallback:
        return []
    bundle = services.bundle
    return [document_row(_BundleDocument(bundle.id, bundle.display_title, bundle))]


class _BundleDocument:
    """The served bundle as a document, for engines without `documents()`."""

    kind = "deck"
    entry = None

    def __init__(self, id: str, title: str, bundle: Any) -> None:
        self.id, self.title, self.bundle = id, title, bundle
