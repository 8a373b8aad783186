"""An English question's content words matched against a page's English rendering (pure).

The lexicon translates some English words into the deck's Japanese and loses others ("lab" is not 研究所);
the reviewed English rendering of every unit says the page's content in the reader's own words. Matching
stems there lets a question nobody phrased before find the page that answers it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from retrieval.intent import is_function_word
from tools.text import english_stem

# A stem this long that begins another stem names the same thing: "lab" → "laboratori", "singapor" ← a
# demonym's "singaporean". Shorter stems (us, ai) match only themselves.
MIN_PREFIX_STEM = 3
MIN_REVERSE_PREFIX_STEM = 5

# An ordinal is a word (a "6th term" is not the "5th term"), and a hyphenated compound's parts are its
# words: "mid-to-long-term" shares "long" and "term" with "long-term".
_CONTENT_WORD = re.compile(r"\d+(?:st|nd|rd|th)\b|[a-z][a-z0-9&]*(?:'[a-z]+)?")


def content_stems(text: str) -> list[str]:
    """The stems of a text's English content words, in order, without function words or repeats."""
    return list(_content_stems(text))


@lru_cache(maxsize=4096)
def _content_stems(text: str) -> tuple[str, ...]:
    words = [word.removesuffix("'s") for word in _CONTENT_WORD.findall(text.lower())]
    words = [word for word in words if not is_function_word(word)]
    return tuple(dict.fromkeys(english_stem(word) for word in words))


def shared_stems(question: str, text: str) -> int:
    """How many of an English question's content stems a text's English words use."""
    printed = set(_content_stems(text))
    return sum(any(_matches(asked, word) for word in printed) for asked in _content_stems(question))


def stems_said(question: str, text: str) -> list[tuple[str, bool]]:
    """Each content stem of an English question, and whether a text's English words use it."""
    printed = set(_content_stems(text))
    return [(asked, any(_matches(asked, word) for word in printed)) for asked in _content_stems(question)]


def _matches(asked: str, printed: str) -> bool:
    if asked == printed:
        return True
    if len(asked) >= MIN_PREFIX_STEM and printed.startswith(asked):
        return True
    return len(printed) >= MIN_REVERSE_PREFIX_STEM and asked.startswith(printed)


class EnglishPages:
    """The stems each page's English rendering uses, and how rare each stem is across the document."""

    def __init__(self, english_by_page: Mapping[int, str]) -> None:
        self.stems = {page: frozenset(content_stems(text)) for page, text in english_by_page.items()}
        self.pages = len(self.stems)
        self._vocabulary = tuple({s for stems in self.stems.values() for s in stems})

    @lru_cache(maxsize=2048)  # noqa: B019 (one instance per document, kept for the process's life)
    def _pages_with(self, asked: str) -> frozenset[int]:
        printed = [word for word in self._vocabulary if _matches(asked, word)]
        return frozenset(page for page, stems in self.stems.items() if any(w in stems for w in printed))

    def _weight(self, asked: str) -> float:
        """Inverse page frequency: a stem few pages use says more about which page is meant."""
        pages = len(self._pages_with(asked))
        return math.log(1 + self.pages / pages) if pages else 0.0

    def coverage(self, page: int, question_stems: Iterable[str]) -> float:
        """Share of the question's stem weight that the page's English uses. Stems no page uses are left
        out: they cannot tell pages apart (chat words, misspellings)."""
        weights = {s: self._weight(s) for s in question_stems}
        total = sum(weights.values())
        if not total:
            return 0.0
        return sum(w for s, w in weights.items() if page in self._pages_with(s)) / total


def stem_share(question: str, text: str) -> float:
    """Share of an English question's content stems that a text's English words use (no weighting)."""
    asked = _content_stems(question)
    return shared_stems(question, text) / len(asked) if asked else 0.0
