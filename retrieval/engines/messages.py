"""User-facing wording of the offline engine, in Japanese and English, in one catalogue.

Each entry is one message in both languages, so a branch never copies the other; `say` fills it in. A
document added as pages (a report, a memo) is no deck: `ja@pages` / `en@pages` word a message for it.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["ja", "en"]

MESSAGES: dict[str, dict[str, str]] = {
    "refusal": {
        "ja": "資料にはこの質問に答える記載がありません。",
        "en": "The deck does not answer this.",
        "en@pages": "The document does not answer this.",
    },
    "missing_entity": {
        "ja": "{where}には「{names}」についての記載がありません。",
        "en": "{where} does not mention {names}.",
    },
    "closest_evidence": {
        "ja": "最も近い記載（{page}「{section}」）",
        "en": 'The closest evidence ({page}, "{section}")',
    },
    "the_deck": {"ja": "資料", "en": "The deck", "en@pages": "The document"},
    "missing_year": {
        "ja": "質問の年・時点（{asked}）の記載は、最も近い記載にもありません。",
        "en": "The year or period asked about ({asked}) does not appear in the closest evidence.",
    },
    "missing_year_of_name": {
        "ja": "最も近い記載には{asked}の数値がありますが、「{names}」についての{asked}の記載ではありません。",
        "en": "The closest evidence gives {asked} figures, but not for {names}.",
    },
    "years_given": {"ja": "そこにあるのは{years}の記載です。", "en": "It gives {years}."},
    "missing_designator": {
        "ja": "質問の「{asked}」は、最も近い記載にありません（記載があるのは{given}）。",
        "en": "The closest evidence does not cover {asked}; it gives {given}.",
    },
    "quoted_as_printed": {
        "ja": "該当箇所は英語のページのため、原文のまま引用しています（この文書には和訳がありません）。",
        "en": "Quoted as printed, in Japanese: this document has no English rendering.",
    },
    "missing_row": {
        "ja": "表には「{asked}」の行がありません（近いものは{given}）。",
        "en": "The table has no row for {asked}; the nearest rows are {given}.",
    },
    "missing_metric": {
        "ja": "最も近い記載には、質問の対象の{metric}が書かれていません。",
        "en": "The closest evidence gives no {metric} for what the question asks about.",
    },
    "missing_rank": {
        "ja": "最も近い記載には、質問の対象の順位が書かれていません。",
        "en": "The closest evidence gives no rank for what the question asks about.",
    },
    "missing_count": {
        "ja": "最も近い記載には、質問の対象の数が書かれていません。",
        "en": "The closest evidence gives no count for what the question asks about.",
    },
    "missing_rate": {
        "ja": "最も近い記載には、質問の対象についての率（%）が書かれていません。",
        "en": "The closest evidence gives no rate (%) for what the question asks about.",
    },
    "missing_date": {
        "ja": "最も近い記載には、質問の対象についての時期（年・月）が書かれていません。",
        "en": "The closest evidence gives no date for what the question asks about.",
    },
    "missing_names": {
        "ja": "最も近い記載にあるのは数だけで、どれに当たるかは書かれていません。",
        "en": "The closest evidence gives only how many, not which ones.",
    },
    "missing_whole": {
        "ja": "最も近い記載にあるのは一部の額だけで、全体の額は書かれていません。",
        "en": "The closest evidence gives only one part's figure, not the total.",
    },
    "missing_amount": {
        "ja": "最も近い記載には、質問の対象についての金額が書かれていません。",
        "en": "The closest evidence gives no amount for what the question asks about.",
    },
    "weak": {
        "ja": "十分に関連するスライドが見つかりませんでした。",
        "en": "No slide matches the question closely enough.",
        "ja@pages": "十分に関連するページが見つかりませんでした。",
        "en@pages": "No page matches the question closely enough.",
    },
    "deck_lists": {"ja": "資料に掲載されているのは: {names}。", "en": "What the deck lists: {names}."},
    "nearest": {"ja": "近い内容のセクション: {sections}。", "en": "Nearest sections: {sections}."},
    "section_ref": {"ja": "「{section}」（{page}）", "en": '"{section}" ({page})'},
    "quote_head": {"ja": "資料の記載（{page}「{section}」）:", "en": '{Page} ("{section}") says:'},
    "summary_head": {"ja": "「{title}」の要点（資料からの抜粋）:", "en": 'Key points of "{title}":'},
    "page": {
        "ja": "スライド{number}",
        "en": "slide {number}",
        "ja@pages": "p.{number}",
        "en@pages": "page {number}",
    },
}
LIST_SEPARATOR = {"ja": "、", "en": ", "}
SENTENCE_SEPARATOR = {"ja": "", "en": " "}
NAME_JOINER = {"ja": "」「", "en": ", "}


def say(key: str, lang: str, *, layout: str = "deck", **values: object) -> str:
    """The message `key` in `lang` (Japanese for anything but "en") for a document of `layout` (a bundle's
    `deck` or `pages`), filled with `values`."""
    language = "en" if lang == "en" else "ja"
    entry = MESSAGES[key]
    return entry.get(f"{language}@{layout}", entry[language]).format(**values)


def page(number: object, lang: str, layout: str = "deck") -> str:
    """Where a quote is: `スライド6` / `slide 6` in a deck, `p.6` / `page 6` in a document of pages."""
    return say("page", lang, layout=layout, number=number)


def join_list(items: list[str], lang: str) -> str:
    """Items joined the way the language lists them."""
    return LIST_SEPARATOR["en" if lang == "en" else "ja"].join(dict.fromkeys(items))
