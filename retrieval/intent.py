"""Read a question without a model: its language, what it asks for, its key terms, entities and years."""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from retrieval.glossary import english_to_japanese, japanese_entities_in

Kind = Literal["tax_calc", "ranking", "summary", "sections", "lookup"]
Lang = Literal["ja", "en"]

_JA_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> Lang:
    """Return 'ja' when the text is written in Japanese, else 'en'.

    Kana decides for Japanese unless the text is mostly English (a quoted Japanese title in an English
    question); without kana, kanji must outnumber Latin letters.
    """
    japanese = len(_JA_CHAR.findall(text))
    latin = len(_LATIN.findall(text))
    if _KANA.search(text):
        # An English sentence quoting a Japanese title is still English.
        return "en" if latin > 3 * japanese and latin >= 30 else "ja"
    return "ja" if japanese and japanese >= latin else "en"


@lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """Normalise for matching: NFKC, lower case, without spaces, middle dots or commas inside numbers."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"[\s・･]", "", text)


_SUMMARY = re.compile(r"要約|まとめ|概要を|ポイントを|summar|overview|main findings|key points|outline", re.I)
_SECTIONS = re.compile(
    r"目次|セクション一覧|章立て|table of contents|list (?:the |of )?sections|which sections", re.I
)
_RANKING = re.compile(
    r"順位|何位|位に|ランキング|番目|トップ\s?\d+|上位|1位|首位|rank|ranking|position|top[\s-]?\d+|"
    r"listed first|first listed|first in the list|number one|no\.\s?1|\d+(?:st|nd|rd|th)\b",
    re.I,
)
_TAX_TOPIC = re.compile(r"研究開発税制|試験研究費|税額控除|控除率|R&D tax|tax credit|credit rate", re.I)
_CALC = re.compile(r"計算|いくら|税額控除額|how much|calculate|compute|what credit", re.I)
_YEN_AMOUNT = re.compile(
    r"(?:[¥￥]\s*)?(?P<num>\d{1,3}(?:[,，]\d{3})+|\d+(?:\.\d+)?)\s*(?P<unit>兆|億|万|千)?\s*(?P<yen>円|yen)?",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")

_JA_STOP = {
    "資料",
    "スライド",
    "ページ",
    "何",
    "何社",
    "何位",
    "何人",
    "何件",
    "何年",
    "いくら",
    "いくつ",
    "どこ",
    "いつ",
    "年",
    "企業",
    "掲載",
    "記載",
    "抜粋",
    "一覧",
    "場合",
    "説明",
    "要約",
    "整理",
    "比較",
    "変化",
    "日本",
    "国内",
    "教",
    "述",
    "示",
    "挙",
    "上",
    "中",
    "内",
    "等",
    "者",
    "際",
    "的",
    "方",
    "点",
    "数",
    "額",
    "位",
    "社",
    "人",
    "各",
    "全",
    "下",
    "後",
    "前",
    "次",
    "本",
    "当",
    "旨",
    "主",
    "何番目",
    "番目",
    "すべて",
    "全て",
    "計算問題",
}
# Question words and function words, in questions and as capitalised sentence starters.
_COMMON_EN_WORDS = set(
    """
    a according an and are as at between both by compare did do does each for from give how in is it its
    list of on please show summarise summarize tell that the there these this to was were what when
    where which who with
    """.split()
)
_EN_STOP = _COMMON_EN_WORDS | set(
    """
    about be deck has have into main many me much or presented say says slide slides than their them
    they those
    """.split()
)
# Capitalised English words that are not names (sentence starters, acronyms of the domain).
_EN_NOT_NAMES = _COMMON_EN_WORDS | set(
    """
    after ai all also among applying april assume assuming august based before calculate ceo ceos co
    compute corp corporate december describe dr during english eu explain february find fiscal friday
    gdp government i if ignore inc ipo ipos january japan japanese july june ltd march may ministry
    monday mr ms name november october oi ok over per phd q&a q1 q2 q3 q4 r&d rank ranking saturday
    september since sme smes sunday suppose then thursday top tuesday under university us$ usd using vc
    vcs wednesday whose why yen
    """.split()
)


@dataclass
class QuestionIntent:
    """What the offline engine needs to know about a question before calling tools."""

    question: str
    lang: Lang
    kind: Kind
    terms: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    search_query: str = ""


def _japanese_terms(text: str) -> list[str]:
    # Question words (何社, 何位, いくつ) carry no topic; kana runs are particles and endings.
    text = re.sub(r"何[社人件位年倍回校都市%％]*|何カ国|何ヵ国|何か国", " ", text)
    pieces = re.split(r"[\u3040-\u309f、。，．？！?!「」『』（）()【】\s:：;；/／“”\"'、]+", text)
    terms: list[str] = []
    for piece in pieces:
        piece = piece.strip("・-‐").strip()
        if not piece or len(piece) < 2 and not re.fullmatch(r"[A-Za-z0-9]+", piece or "x"):
            continue
        if piece in _JA_STOP or re.fullmatch(r"[\d,.%％]+", piece):
            continue
        if piece.isascii() and (piece.lower() in _EN_STOP or piece.lower() not in _deck_latin_words()):
            continue
        if piece not in terms:
            terms.append(piece)
    return terms


def _english_names(rest: str) -> list[str]:
    names: list[str] = []
    for sentence in re.split(r"(?<=[.?!])\s+", rest):
        words = re.findall(r"[A-Za-z][A-Za-z0-9&'\-]*", sentence)
        for position, word in enumerate(words):
            bare = word.strip("'").removesuffix("'s")
            if bare.lower() in _EN_NOT_NAMES or len(bare) < 2:
                continue
            capitalised = bare[0].isupper() and (position > 0 or bare.isupper())
            if capitalised and bare not in names:
                names.append(bare)
    return names


def classify(question: str) -> Kind:
    """Decide what kind of answer the question wants."""
    text = unicodedata.normalize("NFKC", question)
    if _TAX_TOPIC.search(text) and (
        len(find_yen_amounts(text)) >= 2 or _CALC.search(text) and find_yen_amounts(text)
    ):
        return "tax_calc"
    if _SECTIONS.search(text):
        return "sections"
    if _SUMMARY.search(text):
        return "summary"
    if _RANKING.search(text):
        return "ranking"
    return "lookup"


def analyze(question: str) -> QuestionIntent:
    """Analyse a question: language, kind, Japanese search terms, named entities, years, quoted titles.

    Args:
        question: The user's question in Japanese or English.

    Returns:
        A QuestionIntent; English questions get Japanese terms through the deck lexicon.
    """
    text = unicodedata.normalize("NFKC", question).strip()
    lang = detect_language(text)
    quoted = [q.strip('“”"') for q in re.findall(r"[「『]([^」』]{2,80})[」』]", text)]
    quoted = quoted or [q.strip() for q in re.findall(r"[“\"]([^”\"]{2,80})[”\"]", text)]
    # A Japanese title in brackets inside an English question names the section too.
    quoted += [
        q for q in re.findall(r"[（(]([^）)]{4,60})[）)]", text) if _KANA.search(q) or _JA_CHAR.search(q)
    ]
    years = list(dict.fromkeys(_YEAR.findall(text)))
    if lang == "ja":
        entities = japanese_entities_in(text)
        terms = _japanese_terms(text)
        latin_rest = " ".join(re.findall(r"[A-Za-z][A-Za-z0-9&'\- ]*", text))
        english_entities, english_terms, unmatched = english_to_japanese(latin_rest)
        unknown = _unknown_names(_english_names(" " + unmatched)) if unmatched.strip() else []
        # Katakana words are mostly names and loanwords; one the deck never uses cannot be answered from it.
        deck = _deck_folded()
        unknown += [
            term
            for term in terms
            if _KATAKANA_WORD.fullmatch(term)
            and len(term) >= 3
            and fold(term) not in deck
            and term not in entities
        ]
        entities += [entity for entity in english_entities if entity not in entities]
        terms += [term for term in english_terms if term not in terms]
    else:
        entities, terms, rest = english_to_japanese(text)
        unknown = _unknown_names(_english_names(rest))
        vocabulary = _deck_latin_words()
        # English words help only if the deck itself uses them (it is written in Japanese).
        latin_terms = [
            word
            for word in re.findall(r"[A-Za-z][A-Za-z0-9&\-]+", rest)
            if word.lower() not in _EN_STOP and len(word) > 2 and word.lower() in vocabulary
        ]
        terms += [word for word in latin_terms if word not in terms]
    search_query = question if lang == "ja" else f"{question} {' '.join(entities + terms)}"
    return QuestionIntent(
        question=question,
        lang=lang,
        kind=classify(text),
        terms=terms,
        entities=entities,
        unknown_names=unknown,
        years=years,
        quoted=quoted,
        search_query=search_query,
    )


def _unknown_names(names: list[str]) -> list[str]:
    """Capitalised names the deck never uses and that are not ordinary title words: they must be evidenced."""
    vocabulary = _deck_latin_words()
    return [
        name
        for name in names
        if name.lower() not in vocabulary
        and name.lower().rstrip("s") not in _COMMON_TITLE_WORDS
        and name.lower() not in _COMMON_TITLE_WORDS
    ]


# Words often capitalised in English questions about policy documents; not names of anything.
_COMMON_TITLE_WORDS = set(
    """startup visa program programme fund tax credit ranking rankings index report innovation box university
    universities ministry government initiative strategy plan act law council committee subcommittee industrial
    structure science technology research development global national international top talent company companies
    corporation group center centre institute laboratory lab hub city cities ecosystem green digital quantum
    semiconductor bio space energy venture capital market stock exchange prime minister cabinet office agency bank
    fiscal year edition survey tracker critical open promotion deck slide section chapter interim summary reference
    materials moonshot goal unicorn deep tech asia asian europe european oceania africa america americas east west
    north south middle latin nikkei r&d sme ipo ai economic security policy policies budget budgets analysis
    public private sector industry industries academia academic doctoral phd talent talents acquisition acquisitions
    m&a patent patents license licence royalty scheme system regime measure measures incentive incentives""".split()
)


_KATAKANA_WORD = re.compile(r"[\u30a0-\u30ff・]+")


@lru_cache(maxsize=1)
def _deck_folded() -> str:
    from retrieval.corpus import load_deck_text

    return fold(load_deck_text())


@lru_cache(maxsize=1)
def _deck_latin_words() -> frozenset[str]:
    from retrieval.corpus import load_deck_text

    text = unicodedata.normalize("NFKC", load_deck_text()).lower()
    return frozenset(re.findall(r"[a-z][a-z0-9&\-]+", text))


def find_yen_amounts(text: str) -> list[tuple[int, int]]:
    """Find yen amounts in a question: `(position, yen)` for figures with commas, ¥/円/yen, or 億/万 units."""
    text = unicodedata.normalize("NFKC", text)
    amounts: list[tuple[int, int]] = []
    for match in _YEN_AMOUNT.finditer(text):
        raw = match.group("num").replace(",", "").replace("，", "")
        unit = match.group("unit")
        has_comma = "," in match.group("num")
        is_yen = bool(match.group("yen")) or match.group(0).lstrip().startswith(("¥", "￥"))
        if not (has_comma or is_yen or unit):
            continue
        end = match.end()
        if end < len(text) and text[end : end + 1] in "%％年":
            continue
        value = float(raw) * {"兆": 1e12, "億": 1e8, "万": 1e4, "千": 1e3}.get(unit or "", 1)
        if value >= 1000:
            amounts.append((match.start(), int(round(value))))
    return amounts


_PRIOR_CUE = re.compile(
    r"前\s?[3３三]\s?(?:事業)?年|過去\s?[3３三]\s?年|前期|previous|prior|preceding|past three|last three",
    re.I,
)
_CURRENT_CUE = re.compile(
    r"当期|今期|当年度|当事業年度|this year|current year|this fiscal year|in the current", re.I
)
_TAX_CUE = re.compile(r"法人税|corporate tax|tax before", re.I)
_SALES_CUE = re.compile(r"売上|sales|revenue", re.I)
_NOT_SME = re.compile(
    r"(?:中小企業[^。、]{0,12}(?:対象外|ではない|でない|以外))|(?:not (?:an? )?SME)|(?:non-SME)", re.I
)
_SME = re.compile(r"中小企業者?(?:である|です|に該当)|\bSME\b|中小企業技術基盤強化税制", re.I)
_NO_CAP = re.compile(
    r"控除上限は考慮しな|上限を考慮しな|ignore the cap|no cap|without the cap|cap does not apply", re.I
)


@dataclass
class RdCreditQuestion:
    """Amounts pulled out of a tax-calculation question (yen)."""

    rd: int | None = None
    prior_rd: list[int] = field(default_factory=list)
    tax: int | None = None
    sales: list[int] = field(default_factory=list)
    company: Literal["large", "sme"] = "large"
    apply_cap: bool = True
    missing: list[str] = field(default_factory=list)


def parse_rdcredit_question(question: str) -> RdCreditQuestion:
    """Assign the yen amounts of a question to R&D this year, the prior years, corporate tax and sales.

    Each amount belongs to the nearest cue before it (前3事業年度 / previous years, 当期 / this year,
    法人税 / corporate tax, 売上 / sales).
    """
    text = unicodedata.normalize("NFKC", question)
    cues: list[tuple[int, str]] = []
    for name, pattern in (
        ("prior", _PRIOR_CUE),
        ("current", _CURRENT_CUE),
        ("tax", _TAX_CUE),
        ("sales", _SALES_CUE),
    ):
        cues += [(match.start(), name) for match in pattern.finditer(text)]
    cues.sort()
    parsed = RdCreditQuestion()
    for position, amount in find_yen_amounts(text):
        preceding = [name for start, name in cues if start < position]
        slot = preceding[-1] if preceding else "current"
        if slot == "prior":
            parsed.prior_rd.append(amount)
        elif slot == "current" and parsed.rd is None:
            parsed.rd = amount
        elif slot == "tax" and parsed.tax is None:
            parsed.tax = amount
        elif slot == "sales":
            parsed.sales.append(amount)
    if parsed.rd is None and len(parsed.prior_rd) == 4:
        parsed.rd = parsed.prior_rd.pop()
    if _SME.search(text) and not _NOT_SME.search(text):
        parsed.company = "sme"
    parsed.apply_cap = parsed.tax is not None and not _NO_CAP.search(text)
    if parsed.rd is None:
        parsed.missing.append("rd")
    if not parsed.prior_rd:
        parsed.missing.append("prior_rd")
    return parsed
