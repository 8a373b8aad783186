"""What kind of figure a question asks for (a rate, an amount, a rank, a count, or a measure such as a
valuation), and how a document prints one. The unit scorer reads it (quote the line that prints the figure
asked), and so does the refusal check (refuse when nothing quoted prints it)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

# What kind of figure a question asks for, and how a document prints one. Only kinds whose printed form is
# unmistakable: a rate is printed with %, an amount with a currency or a 億/兆 scale, a rank with 位 or an
# ordinal, a count with a counter (社, 件, "companies").
_ASKS_FIGURE = {
    "rate": re.compile(
        r"\brates?\b|percent|percentage|[税控除還付比]率|割合|何\s*[%％]|何パーセント|何ポイント|how many points",
        re.I,
    ),
    "amount": re.compile(r"how much|いくら|金額|予算額|投資額|調達額|\bbudget\b|\bcost\b", re.I),
    "rank": re.compile(
        r"\brank(?:ed|s)?\b|\bwhat place\b|\bposition\b|\bstanding\b|\bwhere does .{2,40}\bstand\b"
        r"|何位|順位|何番目",
        re.I,
    ),
    "count": re.compile(
        r"how many|\bnumber of\b|何(?:人|名|社|件|校|か所|カ所|箇所|都市|か国|カ国|ヶ国|団体|機関|本|個)"
        r"|いくつ|件数|人数|社数|校数",
        re.I,
    ),
}
# Counters a count is printed with: ordinary Japanese counters and English plural nouns of things counted.
_COUNTERS = (
    r"人|名|社|件|校|か所|カ所|ヵ所|ヶ所|箇所|拠点|都市|地域|技術|分野|か国|カ国|ヶ国|国|機関|本|個|つ|団体|大学|法人"
    r"|チーム|プロジェクト|ファンド|種類"
)
# 「人口1万人あたり」 is the unit a figure is given per, not a count of people.
_NOT_PER = r"(?!\s*(?:あたり|当たり|につき))"
FIGURE_FORMS = {
    "rate": re.compile(r"\d\s*[%％]|\d\s*割|パーセント|percent|\d\s*(?:ポイント|pt\b|points?\b)", re.I),
    "amount": re.compile(
        r"\d\s*(?:兆|億|万)?\s*(?:円|ドル|ユーロ|ポンド|ウォン|元)|[$€£¥]\s*\d|\d\s*(?:兆|億)"
        r"|\d\s*(?:yen|dollars?|euros?|pounds?|billion|million|trillion)\b",
        re.I,
    ),
    "rank": re.compile(r"\d\s*位|\brank(?:ed)?\s*(?:no\.?\s*)?#?\d|\d(?:st|nd|rd|th)\b|No\.\s*\d|#\d", re.I),
    "count": re.compile(
        rf"\d\s*(?:万|千)?\s*(?:{_COUNTERS}){_NOT_PER}"
        r"|\d\s*(?:people|persons|companies|firms|cases|universities|cities|"
        r"sites|startups|countries|regions|institutions|projects|funds|researchers|students|technologies|fields)\b",
        re.I,
    ),
}


# A question asking when, and how a date is printed: only for choosing what to quote (a refusal for a missing
# year is the year constraint's, not a figure kind's).
_ASKS_DATE = re.compile(r"\bwhen\b|\b(?:what|which) year\b|\bsince when\b|いつ|何年(?!間)|何月", re.I)
DATE_FORM = re.compile(r"(?:19|20)\d{2}\s*年|(?<!\d)(?:19|20)\d{2}(?!\d)|令和|平成")


# Stricter, for the refusal check: 「何年？」 also asks how many years (a carry-forward's), so only 何年に counts.
_ASKS_WHEN = re.compile(r"\bwhen\b|\b(?:what|which) year\b|\bsince when\b|いつ|何年に|何月", re.I)


def date_form(question: str) -> re.Pattern[str] | None:
    """DATE_FORM when the question asks when something happened, else None."""
    return DATE_FORM if _ASKS_DATE.search(question) else None


def asks_when(question: str) -> bool:
    """Whether the question asks at what time something happened, unmistakably (the refusal check's test)."""
    return _ASKS_WHEN.search(question) is not None


# A question asking the whole of a figure (「B省分も入れると総額」, "in total"), and a figure printed as one
# body's part of a whole (「A省分」, のうち) or as a whole (合算, "combined"). General wording of scope, not
# of any document.
_ASKS_WHOLE = re.compile(
    r"総額|合計|全体で|トータル|も(?:入れ|含め)(?:ると|て|た)|\bin total\b|\baltogether\b|\bcombined\b"
    r"|\bincluding\b",
    re.I,
)
_PRINTED_WHOLE = re.compile(r"合算|合計|総額|\bcombined\b|\bin total\b|\btotal of\b", re.I)
_PRINTED_PART = re.compile(
    r"(?:省|庁|府|局|社|国|都|道|県|市)分(?![野類析布散])|のうち|\bportion\b|\bshare\b", re.I
)


def asks_whole(question: str) -> bool:
    """Whether the question asks a total."""
    return _ASKS_WHOLE.search(question) is not None


def gives_whole(texts: list[str]) -> bool:
    """Whether evidence texts give a whole: not when every one that prints a figure is marked one body's
    part ("A省分") and none a total."""
    figured = [text for text in texts if re.search(r"\d", text)]
    if not figured or any(_PRINTED_WHOLE.search(text) for text in figured):
        return True
    return not all(_PRINTED_PART.search(text) for text in figured)


LABEL_FORMS = {
    "rate": re.compile(r"[%％]|率|割合|percent|rate", re.I),
    "amount": re.compile(r"円|ドル|ユーロ|ポンド|億|兆|yen|dollar|usd|eur|[$€£¥]", re.I),
    "rank": re.compile(r"順位|ランキング|\brank", re.I),
    "count": re.compile(r"数|\bnumber\b|\bcount\b", re.I),
    "date": re.compile(r"年|時期|\bdate\b|\byear\b|\bsince\b", re.I),
}


METRICS_PATH = Path(__file__).parent / "data" / "metrics.yaml"


@lru_cache(maxsize=1)
def metrics() -> dict[str, dict[str, list[str]]]:
    return yaml.safe_load(METRICS_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1024)  # asked once per unit scored (extract.score_unit): read each question once
def asked_metric(question: str) -> str | None:
    """The measure a question asks for (valuation, revenue, employees …: retrieval/data/metrics.yaml)."""
    for metric, forms in metrics().items():
        if any(re.search(pattern, question, re.I) for pattern in forms["asked"]):
            return metric
    return None


def asked_figure(question: str) -> str | None:
    """'rate', 'amount', 'rank' or 'count' when the question asks for that kind of figure, else None."""
    return next((kind for kind, pattern in _ASKS_FIGURE.items() if pattern.search(question)), None)


def asks_figure(question: str, kind: str) -> bool:
    """Whether the question asks for this kind of figure, among others ("its rate, and its rank")."""
    return _ASKS_FIGURE[kind].search(question) is not None


# What is counted, and its counters: 何社 / 社数 / "how many companies" is answered by 「38社」, not by
# 「約850件」. General Japanese counters and the English nouns that take them.
_COUNTED: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("人", "名"),
        tuple(
            """people persons researchers students foreigners employees staff workers founders
        entrepreneurs graduates holders members scientists engineers""".split()
        ),
    ),
    (
        ("社",),
        tuple("companies firms startups unicorns businesses corporations enterprises ventures".split()),
    ),
    (
        ("件", "本"),
        tuple("cases applications patents papers contracts deals investments filings licenses".split()),
    ),
    (("校", "大学"), tuple("universities schools colleges".split())),
    (("か国", "カ国", "ヶ国", "国"), tuple("countries nations economies".split())),
    (("都市", "つ"), ("cities",)),  # 「対象都市は５つ」
    (
        # a site count is printed by place too (「3地域」: three regions, each a site)
        ("か所", "カ所", "ヵ所", "ヶ所", "箇所", "拠点", "地域", "つ"),
        tuple("sites locations bases offices hubs regions areas".split()),
    ),
)
_JA_COUNT = re.compile(r"何\s*(人|名|社|件|本|校|か国|カ国|ヶ国|都市|か所|カ所|箇所|拠点)|(人|社|件|校)数")
_HOW_MANY = re.compile(r"(?:how many|number of)((?:\s+[a-z][a-z-]*){1,4})", re.I)


def _counters(question: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The counters of what a count question counts, when it says (何社, 件数, "how many patents")."""
    japanese = _JA_COUNT.search(question)
    if japanese:
        counter = japanese.group(1) or japanese.group(2)
        return next((group for group in _COUNTED if counter in group[0]), None)
    english = _HOW_MANY.search(question)
    return _counted_by_noun(english.group(1)) if english else None


def counted_words(question: str) -> str:
    """The English words naming what a how-many question counts ("how many fields does …" → "fields does …"),
    or '' when it asks no English count."""
    english = _HOW_MANY.search(question)
    return english.group(1).strip() if english else ""


def counted_group(words: str) -> tuple[str, ...]:
    """The Japanese counters of the first noun of things counted among English words ("companies" → 社)."""
    group = _counted_by_noun(words)
    return group[0] if group else ()


def _counted_by_noun(words: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The counters of the first English noun of things counted among the words ("korean companies" → 社)."""
    for word in words.lower().split():
        group = next((g for g in _COUNTED if word in g[1]), None)
        if group is not None:
            return group
    return None


def counted_in(question: str) -> tuple[str, ...]:
    """The Japanese counters of what a how-many question counts (何社 → 社), or () when it does not say."""
    counted = _counters(question) if asked_figure(question) == "count" else None
    return counted[0] if counted else ()


@lru_cache(maxsize=256)
def figure_form(question: str) -> re.Pattern[str] | None:
    """How the figure the question asks for is printed (a count narrowed to its counters), or None. Cached:
    the unit scorer asks it for every unit of every slide it reads."""
    kind = asked_figure(question)
    if kind != "count":
        return FIGURE_FORMS[kind] if kind else None
    counted = _counters(question)
    if counted is None:
        return FIGURE_FORMS["count"]
    japanese, english = counted
    nouns = "|".join(COUNTED_NOUNS_JA.get(japanese[0], ()) or japanese)
    return re.compile(
        rf"\d\s*(?:万|千)?\s*(?:{'|'.join(japanese)}){_NOT_PER}"
        # 「300以上の共同論文」, "300 co-authored papers": the thing counted a few words after its number
        rf"|\d\s*(?:以上|超|程度|近く)?の?[\u4e00-\u9fff\u30a0-\u30ff]{{0,4}}(?:{nouns}){_NOT_PER}"
        rf"|(?<!per )\d\s*\+?\s*(?:[a-z-]+\s+){{0,2}}(?:{'|'.join(english)})\b",
        re.I,
    )


# The Japanese nouns of things counted, printed after a number without a counter (「300以上の共同論文」).
COUNTED_NOUNS_JA = {
    "人": ("人", "名", "者", "人材"),
    "社": ("社", "企業", "会社"),
    "件": ("件", "論文", "特許", "契約", "案件"),
    "校": ("校", "大学"),
}


# A question asking which things, by name: "which korean companies", 「どの企業」, 「企業名は」. Read with the
# counters above, so a table that gives only how many of them (韓国 8社) is known not to say which.
_ASKS_WHICH_EN = re.compile(r"\b(?:which|what|name the|list the)((?:\s+[a-z][a-z-]*){1,3})", re.I)
_ASKS_WHICH_JA = re.compile(
    r"(?:どの|どこの|どんな)\s*([\u4e00-\u9fff\u30a0-\u30ff]{1,4})|([\u4e00-\u9fff]{1,3})名(?:は|を|って|が|[?？]|$)"
)


def names_asked_of(question: str) -> tuple[str, ...]:
    """The Japanese counters of the things a question asks to be named ("which companies" → 社), or ()."""
    for match in _ASKS_WHICH_EN.finditer(question):
        group = _counted_by_noun(match.group(1))
        if group is not None:
            return group[0]
    for match in _ASKS_WHICH_JA.finditer(question):
        noun = match.group(1) or match.group(2)
        for counter, nouns in COUNTED_NOUNS_JA.items():
            # 人 alone is too common a character (どの人材, 人口) to name what is asked
            if any(noun.startswith(n) or noun.endswith(n) for n in nouns if n != "人"):
                return next(g[0] for g in _COUNTED if counter in g[0])
    return ()
