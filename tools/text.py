"""Script primitives shared by every layer: which characters are Japanese, which are Latin letters.

One definition, so a reply's language, a page's language and a term's script are judged alike everywhere.
"""

import re
from functools import lru_cache

import snowballstemmer

# Kana (hiragana, katakana) and kanji (CJK unified ideographs, extension A, compatibility ideographs).
JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
# The list mark a slide line starts with (⚫ lead, • bullet, ・ item) and the space after it.
LIST_MARK = re.compile(r"^\s*[⚫•◼➢■●○◆▶►・]\s*")


def has_japanese(text: str) -> bool:
    """Whether the text has any kana or kanji."""
    return JAPANESE_CHAR.search(text) is not None


def japanese_count(text: str) -> int:
    """How many kana and kanji the text has."""
    return len(JAPANESE_CHAR.findall(text))


def latin_count(text: str) -> int:
    """How many Latin letters the text has."""
    return len(LATIN_LETTER.findall(text))


# An English word: letters, digits and the marks inside a term (R&D, start-up, Toyota's).
ENGLISH_WORD = re.compile(r"[a-z][a-z0-9&]*(?:[-'][a-z0-9]+)*")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=8192)
def english_stem(word: str) -> str:
    """The Snowball stem of an English word, lower-cased and without a possessive ("labs" → "lab")."""
    return _STEMMER.stemWord(word.lower().removesuffix("'s"))


def english_stems(text: str) -> list[str]:
    """The stems of a text's English words, in order."""
    return [english_stem(word) for word in ENGLISH_WORD.findall(text.lower())]
