"""The only code that opens corpus files: the deck text, its hash and its parsed slides."""

import hashlib
from functools import lru_cache

from corpus import DECK_PATH
from corpus.deck import Slide, parse_deck


@lru_cache(maxsize=1)
def load_deck_text() -> str:
    """Return the deck text the project owns (UTF-8)."""
    return DECK_PATH.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def deck_sha256() -> str:
    """Return the SHA-256 hex digest of the deck text, used to version the index."""
    return hashlib.sha256(load_deck_text().encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _slides() -> tuple[Slide, ...]:
    return tuple(parse_deck(load_deck_text()))


def load_slides() -> list[Slide]:
    """Return the deck's slides in order (parsed once per process)."""
    return list(_slides())


def list_sections() -> list[str]:
    """Return the distinct slide titles in deck order (the sections search can report)."""
    seen: dict[str, None] = {}
    for slide in _slides():
        seen.setdefault(slide.title, None)
    return list(seen)
