"""A table question about a row the table does not list: "quantum communications" asked of a table whose
rows are quantum sensors and quantum computing is not answered by listing the table."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from retrieval.intent import is_function_word
from tools.ranking_matching import rows_sharing
from tools.rankings import Table, TableRow

# How a question about a table row asks for its place; the same in every table.
_RANK_WORDS = frozenset(
    "rank ranks ranked ranking rankings position place placed score top best number".split()
)
_JAPANESE_RUN = re.compile(r"[\u4e00-\u9fff\u3005\u30a1-\u30faー・A-Za-z0-9&＆]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&\-]*")


def _vocabulary(table: Table) -> list[str]:
    """What the table calls itself and its columns: words that say which table, not which row."""
    words = [table.title_ja, table.title_en, *table.keywords]
    for column in table.columns:
        words += [column.label_ja, column.label_en]
    return [w for w in words if w]


def _latin_phrases(question: str, table: Table, subject: Collection[str]) -> list[str]:
    skip = {w.lower() for text in [*_vocabulary(table), *subject] for w in _LATIN_WORD.findall(text)}
    phrases, run = [], []
    for word in _LATIN_WORD.findall(question.replace("'s", " ")):
        lower = word.lower()
        if is_function_word(lower) or lower in skip or lower.rstrip("s") in skip or lower in _RANK_WORDS:
            if run:
                phrases.append(" ".join(run))
            run = []
        else:
            run.append(lower)
    return phrases + ([" ".join(run)] if run else [])


def _japanese_phrases(question: str, table: Table, subject: Collection[str]) -> list[str]:
    # longest first, so a title is taken out before the words inside it
    known = sorted(
        {w for w in [*_vocabulary(table), *subject] if len(w) >= 2 and not w.isascii()}, key=len, reverse=True
    )
    phrases = []
    for run in _JAPANESE_RUN.findall(question):
        if run.isascii():
            continue
        for word in known:
            run = run.replace(word, " ")
        phrases += [piece for piece in run.split() if len(piece) >= 2 and not piece.isascii()]
    return phrases


def unlisted_row(question: str, table: Table, subject: Collection[str]) -> tuple[str, list[TableRow]] | None:
    """(the phrase asked, the rows sharing part of it) when the question asks about a thing of
    the table's kind that none of its rows is; None when it names a row or nothing row-like."""
    question = unicodedata.normalize("NFKC", question)
    phrases = _latin_phrases(question, table, subject) + _japanese_phrases(question, table, subject)
    near: tuple[str, list[TableRow]] | None = None
    for phrase in phrases:
        named, rows = rows_sharing(table, phrase)
        if named:
            return None
        if rows and near is None:
            near = (phrase, rows)
    return near
