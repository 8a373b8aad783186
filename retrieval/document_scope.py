"""Which documents a question names: 「参考資料では…」, "in the quantum memo…", or a document's id.

A document is named by its title, id, file name or bundle aliases, and by parts of its title that say what
kind of document it is, not by any list of question phrasings:
- a whole name (title, alias, id or file stem) printed in the question;
- a part of a Japanese name (split at spaces, punctuation and の) that ends in a kind of document
  (「手引き」, 「報告書」, 「参考資料」);
- English words of a name, one of them a kind of document (report, memo, survey, …) — so "in the main report"
  names "Interim Report (main text)", while "Tokyo's startup ecosystem rank" does not name "Startup Ecosystem
  Survey 2026".
A part that several documents share names none of them (the words a report and its appendix share).
`read_scope` also returns the question without those names: they say where to look, not what to find.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from retrieval.search import latin_words
from tools.text import has_japanese, japanese_count

_SPLIT = re.compile(r"[\s・、，,:：;；()（）「」『』【】\[\]\-–—/／|｜]+")
# Words that say what kind of document a name is; a name's words name the document only with one of them.
DOCUMENT_NOUNS = frozenset(
    "report memo memorandum deck slides pamphlet brochure paper whitepaper guide guidelines handbook manual "
    "minutes note notes plan strategy summary appendix faq survey study review overview booklet leaflet "
    "presentation proposal briefing article newsletter bulletin statement roadmap".split()
)
JA_DOCUMENT_NOUNS = (
    "資料",
    "報告書",
    "報告",
    "手引き",
    "手引",
    "白書",
    "概要",
    "パンフレット",
    "ガイド",
    "ガイドライン",
    "本文",
    "メモ",
    "とりまとめ",
    "まとめ",
    "提言",
    "答申",
    "計画",
    "戦略",
    "方針",
    "要綱",
    "議事録",
    "調査",
    "レポート",
    "通知",
    "マニュアル",
    "案内",
    "説明書",
)
_MIN_CJK_PART = 2
_MIN_WORD = 3


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())


def _japanese_parts(name: str) -> set[str]:
    # parts with digits are dates and counts (「2026年度」), which questions print for other reasons
    return {
        _fold(part)
        for part in re.split(r"の|" + _SPLIT.pattern, unicodedata.normalize("NFKC", name))
        if japanese_count(part) >= _MIN_CJK_PART
        and not re.search(r"\d", part)
        and part.endswith(JA_DOCUMENT_NOUNS)
    }


def _words(name: str) -> set[str]:
    return {word for word in latin_words(name) if len(word) >= _MIN_WORD and not word.isdigit()}


@dataclass(frozen=True)
class Scope:
    """What a question says about where to look."""

    documents: list[str]  # ids of the documents it names; empty: all
    question: str  # the question without the names


# A document referred to by what it is rather than by name: the newest one added, or the one PDF.
_NEWEST = re.compile(
    r"\b(?:(?:in|from|according\s+to|per)\s+)?(?:the\s+)?(?:new|newest|latest|recently\s+added|uploaded|added)\s+"
    r"(?:document|doc|file|pdf|report|memo)\b,?"
    r"|(?:最新の|新しい|追加した|追加された|アップロードした|アップロードされた)(?:資料|文書|ファイル|PDF|pdf)"
    r"(?:では|によると|によれば|の中で|で|に|の)?",
    re.I,
)
_THE_PDF = re.compile(
    r"\b(?:in|from|according\s+to)?\s*the\s+pdf\b|PDF(?:では|によると|によれば|の中で|に)", re.I
)


def _referred(text: str, kinds: Mapping[str, str], newest: str | None) -> tuple[list[str], str]:
    """Documents the question refers to without naming them ("the new document", 「PDFでは」)."""
    if newest is not None and _NEWEST.search(text):
        return [newest], _NEWEST.sub(" ", text)
    pdfs = [doc for doc, kind in kinds.items() if kind == "pdf"]
    if len(pdfs) == 1 and _THE_PDF.search(text):
        return pdfs, _THE_PDF.sub(" ", text)
    return [], text


def read_scope(
    question: str,
    names: Mapping[str, Sequence[str]],
    *,
    kinds: Mapping[str, str] | None = None,
    newest: str | None = None,
) -> Scope:
    """The documents a question names (none when it names no document, or names them all), and the question
    without those names.

    Args:
        question: The user's question.
        names: Document id -> its names (title in each language, aliases, file stem); the id counts too.
        kinds: Document id -> its kind (pdf, text, markdown, deck), for 「PDFでは」 / "the PDF".
        newest: The id of the document added last, for "the new document" / 「追加した資料」.
    """
    text = unicodedata.normalize("NFKC", question)
    folded = _fold(text)
    asked_words = set(latin_words(text))
    parts = {doc: set().union(*(_japanese_parts(n) for n in ns), set()) for doc, ns in names.items()}
    words = {doc: set().union(*(_words(n) for n in ns), set()) for doc, ns in names.items()}
    named: dict[str, list[str]] = {}  # id -> the name phrases found in the question
    for doc, doc_names in names.items():
        whole = [n for n in (doc, *doc_names) if len(_fold(n)) >= 3 and _fold(n) in folded]
        others_parts = set().union(*(p for d, p in parts.items() if d != doc), set())
        others_words = set().union(*(w for d, w in words.items() if d != doc), set())
        own_parts = [p for p in parts[doc] - others_parts if p in folded]
        own_words = (words[doc] - others_words) & asked_words
        shared_words = words[doc] & asked_words
        if whole or own_parts:
            # "Quantum Strategy Memo" when the name found is "memo": the title words around it go too
            said = {w for n in whole for w in _words(n)} & asked_words
            named[doc] = whole + own_parts + _word_runs(text, words[doc], said)
        elif own_words and shared_words & DOCUMENT_NOUNS:
            named[doc] = _word_runs(text, words[doc], own_words)
    if not named:
        referred, rest = _referred(text, kinds or {}, newest)
        if referred:
            return Scope(referred, re.sub(r"\s+", " ", rest).strip(" ,、:：") or question)
    if len(named) == len(names):
        return Scope([], question)
    phrases = sorted({p for found in named.values() for p in found}, key=len, reverse=True)
    return Scope(list(named), _without(text, phrases) if phrases else question)


# What is left of "in the X, …" / 「Xでは…」 once X is taken out.
_JA_AFTER_NAME = r"(?:の中で|によると|によれば|では|には|で|の|は|に)?"
_EN_BEFORE_NAME = r"(?:\b(?:in|from|according to|per|of)\s+)?(?:\b(?:the|this|that|our|your)\s+)?"


def _word_runs(text: str, title_words: set[str], own_words: set[str]) -> list[str]:
    """The runs of consecutive question words that are all words of the title and hold one of its own:
    "main report" of "In the main report, …"."""
    runs: list[str] = []
    current: list[str] = []
    for word in [*re.findall(r"[A-Za-z0-9][A-Za-z0-9&\-]*", text), ""]:
        if word.lower() in title_words:
            current.append(word)
            continue
        if any(w.lower() in own_words for w in current):
            runs.append(" ".join(current))
        current = []
    return runs


def _without(text: str, phrases: list[str]) -> str:
    """The text with each name phrase removed (spacing and case ignored), and the particle or preposition
    that tied it to the question."""
    for phrase in phrases:
        letters = [re.escape(c) for c in phrase if not c.isspace()]
        pattern = r"\s*".join(letters)
        if has_japanese(phrase):
            text = re.sub(pattern + _JA_AFTER_NAME, " ", text, flags=re.I)
        else:
            # not \b: a Japanese particle right after a Latin name is a word character too
            text = re.sub(
                _EN_BEFORE_NAME + r"(?<![A-Za-z0-9])" + pattern + r"(?![A-Za-z0-9])[,:]?" + _JA_AFTER_NAME,
                " ",
                text,
                flags=re.I,
            )
    cleaned = re.sub(r"\s+", " ", text).strip(" ,、:：")
    return cleaned or text

