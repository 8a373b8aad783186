"""Read a question without a model: its language, what it asks for, its key terms, entities and years."""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from corpus.bundle import DocumentBundle
from retrieval.glossary import NO_EXTRA, Lexicon, english_to_japanese, japanese_entities_in
from tools.registry import question_tools
from tools.text import KANA, has_japanese, japanese_count, latin_count

Kind = Literal["tax_calc", "ranking", "summary", "sections", "lookup"]
Lang = Literal["ja", "en"]


# A quoted span: 「…」, 『…』, “…” or "…" (short enough to be a title or a phrase, not the whole question).
_QUOTED = re.compile(r'「[^」]{1,120}」|『[^』]{1,120}』|“[^”]{1,120}”|"[^"]{1,120}"')
MIN_UNQUOTED_LETTERS = 8  # below this the quote is the question ("「DX」って？")


def without_quotes(text: str) -> str:
    """The text with its quoted spans blanked: what is quoted is the page's wording, not the asker's."""
    return _QUOTED.sub(" ", text)


def detect_language(text: str) -> Lang:
    """Return 'ja' when the text is written in Japanese, else 'en'.

    Kana decides for Japanese unless the text is mostly English (a quoted Japanese title in an English
    question); without kana, kanji must outnumber Latin letters. What is quoted is the page's wording, not
    the asker's: an English sentence around a quoted Japanese title is English.
    """
    unquoted = without_quotes(text)
    if latin_count(unquoted) + japanese_count(unquoted) >= MIN_UNQUOTED_LETTERS:
        text = unquoted
    japanese, latin = japanese_count(text), latin_count(text)
    if KANA.search(text):
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
# A decade ("the 2000s", 「2010年代」) is a span, not the year it starts with.
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d|'?s\b|年代)")
# Japanese era years (令和5年度, 平成30年, R2年度): the calendar's, not any document's. 元年 is year 1.
_ERA_YEAR = re.compile(r"(令和|平成|(?<![A-Za-z])R|(?<![A-Za-z])H)\s*(\d{1,2}|元)\s*年")
_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}


def years_in(text: str) -> list[str]:
    """The years a text names, in order: Western (2023) and Japanese era years as Western (令和5年度 -> 2023)."""
    return list(dict.fromkeys(year_spellings(text)))


def year_spellings(text: str) -> dict[str, str]:
    """Each year a text names (Western) with the text's own spelling of it (2023 -> 令和5年), in order: a
    message repeats the question's spelling, so it states no number the question did not."""
    text = unicodedata.normalize("NFKC", text)
    found = [(m.start(), m.group(1), m.group(1)) for m in _YEAR.finditer(text)]
    for match in _ERA_YEAR.finditer(text):
        number = 1 if match.group(2) == "元" else int(match.group(2))
        found.append((match.start(), str(_ERA_START[match.group(1)] + number), match.group(0)))
    spellings: dict[str, str] = {}
    for _, year, spelling in sorted(found):
        spellings.setdefault(year, spelling)
    return spellings


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
    # words about a document's own parts (its chart, its figure): they name nothing the document must state
    "グラフ",
    "チャート",
    "図表",
    "データ",
    # loanwords asking an order of figures (the peak year, the top one): operations, not things named
    "ピーク",
    "トップ",
    "ベスト",
    "ワースト",
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


def is_function_word(word: str) -> bool:
    """Whether an English word is a question or function word ("what", "the", "about"), not content."""
    return word.lower() in _EN_STOP


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


_PROSE_WORDS = 5  # lower-case words that make a line English prose rather than a name, label or title
# a line naming a source (出典, a URL, a quoted paper title) is no prose the document writes itself
_CITING = re.compile(r"出典|出所|引用|参照|http|et al|「|『")


@dataclass(frozen=True)
class DocumentVocabulary:
    """What a question is checked against: the document's folded text, its Latin-script words and its own
    lexicon. Built once per document (`DeckKnowledge.vocabulary`); analyze() without one checks nothing."""

    folded: str = ""
    latin_words: frozenset[str] = frozenset()
    lexicon: Lexicon = NO_EXTRA
    # words of the lines the document writes in English prose (an English page, not names or a source)
    prose_words: frozenset[str] = frozenset()
    # words of the document's reviewed English renderings ("Honda" for 本田)
    rendered_words: frozenset[str] = frozenset()

    def english_name_of(self, katakana: str) -> str | None:
        """The English word of the renderings a katakana name reads as (ホンダ -> honda), if any: the name's
        romanisation, or a word of the same spelling give or take a letter."""
        words = self.rendered_words | self.latin_words
        reading = romanized(katakana)
        if len(reading) < 3:
            return None
        if reading in words:
            return reading
        close = difflib.get_close_matches(
            reading, [w for w in words if w[:1] == reading[:1]], n=1, cutoff=0.85
        )
        return close[0] if close else None

    @classmethod
    def of(cls, text: str, lexicon: Lexicon = NO_EXTRA) -> "DocumentVocabulary":
        """The vocabulary of a document's text."""
        lowered = unicodedata.normalize("NFKC", text).lower()
        prose = [
            line.lower()
            for line in unicodedata.normalize("NFKC", text).splitlines()
            if not _CITING.search(line) and len(re.findall(r"(?<![A-Za-z])[a-z]{2,}\b", line)) >= _PROSE_WORDS
        ]
        return cls(
            fold(text),
            frozenset(re.findall(r"[a-z][a-z0-9&\-]+", lowered)),
            lexicon,
            frozenset(re.findall(r"[a-z][a-z0-9&\-]+", "\n".join(prose))),
        )

    @classmethod
    def of_bundle(cls, bundle: DocumentBundle) -> "DocumentVocabulary":
        """The vocabulary of a bundle: its text and its own lexicon."""
        lexicon = Lexicon(
            entities=tuple((entry.ja, tuple(entry.en)) for entry in bundle.lexicon.entities),
            terms=tuple((entry.ja, tuple(entry.en)) for entry in bundle.lexicon.terms),
        )
        rendered = " ".join(english for _, english in bundle.english.values()).lower()
        return replace(
            cls.of(bundle.text, lexicon), rendered_words=frozenset(re.findall(r"[a-z][a-z0-9&\-]+", rendered))
        )


@lru_cache(maxsize=1)
def _kakasi():  # noqa: ANN202 - pykakasi has no type hints; its dictionary loads once (~0.4 s)
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=4096)
def romanized(kana: str) -> str:
    """Hepburn romanisation of Japanese text (ホンダ -> honda, 中間 -> chuukan), lower case."""
    return "".join(part["hepburn"] for part in _kakasi().convert(kana)).lower()


SHORT_FORMS_PATH = Path(__file__).parent / "data" / "short_forms.yaml"


@lru_cache(maxsize=1)
def _short_forms() -> dict[str, str]:
    return yaml.safe_load(SHORT_FORMS_PATH.read_text(encoding="utf-8"))


def short_forms_of(full: str) -> list[str]:
    """The chat short forms of a full name (東京大学 → 東大), from the same general list."""
    return [short for short, name in _short_forms().items() if name == full]


def expand_short_forms(text: str, vocabulary: DocumentVocabulary | None) -> str:
    """The question with each short form (経産省, 九大) written out, where the document prints the full name
    and not the short form."""
    if vocabulary is None:
        return text
    for short, full in sorted(_short_forms().items(), key=lambda pair: -len(pair[0])):
        if (
            short != full
            and short in text
            and fold(full) in vocabulary.folded
            and fold(short) not in vocabulary.folded
        ):
            text = re.sub(rf"{re.escape(short)}(?!{re.escape(full[len(short) :])})", full, text)
    return text


def _japanese_terms(text: str, vocabulary: DocumentVocabulary | None) -> list[str]:
    # Question words (何社, 何位, いくつ) and superlatives (一番大きい, 最も多い) carry no topic; kana runs are
    # particles and endings.
    text = re.sub(r"何[社人件位年倍回校都市%％]*|何カ国|何ヵ国|何か国", " ", text)
    text = re.sub(
        r"(?:一番|いちばん|最も|もっとも)[\u30a0-\u30ff\u4e00-\u9fff]{0,2}(?=[\u3040-\u309f])", " ", text
    )
    # A compound's last kanji that takes okurigana is a verb or adjective stem (研究拠点持ってる, 企業向け);
    # する-verbs (設立した) keep theirs.
    text = re.sub(r"(?<=[\u4e00-\u9fff]{2})[\u4e00-\u9fff](?=[っるりれらえうくけちつめみむまん])", " ", text)
    pieces = re.split(r"[\u3040-\u309f、。，．？！?!「」『』（）()【】\s:：;；/／“”\"'、]+", text)
    terms: list[str] = []
    for piece in pieces:
        piece = piece.strip("・-‐").strip()
        if not piece or len(piece) < 2 and not re.fullmatch(r"[A-Za-z0-9]+", piece or "x"):
            continue
        if piece in _JA_STOP or re.fullmatch(r"[\d,.%％]+", piece):
            continue
        unknown = vocabulary is not None and piece.lower() not in vocabulary.latin_words
        if piece.isascii() and (piece.lower() in _EN_STOP or unknown):
            continue
        if piece not in terms:
            terms.append(piece)
    return terms


# FY2023, CY2024, Q4, H1: periods (their year is read as a year), not names that must appear in the deck.
_PERIOD_WORD = re.compile(r"(?:FY|CY|Q[1-4]|H[12])(?:\d{2}|\d{4})?", re.I)


def _english_names(rest: str) -> list[str]:
    names: list[str] = []
    for sentence in re.split(r"(?<=[.?!])\s+", rest):
        words = re.findall(r"[A-Za-z][A-Za-z0-9&'\-]*", sentence)
        for position, word in enumerate(words):
            # a year glued to a name ("QS2025", "GII2024") is the name's edition, not part of the name
            bare = re.sub(r"(?<=[A-Za-z])(?:19|20)\d{2}$", "", word.strip("'").removesuffix("'s"))
            if bare.lower() in _EN_NOT_NAMES or len(bare) < 2 or _PERIOD_WORD.fullmatch(bare):
                continue
            capitalised = bare[0].isupper() and (position > 0 or bare.isupper())
            if capitalised and bare not in names:
                names.append(bare)
    return names


def classify(question: str) -> Kind:
    """Decide what kind of answer the question wants."""
    text = unicodedata.normalize("NFKC", question)
    # The registered calculators' readers decide (one reading of amounts by role, shared with the planner),
    # so a tool added by one spec is recognised here too.
    if any(spec.from_question(text, ()).status != "not_applicable" for spec in question_tools()):
        return "tax_calc"
    if _SECTIONS.search(text):
        return "sections"
    if _SUMMARY.search(text):
        return "summary"
    if _RANKING.search(text):
        return "ranking"
    return "lookup"


Reading = tuple[list[str], list[str], list[str]]  # entities, terms, unknown names


def _read_japanese(text: str, vocabulary: DocumentVocabulary | None) -> Reading:
    """(entities, terms, unknown names) of a Japanese question."""
    lexicon = vocabulary.lexicon if vocabulary is not None else NO_EXTRA
    entities = japanese_entities_in(text, lexicon)
    terms = _japanese_terms(text, vocabulary)
    latin_rest = " ".join(re.findall(r"[A-Za-z][A-Za-z0-9&'\- ]*", text))
    english_entities, english_terms, unmatched = english_to_japanese(latin_rest, lexicon)
    unknown = _unknown_names(_english_names(" " + unmatched), vocabulary) if unmatched.strip() else []
    if vocabulary is not None:
        # Katakana words are mostly names and loanwords; one the document never uses cannot be answered,
        # unless its English reading is the document's (ホンダ for 本田, rendered "Honda").
        for term in list(terms):
            if not _KATAKANA_WORD.fullmatch(term) or len(term) < 3 or fold(term) in vocabulary.folded:
                continue
            if term in entities:
                continue
            english = vocabulary.english_name_of(term)
            if english is not None and english not in terms:
                terms.append(english)
            elif english is None and not vocabulary.prose_words:
                # (a document with English pages may write the loanword in English: パイロット as "pilot")
                unknown.append(term)
    entities += [entity for entity in english_entities if entity not in entities]
    terms += [term for term in english_terms if term not in terms]
    return entities, terms, unknown


def _read_english(text: str, vocabulary: DocumentVocabulary | None) -> Reading:
    """(entities, terms, unknown names) of an English question."""
    lexicon = vocabulary.lexicon if vocabulary is not None else NO_EXTRA
    entities, terms, rest = english_to_japanese(text, lexicon)
    unknown = _unknown_names(_english_names(rest), vocabulary)
    words = vocabulary.latin_words if vocabulary is not None else frozenset()
    prose = vocabulary.prose_words if vocabulary is not None else frozenset()
    # English words help only if the document itself uses them (the deck is written in Japanese). A word
    # the lexicon translated counts too where the document writes English prose: it prints "budget", not 予算.
    untranslated = set(re.findall(r"[A-Za-z][A-Za-z0-9&\-]+", rest))
    latin_terms = [
        word
        for word in re.findall(r"[A-Za-z][A-Za-z0-9&\-]+", text)
        if word.lower() not in _EN_STOP
        and len(word) > 2
        and (word in untranslated and word.lower() in words or word.lower() in prose)
    ]
    terms += [word for word in latin_terms if word not in terms]
    return entities, terms, unknown


def analyze(question: str, vocabulary: DocumentVocabulary | None = None) -> QuestionIntent:
    """Analyse a question: language, kind, Japanese search terms, named entities, years, quoted titles.

    Args:
        question: The user's question in Japanese or English.
        vocabulary: The document's words. Without it nothing is checked against a document: Latin words are
            neither dropped as unknown to it nor added as its terms, and no name counts as unknown.
            Callers that read only `lang`, `kind` or `entities` may leave it out.

    Returns:
        A QuestionIntent; English questions get Japanese terms through the lexicon.
    """
    text = unicodedata.normalize("NFKC", question).strip()
    lang = detect_language(text)
    quoted = [q.strip('“”"') for q in re.findall(r"[「『]([^」』]{2,80})[」』]", text)]
    quoted = quoted or [q.strip() for q in re.findall(r"[“\"]([^”\"]{2,80})[”\"]", text)]
    # single quotes too, but not an apostrophe ("Microsoft's", "countries' sites")
    quoted = quoted or [
        q.strip() for q in re.findall(r"(?<![A-Za-z])['‘]([^'‘’]{2,80})['’](?![A-Za-z])", text)
    ]
    # A Japanese title in brackets inside an English question names the section too.
    quoted += [q for q in re.findall(r"[（(]([^）)]{4,60})[）)]", text) if has_japanese(q)]
    years = years_in(text)
    read = _read_japanese if lang == "ja" else _read_english
    expanded = expand_short_forms(text, vocabulary) if lang == "ja" else text
    entities, terms, unknown = read(expanded, vocabulary)
    search_query = (
        (question if expanded == text else expanded)
        if lang == "ja"
        else f"{question} {' '.join(entities + terms)}"
    )
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


def _unknown_names(names: list[str], vocabulary: DocumentVocabulary | None) -> list[str]:
    """Capitalised names the document never uses and that are no ordinary title words: they must be evidenced.
    Without a vocabulary there is no document to miss them from."""
    if vocabulary is None:
        return []
    return [
        name
        for name in names
        if name.lower() not in vocabulary.latin_words
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
