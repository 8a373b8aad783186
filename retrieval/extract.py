"""Extractive helpers: split slide text into quotable units and score them against a question's terms."""

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

from corpus.units import Unit, split_units
from retrieval.designators import asked_designators, designator_heading, names_asked_designator
from retrieval.english_words import shared_stems, stems_said
from retrieval.figures import asked_metric, date_form, figure_form, metrics
from retrieval.glossary import compound_forms
from retrieval.intent import QuestionIntent, fold, years_in


def term_weight(term: str) -> float:
    """Weight a term by its length: long compounds say more than two-character words.

    Lower-case English words (leftovers of an English question) are weak hints, whatever their length.
    """
    if term.isascii() and term.islower():
        return 2.0
    return float(min(len(term), 8))


@lru_cache(maxsize=4096)
def _term_bigrams(folded_term: str) -> frozenset[str]:
    return frozenset(folded_term[i : i + 2] for i in range(len(folded_term) - 1))


def term_match(term: str, folded_text: str) -> float:
    """Return 1.0 when the term occurs, else the share of its character bigrams that occur (long terms only)."""
    folded_term = fold(term)
    if not folded_term:
        return 0.0
    if folded_term in folded_text:
        return 1.0
    if len(folded_term) == 3:
        # 予算額 vs 予算: a three-character word whose two-character stem occurs counts half.
        return 0.5 if folded_term[:2] in folded_text else 0.0
    if len(folded_term) < 4:
        return 0.0
    grams = _term_bigrams(folded_term)
    hits = sum(1 for gram in grams if gram in folded_text)
    share = hits / len(grams)
    if share < 0.5 and len(folded_term) == 4 and _is_kanji(folded_term):
        # 集計対象 vs 集計: a four-kanji compound is mostly two words; the one that occurs counts half
        return 0.5 if folded_term[:2] in folded_text or folded_term[2:] in folded_text else 0.0
    return share * 0.8 if share >= 0.5 else 0.0


def _is_kanji(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


def coverage(text: str, terms: list[str]) -> float:
    """Share (0..1) of the question's term weight that a text covers."""
    if not terms:
        return 0.0
    folded_text = fold(text)
    total = sum(term_weight(term) for term in terms)
    return sum(term_weight(term) * term_match(term, folded_text) for term in terms) / total


def entity_in(entity: str, folded_text: str) -> bool:
    """Whether a folded text names the entity, also by a compound (日米 names 米国)."""
    return any(fold(form) in folded_text for form in (entity, *compound_forms(entity)))


ENGLISH_STEM_WEIGHT = 2.0  # as much as a lower-case English term (term_weight)
_NUMBER = re.compile(r"\d")
_SOURCE = re.compile(r"[（(](?:出典|出所|資料)[）)]|^出典")


# A source note anywhere in a unit, also where the PDF lost its opening bracket (「…③出典）欧州委員会：…」).
_SOURCE_NOTE = re.compile(r"(?:出典|出所)\s*[）)：:]|[（(]資料[）)]|^\s*出典")


def is_source(unit: str) -> bool:
    """Whether a unit is (or carries) a source note: 「（出典）…」."""
    return _SOURCE_NOTE.search(unit) is not None


_SOURCE_START = re.compile(rf"[（(](?:出典|出所)[）)]|{_SOURCE_NOTE.pattern}|\(Source\b|\bSource:", re.I)


def before_source(text: str) -> str:
    """The text before its source note, in either language: a figure in the note (a report's number, its
    year) is the source's, not the statement's."""
    start = _SOURCE_START.search(text)
    return text[: start.start()] if start else text


_WANTS_NUMBER = re.compile(
    r"いくら|何[社人位件%％年倍円]|何パーセント|どれくらい|どれだけ|どのくらい|どの程度|割合|比率|率|額|数|"
    r"how much|how many|rate|share|amount|number|percent|%|average|median|when|いつ|年|how big|how large",
    re.I,
)


METRIC_WEIGHT = 4.0  # as much as a named entity: the measure is what the question is about


def _prints_asked_metric(question: str, folded_unit: str) -> bool:
    metric = asked_metric(question)
    return metric is not None and any(fold(word) in folded_unit for word in metrics()[metric]["printed"])


@lru_cache(maxsize=1024)
def _unscored_words(question: str, terms: tuple[str, ...]) -> str:
    """The question without the Latin-script terms already scored as terms (so no word counts twice)."""
    for term in terms:
        if term.isascii():
            question = re.sub(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", " ", question, flags=re.I)
    return question


def score_unit(unit: str, intent: QuestionIntent) -> float:
    """Score a unit for quoting: term coverage, entities, and digits when the question asks for a figure."""
    folded = fold(unit)
    terms = intent.terms + intent.entities
    score = sum(term_weight(term) * term_match(term, folded) for term in terms)
    score += sum(4.0 for entity in intent.entities if entity_in(entity, folded))
    if intent.lang == "en":
        # the question's other words in the unit's English rendering (scored with it): "concluded" finds 締結
        score += ENGLISH_STEM_WEIGHT * shared_stems(_unscored_words(intent.question, tuple(terms)), unit)
    if _WANTS_NUMBER.search(intent.question) and _NUMBER.search(unit):
        score += 2.0
        form = figure_form(intent.question)
        if form is not None and form.search(unit):
            score += 3.0  # it prints the kind of figure asked: 「約850件」 for 件数, 「32位」 for 順位
    # it prints the measure asked, in any of its words (valuation: 企業価値, 時価総額)
    if _prints_asked_metric(intent.question, folded):
        score += METRIC_WEIGHT
    if len(unit) < 4:
        score *= 0.3
    if _SOURCE.search(unit) and not re.search(r"出典|出所|source", intent.question, re.I):
        score *= 0.5
    return score


def best_units(
    text: str,
    intent: QuestionIntent,
    *,
    limit: int = 4,
    floor: float = 0.45,
    english: Mapping[str, str] | None = None,
    lead: QuestionIntent | None = None,
) -> list[Unit]:
    """Pick the units of a slide that best answer the question, in deck order.

    Args:
        text: The slide (or chunk) text.
        intent: The analysed question.
        limit: Most units to return.
        floor: Keep units scoring at least this share of the best unit's score.
        english: The slide's English rendering by unit text; an English question's words are matched there too.
        lead: A follow-up's own words, when `intent` joins them to the earlier question: the units they pick
            come first ("what valuation did it get?" quotes the valuation, not the earlier question's lines).
    """
    units = split_units(text)

    def scored_for(asked: QuestionIntent) -> list[Unit]:
        if english and (asked.lang == "en" or any(term.isascii() for term in asked.terms)):
            # score each unit on its Japanese and its English wording; quote the Japanese unit as it stands
            return [Unit(f"{unit.text} {english.get(unit.text, '')}", unit.line_index) for unit in units]
        return units

    chosen = _best(scored_for(intent), units, intent, limit, floor)
    if lead is not None:
        chosen = sorted(
            dict.fromkeys(_best(scored_for(lead), units, lead, max(1, limit // 2), floor) + chosen)
        )
    return [units[index] for index in chosen]


# A unit far below the best is still quoted when it alone covers a term of the question this much.
MIN_FRESH_GAIN = 1.5


def _best(
    units: list[Unit], shape: list[Unit], intent: QuestionIntent, limit: int, floor: float
) -> list[int]:
    """Indexes of the units that cover the question's terms best, in deck order (see best_units).

    `units` are scored; `shape` are the same units as printed, whose marks and lengths decide notes and lists.
    """
    terms = intent.terms + [entity for entity in intent.entities if entity not in intent.terms] + intent.years
    weights = [
        max(term_weight(term), 5.0) if term in intent.entities else term_weight(term) for term in terms
    ]
    folded_units = [fold(unit.text) for unit in units]
    entities = set(intent.entities)
    matches = [
        [1.0 if term in entities and entity_in(term, folded) else term_match(term, folded) for term in terms]
        for folded in folded_units
    ]
    if intent.lang == "en":
        # an English question's words the lexicon left untranslated are parts to cover too ("…and what
        # project is shown?"): the units are scored with their English rendering
        words = _unscored_words(intent.question, tuple(intent.terms + intent.entities))
        said = [stems_said(words, unit.text) for unit in units]
        if said and said[0]:
            weights += [ENGLISH_STEM_WEIGHT] * len(said[0])
            matches = [
                row + [1.0 if used else 0.0 for _, used in stems]
                for row, stems in zip(matches, said, strict=True)
            ]
    base = [score_unit(unit.text, intent) for unit in units]
    if not units or max(base, default=0) <= 0:
        return []
    best = max(base)
    covered = [0.0] * len(weights)
    chosen: list[int] = []
    # Greedy cover: a unit that adds terms not yet quoted beats one that repeats them.
    while len(chosen) < limit:
        gains = []
        for index in range(len(units)):
            if index in chosen or base[index] <= 0:
                gains.append(-1.0)
                continue
            fresh = sum(weights[t] * max(0.0, matches[index][t] - covered[t]) for t in range(len(weights)))
            gains.append(fresh + 0.25 * base[index])
        pick = max(range(len(units)), key=lambda i: gains[i])
        fresh_gain = gains[pick] - 0.25 * base[pick]
        if (
            gains[pick] < 0
            or (fresh_gain <= 0.5 and base[pick] < best * floor)
            or (base[pick] < best * 0.15 and fresh_gain < MIN_FRESH_GAIN)
        ):
            break
        chosen.append(pick)
        covered = [max(covered[t], matches[pick][t]) for t in range(len(weights))]
    chosen += _named_units(shape, folded_units, chosen, base, intent)
    chosen += _figure_units(shape, chosen, base, intent)
    wants_number = bool(_WANTS_NUMBER.search(intent.question))
    if wants_number:
        chosen += _figures_after_labels(shape, chosen)
    chosen += _year_units(shape, chosen, base, intent)
    # a bracketed aside continuing a chosen line can carry the note mark (「（設立10年未満…※）」)
    chosen += _continuations(shape, chosen)
    chosen += _referenced_notes(shape, chosen, base, intent.question)
    listed = _listed_under(shape, chosen)
    chosen += listed
    if wants_number:  # a listed label's figures too (「●B業務が」 「約400件」)
        chosen += _figures_after_labels(shape, listed)
    chosen += _continuations(shape, chosen)
    return sorted(dict.fromkeys(chosen))


MAX_FIGURE_UNITS = 4


def _named_units(
    shape: list[Unit], folded_units: list[str], chosen: list[int], scores: list[float], intent: QuestionIntent
) -> list[int]:
    """For each name the question asks about that no chosen unit prints, the best unit printing it: the answer
    must show where the slide names it (a study's author is named only in its source line; the 6th plan's
    period only in its heading). Names are the question's entities and unknown names, and its designators."""
    names: list[Callable[[str], bool]] = [
        lambda folded, name=name: entity_in(name, folded) or fold(name) in folded
        for name in [*intent.entities, *intent.unknown_names]
    ]
    extra: list[int] = []
    if asked_designators(intent.question):
        # the designator's own heading (「第3期計画（2024年～2030年）」) says what it is and when
        heading = designator_heading(intent.question, [unit.text for unit in shape])
        extra += [heading] if heading is not None and heading not in chosen else []
        names.append(lambda folded: names_asked_designator(intent.question, folded))
    for names_it in names:
        if any(names_it(folded_units[i]) for i in chosen + extra):
            continue
        naming = [i for i, folded in enumerate(folded_units) if scores[i] > 0 and names_it(folded)]
        if naming:
            extra.append(max(naming, key=lambda i: scores[i]))
    return extra


def _figures_after_labels(units: list[Unit], chosen: list[int]) -> list[int]:
    """A label line without figures is usually followed by the line that holds them (flattened charts)."""
    extra: list[int] = []
    for index in chosen:
        if _NUMBER.search(units[index].text):
            continue
        for neighbour in [*range(index + 1, min(index + 3, len(units))), index - 1]:
            fresh = neighbour not in chosen and neighbour not in extra
            if 0 <= neighbour and fresh and _NUMBER.search(units[neighbour].text):
                extra.append(neighbour)
                break
    return extra


def _figure_units(
    units: list[Unit], chosen: list[int], scores: list[float], intent: QuestionIntent
) -> list[int]:
    """When the question asks a kind of figure (a count, a rank …) that no chosen unit prints, the best units
    that print one: a chart's figures are lines of their own, apart from the words they measure."""
    form = figure_form(intent.question) or date_form(intent.question)
    if form is None or any(form.search(units[index].text) for index in chosen):
        return []
    printing = [i for i, unit in enumerate(units) if form.search(unit.text) and scores[i] > 0]
    if not printing:
        return []
    top = max(scores[i] for i in printing)
    return [i for i in printing if scores[i] >= top][:MAX_FIGURE_UNITS]


def _year_units(
    units: list[Unit], chosen: list[int], scores: list[float], intent: QuestionIntent
) -> list[int]:
    """The best unit printing a year the question asks, when no chosen unit prints it: a chart labels its
    period on a line of its own (「（2019年度）」 under the figures)."""
    missing = [
        year for year in intent.years if not any(year in years_in(units[index].text) for index in chosen)
    ]
    if not missing or not chosen:
        return []
    printing = [
        i
        for i, unit in enumerate(units)
        if i not in chosen
        and (scores[i] > 0 or _PERIOD_LABEL.fullmatch(unit.text.strip()))
        and set(missing) & set(years_in(unit.text))
    ]
    return [max(printing, key=lambda i: scores[i])] if printing else []


# A chart's period on a line of its own: 「（2019年度）」, "(FY2019)" — it dates the figures around it.
_PERIOD_LABEL = re.compile(r"[（(]?\s*(?:FY\s*)?(?:19|20)\d{2}\s*(?:年度?|年末|FY)?\s*[）)]?", re.I)


# A line the PDF starts with ⇒ or → continues the statement before it (「2019年 約500件」「⇒2023年に倍増」),
# and so does a line that is one bracketed aside, its examples (「…VCが存在。」「（仏A、米Bなど）」).
_CONTINUES = re.compile(r"^\s*(?:[⇒→]|[（(][^（()）]{2,80}[）)]\s*$)")


def _continuations(units: list[Unit], chosen: list[int]) -> list[int]:
    """The ⇒ line after a chosen unit, and the statement before a chosen ⇒ line."""
    extra = []
    for index in chosen:
        if index + 1 < len(units) and _CONTINUES.match(units[index + 1].text):
            extra.append(index + 1)
        if _CONTINUES.match(units[index].text) and index > 0:
            extra.append(index - 1)
    return [index for index in extra if index not in chosen]


# A short heading followed by bullets is answered by its list: a field heading, then "• AI", "• 半導体"…
LIST_ITEM = re.compile(r"^\s*[•・⚫◼■●○◆▶►➢\-\u2460-\u2473]")
# A statement that announces its list: 「対象は以下の①～④」, "the following".
_ANNOUNCES_LIST = re.compile(r"以下の|次の|下記の|the following", re.I)
MAX_HEADING_CHARS = 30
MAX_LIST_ITEMS = 8


def _listed_under(units: list[Unit], chosen: list[int]) -> list[int]:
    """The bullets directly after a chosen heading (a short line that is itself no bullet or sentence)."""
    items: list[int] = []
    for index in chosen:
        text = units[index].text
        if not is_heading(text) and not _ANNOUNCES_LIST.search(text):
            continue
        following = index + 1
        while (
            following < len(units) and LIST_ITEM.match(units[following].text) and len(items) < MAX_LIST_ITEMS
        ):
            items.append(following)
            following += 1
    return [item for item in items if item not in chosen]


def is_heading(text: str) -> bool:
    """A short line that is no bullet and no sentence: a heading over the lines after it."""
    return not (LIST_ITEM.match(text) or len(text) > MAX_HEADING_CHARS or text.endswith(("。", ".")))


def under_headings(text: str, heads: Callable[[str], bool]) -> list[str]:
    """The units that stand under a heading `heads` accepts, up to the next heading: a case study's heading
    (「海外展開に成功した A社 の例」) names the company its bullets are about."""
    scoped: list[str] = []
    inside = False
    for unit in split_units(text):
        if is_heading(unit.text):
            inside = heads(unit.text)
        elif inside:
            scoped.append(unit.text)
    return scoped


# A statement marks its caveat with ※, 注1 or *1 and the slide states it elsewhere, often far below: the
# note is part of what the statement says (「設立10年未満※」 + 「※…15年未満の企業も対象」).
_NOTE_MARK = re.compile(r"(?<=.)(※\d*|注\d+|\*\d+)")
_NOTE_START = re.compile(r"^\s*[（(]?(※\d*|注\d+|\*\d+)")
MAX_NOTES = 1  # the one note that best continues the statement; more would crowd the answer


def note_marks(text: str) -> set[str]:
    """The note marks a text carries (「※5」, 「注３」, 「*1」), in NFKC form so ※５ and ※5 are one mark."""
    return {unicodedata.normalize("NFKC", mark) for mark in _NOTE_MARK.findall(text)}


def notes_marked(text: str, marks: set[str]) -> list[Unit]:
    """The units of a slide that state the notes with these marks (a table cell's 「…※5」 points to one)."""
    units = split_units(text)
    return [units[index] for index in _note_indexes(units, marks)]


def _note_indexes(units: list[Unit], marks: set[str]) -> list[int]:
    # marks match exactly: 「※5」 in a cell is not every ※ on the slide
    return [
        index
        for index, unit in enumerate(units)
        if (start := _NOTE_START.match(unit.text)) and unicodedata.normalize("NFKC", start.group(1)) in marks
    ]


def _referenced_notes(units: list[Unit], chosen: list[int], scores: list[float], question: str) -> list[int]:
    """The note units that the chosen units (or the question: 「※5の…」) point to, best-scoring first (at most
    MAX_NOTES)."""
    marks = {mark for index in chosen for mark in note_marks(units[index].text)} | note_marks(question)
    if not marks:
        return []
    notes = [index for index in _note_indexes(units, marks) if index not in chosen]
    # A note continues the statement that points to it: rank by shared wording with it, then by the question.
    pointing = {
        gram
        for index in chosen
        if _NOTE_MARK.search(units[index].text)
        for gram in _bigrams(units[index].text)
    }

    def affinity(index: int) -> float:
        grams = _bigrams(units[index].text)
        return len(grams & pointing) / (len(grams) or 1) + 0.01 * scores[index]

    return sorted(notes, key=affinity, reverse=True)[:MAX_NOTES]


def _bigrams(text: str) -> set[str]:
    folded = fold(text)
    return {folded[i : i + 2] for i in range(len(folded) - 1)}
