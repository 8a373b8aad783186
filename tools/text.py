"""Script primitives shared by every layer: which characters are Japanese, which are Latin letters.

One definition, so a reply's language, a page's language and a term's script are judged alike everywhere.
"""

import re

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
