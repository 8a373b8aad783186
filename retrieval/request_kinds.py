"""Is a message a summary request? Nearest neighbours over labelled phrasings, by meaning, not keywords."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import yaml

from retrieval.figures import asks_figure
from retrieval.intent import without_quotes

PHRASINGS_PATH = Path(__file__).parent / "data" / "request_kinds.yaml"
NEIGHBOURS = 3
# How much closer (mean cosine of the 3 nearest) the summary phrasings must be than the question ones.
# Calibrated on tests/eval/dev.jsonl + the public sample: summaries 0.0184-0.055, questions <= 0.0180,
# see docs/engine.md. The held-out set was not used.
SUMMARY_MARGIN = 0.0182


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0)


class RequestKinds:
    """Labels a message `summary` or `question` by its nearest labelled phrasings."""

    def __init__(self, embed: Callable[[str], Sequence[float]], path: Path = PHRASINGS_PATH) -> None:
        labelled = yaml.safe_load(path.read_text(encoding="utf-8"))
        self._embed = embed
        self._examples = [(label, embed(text)) for label, texts in labelled.items() for text in texts]

    def summary_margin(self, message: str) -> float:
        """Mean similarity of the nearest summary phrasings minus that of the nearest question phrasings."""
        vector = self._embed(message)
        by_label: dict[str, list[float]] = {}
        for label, example in self._examples:
            by_label.setdefault(label, []).append(_cosine(vector, example))

        def nearest(label: str) -> float:
            return sum(sorted(by_label.get(label, [0.0]), reverse=True)[:NEIGHBOURS]) / NEIGHBOURS

        return nearest("summary") - nearest("question")

    def is_summary(self, message: str) -> bool:
        """True when the message asks for a summary rather than a fact. A message asking where, when, who,
        which or how many/much asks a fact unless it also says summary (「要点」, "tl;dr"); one that says summary
        and asks no fact is a summary; otherwise the nearest labelled phrasings decide."""
        asks_fact = _ASKS_FACT.search(message) or asks_figure(message, "count")  # 何か所, 件数
        # a quoted title is the page's wording (「制度の概要」), not the request's
        says_summary = _SAYS_SUMMARY.search(without_quotes(message))
        if asks_fact and not says_summary:
            return False
        if says_summary and not asks_fact:
            return True  # 「ざっくり言うと？」 is a summary whatever its topic's neighbours say
        return self.summary_margin(message) >= SUMMARY_MARGIN


# The form of a request, in any document: words that ask one fact, and words that ask for a summary.
_ASKS_FACT = re.compile(
    r"どこ|いつ|誰|だれ|何(?:年|社|位|人|件|校|%|％|パーセント|ポイント|倍|が|を)|なにが|いくら|いくつ|どれ|どちら|"
    r"\bwhere\b|\bwhen\b|\bwho\b|\bwhich\b|how many|how much|what counts as|\bdefin(?:e|es|ed|ing|ition)\b|"
    r"what is meant by|what kinds? of|what types? of|定義|とは何|とはなに|どのような|どんな|"
    r"挙げて|列挙|\blist (?:the|all)\b|\bname the\b",
    re.I,
)
_SAYS_SUMMARY = re.compile(
    r"要約|まとめ|要点|ざっくり|ざっと|概要|かいつまんで|一言で|要するに|ポイントだけ|"
    r"tl;?dr|summar|\bgist\b|overview|nutshell|recap|key points|takeaways|big picture|boil down",
    re.I,
)


@lru_cache(maxsize=2)
def request_kinds_for(embed: Callable[[str], Sequence[float]]) -> RequestKinds:
    """One classifier per embedder (its phrasings are embedded once)."""
    return RequestKinds(embed)
