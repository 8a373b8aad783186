"""A bundle's parsed slides and section titles, for code that holds a `DocumentBundle`."""

from corpus.bundle import DocumentBundle
from corpus.deck import Slide


def load_slides(bundle: DocumentBundle) -> list[Slide]:
    """Return the bundle's slides in order (parsed once per bundle)."""
    return list(bundle.slides)


def list_sections(bundle: DocumentBundle) -> list[str]:
    """Return the distinct slide titles in order (the sections search can report)."""
    return list(dict.fromkeys(slide.title for slide in bundle.slides))
