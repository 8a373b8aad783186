"""User-facing wording of the offline engine, in Japanese and English, in one catalogue.

Each entry is one message in both languages, so a branch never copies the other; `say` fills it in.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["ja", "en"]

MESSAGES: dict[str, dict[str, str]] = {
    "refusal": {"ja": "資料にはこの質問に答える記載がありません。", "en": "The deck does not answer this."},
    "missing_entity": {
        "ja": "{where}には「{names}」についての記載がありません。",
        "en": "{where} does not mention {names}.",
    },
    "closest_evidence": {
        "ja": "最も近い記載（スライド{slide}「{section}」）",
        "en": 'The closest evidence (slide {slide}, "{section}")',
    },
    "the_deck": {"ja": "資料", "en": "The deck"},
    "missing_year": {
        "ja": "質問の年・時点（{asked}）の記載は、最も近い記載にもありません。",
        "en": "The year or period asked about ({asked}) does not appear in the closest evidence.",
    },
    "years_given": {"ja": "そこにあるのは{years}の記載です。", "en": "It gives {years}."},
    "weak": {
        "ja": "十分に関連するスライドが見つかりませんでした。",
        "en": "No slide matches the question closely enough.",
    },
    "deck_lists": {"ja": "資料に掲載されているのは: {names}。", "en": "What the deck lists: {names}."},
    "nearest": {"ja": "近い内容のセクション: {sections}。", "en": "Nearest sections: {sections}."},
    "section_ref": {"ja": "「{section}」（スライド{slide}）", "en": '"{section}" (slide {slide})'},
}
LIST_SEPARATOR = {"ja": "、", "en": ", "}
SENTENCE_SEPARATOR = {"ja": "", "en": " "}
NAME_JOINER = {"ja": "」「", "en": ", "}


def say(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang` (Japanese for anything but "en"), filled with `values`."""
    return MESSAGES[key]["en" if lang == "en" else "ja"].format(**values)


def join_list(items: list[str], lang: str) -> str:
    """Items joined the way the language lists them."""
    return LIST_SEPARATOR["en" if lang == "en" else "ja"].join(dict.fromkeys(items))
