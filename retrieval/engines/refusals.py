"""Refusals: whether the evidence found covers the question (topic, names, years), and the refusal
message naming what the deck lacks and where its nearest evidence is."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.documents import Document
from langchain_core.messages import AIMessage

from retrieval.designators import missing_designator
from retrieval.engines.messages import NAME_JOINER, SENTENCE_SEPARATOR, join_list, page, say
from retrieval.engines.planning import (
    MIN_COVERAGE,
    PlannerBase,
    PlannerState,
    coverage_of,
    excerpt,
    final_answer,
    row_text,
)
from retrieval.engines.table_answers import evidence_intent, raw_question
from retrieval.engines.table_follow_ups import year_mismatch
from retrieval.engines.toolkit import RANKING_TOOL
from retrieval.engines.unlisted_rows import unlisted_row
from retrieval.english_words import content_stems, shared_stems
from retrieval.extract import before_source, best_units, is_heading, is_source, split_units, under_headings
from retrieval.figures import (
    DATE_FORM,
    FIGURE_FORMS,
    LABEL_FORMS,
    asked_figure,
    asked_metric,
    asks_when,
    asks_whole,
    figure_form,
    gives_whole,
    metrics,
    names_asked_of,
)
from retrieval.glossary import compound_forms, english_forms, english_names_in
from retrieval.intent import QuestionIntent, fold, year_spellings, years_in
from retrieval.models import Citation
from tools.rankings import RankingResult, RowMatch, Table, row_match, table_keyword_scores

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年|\b)")
NAMED_TABLE_SCORE = 2.0  # keyword score at which a question names a table (two keywords, or its title)
_FIGURE = re.compile(r"\d")
_COUNT_OF_THINGS = re.compile(r"\d\s+[a-z]+s\b", re.I)  # "8 unicorns": a count the question itself gives
MAX_NAME_PAGES = 3


class RefusalMixin(PlannerBase):
    """The planner's refusal checks and refusal answers."""

    def _refusal_reason(
        self, state: PlannerState, focus: Document | None, tables: list[RankingResult]
    ) -> dict[str, Any] | None:
        """Why the deck cannot answer, or None when the evidence covers the question."""
        intent = state.intent
        if focus is None:
            return {"kind": "nothing"}
        matched_rows = [match for result in tables for match in result.matches]
        table_text = fold(" ".join(row_text(match) for match in matched_rows) + " " + _asked_columns(tables))
        evidence = fold(f"{focus.metadata['section']} {focus.page_content}") + table_text
        topic_terms = [term for term in intent.quoted + intent.terms if term not in intent.entities]
        if not topic_terms and intent.lang != "en":
            return {"kind": "weak"}
        # Topic coverage over the focus slide plus any table rows found (tables restate slides exactly).
        table_titles = " ".join(f"{r.title_ja} {r.title_en}" for r in tables if r.matches)
        if topic_terms:
            coverage = max(
                self.topic_coverage(intent, focus),
                coverage_of(f"{focus.page_content} {table_titles} {table_text}", topic_terms),
            )
        else:  # an English question the lexicon found no Japanese terms for: its own words, in the English
            coverage = self.knowledge.english_coverage(focus.metadata["slide"], intent.question)
        if coverage < MIN_COVERAGE:
            return {"kind": "weak"}
        # The question's names and years must be in what the answer would quote (its units and rows), not just
        # somewhere on the slide: a slide can name Singapore in one line and give rates for others in another.
        units = self._quoted_units(focus, intent, self.follow_up_lead(state))
        quoted, quoted_en = " ".join(ja for ja, _ in units), " ".join(en for _, en in units).lower()
        evidence = fold(f"{focus.metadata['section']} {quoted}") + table_text

        def said(name: str) -> bool:  # in the Japanese, or in its English rendering (UK for 英国)
            if re.search(rf"\b{re.escape(name.lower())}\b", quoted_en) is not None:
                return True
            # or by its stems: a demonym names its country ("Singaporean" founder, "from Singapore")
            stems = content_stems(name)
            return bool(stems) and shared_stems(name, quoted_en) == len(stems)

        entities, unknown_names = self._asked_names(state)
        missing = [
            entity
            for entity in entities
            if entity not in self.knowledge.subject
            and not _present(entity, evidence, matched_rows)
            and not any(said(form) for form in english_forms(entity))
        ]
        missing += [
            name
            for name in unknown_names
            if fold(name) not in evidence and not _in_rows(name, matched_rows) and not said(name)
        ]
        if missing:
            return {"kind": "entity", "missing": missing}
        unlisted = self._unlisted_row(intent.question, tables, intent.lang)
        if unlisted is not None:
            return {"kind": "row", "asked": unlisted[0], "given": unlisted[1]}
        if self._counts_not_names(intent.question, tables):
            return {"kind": "figure", "figure": "names"}
        designator = missing_designator(intent.question, f"{evidence} {fold(quoted)} {quoted_en}")
        if designator is not None:
            return {"kind": "designator", **designator}
        printed = [
            t for t in intent.terms if t.isascii() and len(t) >= 3 and fold(t) in fold(focus.page_content)
        ]
        latin = _latin_names(intent.question, printed, self._rare_name)
        metric = asked_metric(intent.question)
        if metric is not None and not self._prints_metric(metric, intent, tables, units, focus, latin):
            return {"kind": "metric", "metric": metric}
        kind = asked_figure(intent.question)
        if kind is not None and not self._gives_figure(kind, focus, intent, tables, units):
            return {"kind": "figure", "figure": kind}
        if asks_when(intent.question) and not self._gives_figure("date", focus, intent, tables, units):
            return {"kind": "figure", "figure": "date"}  # "when did Korea join?": a line naming it, no date
        if asks_whole(intent.question) and kind in ("amount", None):
            # 「B省分も入れると総額」: a row or line that gives only A省分 is one part of the total asked
            evidence_texts = [row_text(m) for m in matched_rows] or [f"{ja} {en}" for ja, en in units]
            if not gives_whole([before_source(t) for t in evidence_texts]):
                return {"kind": "figure", "figure": "whole"}
        given_years = set(years_in(f"{evidence} {quoted_en}"))  # 令和5年度 gives 2023
        if any(year not in evidence and year not in given_years for year in intent.years):
            return {"kind": "year"}
        asked = entities + unknown_names + latin
        if intent.years and not self._year_of_names(asked, intent.years, units, matched_rows):
            names = [n for n in asked if n not in self.knowledge.subject]
            return {"kind": "year_of_name", "names": names, "years": intent.years}
        return None

    def _counts_not_names(self, question: str, tables: list[RankingResult]) -> bool:
        """Whether the question asks which things (companies …) and every table found only counts them for
        the rows it names: 「韓国 8社」 says how many Korean companies, not which."""
        counters = names_asked_of(question)
        found = [result for result in tables if result.matches]
        if not counters or not found or self.knowledge.tables is None:
            return False
        for result in found:
            table = self.knowledge.tables.get(result.table_id)
            named = any(m.how in ("exact", "alias", "partial") for m in result.matches)
            cells = [c for c in table.columns if c.name != table.entity_column]
            counts = any(c.unit in counters for c in cells) and all(c.type != "text" for c in cells)
            if not (named and counts):
                return False
        return True

    def _rare_name(self, word: str) -> bool:
        """A rare Latin-script word of the document is a name (a company the lexicon does not list); one
        printed on many pages is a common noun of the document (IPO, VC, AI), and one the English renderings
        write in lower case is a word ("initial")."""
        if word.lower() in self.knowledge.english_common_words:
            return False
        return sum(fold(word) in text for text in self.knowledge.folded.values()) <= MAX_NAME_PAGES

    def _year_of_names(
        self, names: list[str], years: list[str], units: list[tuple[str, str]], rows: list[RowMatch]
    ) -> bool:
        """Whether the quoted year belongs to the asked name: a unit naming both, or a year printed as a
        heading (no figure of its own besides years). A slide listing a company and, elsewhere, another
        thing's 2023 figure gives no 2023 figure for the company."""
        names = [n for n in names if n not in self.knowledge.subject]
        if not names or any(_in_rows(n, rows) for n in names):
            return True  # a row naming the thing stands under its table's year (the table check has that)
        for ja, en in units:
            text = f"{ja} {en}"
            if not set(years) & set(years_in(text)):
                continue
            if any(_present(n, fold(text), []) for n in names) or not _FIGURE.search(_YEAR.sub("", text)):
                return True
            if is_heading(ja) and not self._names_another(ja, names):
                return True  # a dated heading (「【…計画】（2019年4月）」) dates the lines under it
        return False

    def _asked_names(self, state: PlannerState) -> tuple[list[str], list[str]]:
        """(entities, unknown names) the evidence must name. A follow-up that names its own thing ("and
        nvidia?") replaces the earlier question's: that one was answered in the turn before."""
        intent = state.intent
        raw = raw_question(state.question, state.history)
        if raw != state.question:
            own = self.knowledge.analyze(raw)
            if own.entities or own.unknown_names:
                return (
                    [e for e in intent.entities if e in own.entities],
                    [n for n in intent.unknown_names if n in own.unknown_names],
                )
        return intent.entities, intent.unknown_names

    def _unlisted_row(
        self, question: str, tables: list[RankingResult], lang: str
    ) -> tuple[str, list[str]] | None:
        """A row the question asks a table about that the table does not list, for a lookup that named no
        row (so it fell back to listing the table)."""
        if self.knowledge.tables is None or asked_figure(question) is None:
            return None  # only a row's figure asked (its rank, rate …): an attribute row (対象株式) is no row
        for result in tables:
            operation = getattr(result, "operation", None)
            plain = operation is None or (operation.op == "lookup" and not operation.entity)
            named = any(m.how in ("exact", "alias", "partial") for m in result.matches)
            if not plain or result.query.entity or named:
                continue
            table = self.knowledge.tables.get(result.table_id)
            unlisted = unlisted_row(question, table, self.knowledge.subject)
            if unlisted is not None:
                asked, rows = unlisted
                return asked, [_row_name(table, row_match(table, row, "all"), lang) for row in rows]
        return None

    def follow_up_lead(self, state: PlannerState) -> QuestionIntent | None:
        """The follow-up's own words, analysed, when the engine joined them to the earlier question."""
        raw = raw_question(state.question, state.history)
        return self.knowledge.analyze(raw) if raw != state.question else None

    def _quoted_units(
        self, focus: Document, intent: QuestionIntent, lead: QuestionIntent | None = None, limit: int = 4
    ) -> list[tuple[str, str]]:
        """The units of the focus slide an answer would quote, each with its English rendering ('' if none)."""
        english = self.knowledge.english.get(focus.metadata["slide"], {})
        units = best_units(focus.page_content, intent, limit=limit, english=english, lead=lead)
        return [(u.text, english.get(u.text, "")) for u in units]

    def _gives_figure(
        self,
        kind: str,
        focus: Document,
        intent: QuestionIntent,
        tables: list[RankingResult],
        units: list[tuple[str, str]],
    ) -> bool:
        """Whether what the answer would quote about the question's names prints a figure of the kind asked
        (a rate as %, an amount in a currency): a slide naming Singapore without its rate does not answer
        "Singapore's rate"."""
        names = [e for e in intent.entities if e not in self.knowledge.subject]
        form = DATE_FORM if kind == "date" else figure_form(intent.question) or FIGURE_FORMS[kind]
        if kind == "rank" and any(_places_rows(result) for result in tables):
            return True  # an operation that put the named rows in order gave their place
        if not names and kind in ("count", "rate"):
            return self._prints_figure(form, tables, units, kind)
        if not names:
            return True  # the check is about a named thing's figure; a general question is judged on topic
        for result in tables:
            # a row about the name, or a table whose columns are the names (countries side by side)
            labels = self._column_labels(result)
            # a column labelled in the figure's unit (調達額（億円）, 控除率(%)) prints it in bare numbers
            unit_column = LABEL_FORMS[kind].search(labels) is not None
            for match in result.matches:
                text = row_text(match)
                named = any(_present(n, fold(text), []) or _present(n, labels, []) for n in names)
                if named and (form.search(text) or unit_column and re.search(r"\d", text)):
                    return True
        texts = [f"{before_source(ja)} {before_source(en)}" for ja, en in units]
        if kind == "date":
            # a date stands apart from the name it dates (「※2019年合意」 under the partners' names); a source
            # line's date is the source's
            return any(form.search(ja) and not is_source(ja) for ja, _ in units)
        if kind in ("rank", "count"):
            gives_count = form.search(intent.question) or _COUNT_OF_THINGS.search(intent.question)
            if any(e in self.knowledge.subject for e in intent.entities) and gives_count:
                # "Japan has 8 — how many does the US have?": the question gives the subject's count, so a
                # count that names no one is the subject's, not the other name's
                return any(form.search(t) for t in texts if any(_present(n, fold(t), []) for n in names))
            # a rank or count is printed on its own line under the name's heading (「九州大学」 … 「約850件」)
            return any(form.search(text) for text in texts)
        about = [t for t in texts if any(_present(name, fold(t), []) for name in names)]
        if any(form.search(text) for text in about or texts):
            return True
        # with no table row about the name, a quoted line naming nothing else stands in its context (the
        # slide's plan for one country); a row without the figure is the deck's record of it, and a line naming
        # another country or company gives that one's figure
        rows_about = any(
            _present(n, fold(row_text(m)), []) for result in tables for m in result.matches for n in names
        )
        if not rows_about and any(form.search(t) and not self._names_another(t, names) for t in texts):
            return True
        # a name's heading line, then its figure on the next line of the slide (「A国」「12%」)
        quoted = {ja for ja, _ in units}
        english = self.knowledge.english.get(focus.metadata["slide"], {})
        slide_units = [u.text for u in split_units(focus.page_content)]
        named_at = [
            i
            for i, u in enumerate(slide_units)
            if u in quoted and any(_present(n, fold(u), []) for n in names)
        ]
        following = [slide_units[j] for i in named_at for j in (i + 1, i + 2) if j < len(slide_units)]
        return any(form.search(f"{u} {english.get(u, '')}") for u in following)

    def _names_another(self, text: str, names: list[str]) -> bool:
        """Whether a text names a country, city, company … of the lexicon other than these names (read as
        printed: folding would join an English rendering's words)."""
        others = self.knowledge.analyze(text).entities
        return any(e not in names and e not in self.knowledge.subject for e in others)

    def _column_labels(self, result: RankingResult) -> str:
        """The folded labels and units of the columns of a result's table ('' when it has none)."""
        table = self.knowledge.tables.get(result.table_id) if self.knowledge.tables else None
        return (
            fold(" ".join(f"{c.label_ja} {c.label_en} {c.unit or ''}" for c in table.columns))
            if table
            else ""
        )

    def _prints_figure(
        self, form: re.Pattern[str], tables: list[RankingResult], units: list[tuple[str, str]], kind: str
    ) -> bool:
        """Whether anything the answer would give prints the figure a general question asks: a table's
        count, a row or a quoted line with the counter or unit (a list of major IPOs says nothing of 2024's
        number; a line saying a ratio fell gives no points)."""
        if kind == "count" and any(getattr(result, "count", None) is not None for result in tables):
            return True
        for result in tables:
            # a column labelled in the figure's unit prints it in bare numbers
            unit_column = (
                kind != "count" and LABEL_FORMS[kind].search(self._column_labels(result)) is not None
            )
            for match in result.matches:
                text = row_text(match)
                if form.search(text) or unit_column and re.search(r"\d", text):
                    return True
        return any(form.search(f"{before_source(ja)} {before_source(en)}") for ja, en in units)

    def _prints_metric(
        self,
        metric: str,
        intent: QuestionIntent,
        tables: list[RankingResult],
        units: list[tuple[str, str]],
        focus: Document,
        latin_names: list[str],
    ) -> bool:
        """Whether what the answer would quote (its units, in either language, and the rows and column labels
        of the tables found) prints the measure asked: a slide on a startup's funding gives no valuation."""
        words = [fold(word) for word in metrics()[metric]["printed"]]
        # the rows that name the question's thing, with their table's column labels
        for result in tables:
            named = [m for m in result.matches if m.how in ("exact", "alias", "partial")]
            labels = " ".join(f"{c.label_ja} {c.label_en}" for c in result.columns)
            labels += f" {result.title_ja} {result.title_en}"  # the title says what every row measures
            if any(w in fold(f"{row_text(m)} {labels}") for m in named for w in words):
                return True
        # the quoted units that name it (a definition line, another company's figures are about no one thing)
        texts = [fold(f"{ja} {en}") for ja, en in units]
        asked = [*intent.entities, *intent.unknown_names, *latin_names]
        names = [fold(n) for n in asked if n not in self.knowledge.subject]
        names += [fold(m.matched_on or "") for r in tables for m in r.matches if m.how in ("exact", "alias")]
        names = [n for n in names if n]
        # a line is about the name when it names it or stands under a heading that does (a case study)
        scoped = {
            fold(u) for u in under_headings(focus.page_content, lambda h: any(n in fold(h) for n in names))
        }
        about = [t for (ja, _), t in zip(units, texts) if fold(ja) in scoped or any(n in t for n in names)]
        return any(w in t for t in (about if names else texts) for w in words)

    def _table_refusal(
        self, state: PlannerState, tables: list[RankingResult], focus: Document | None = None
    ) -> dict[str, Any] | None:
        """A year refusal when the question names a table but its years fit neither it nor its other years,
        and the focus slide, when it is another slide, does not give them either."""
        if self.knowledge.tables is None or any(r.matches for r in tables):
            return None
        table = year_mismatch(state.question, self.knowledge.tables)
        if table is None:
            return None
        if focus is not None and focus.metadata["section"] not in (table.slide_title, *table.also_on_slides):
            # one shared keyword ("funds") does not name a table: the question is about the focus slide, and
            # that gives its year. Calibrated on the dev sets: year refusals that stand name their table with
            # 2.0–2.5, the false one with a single keyword (1.0).
            score = dict(table_keyword_scores(self.knowledge.tables, state.question)).get(table.id, 0.0)
            quoted = " ".join(ja for ja, _ in self._quoted_units(focus, state.intent))
            if score < NAMED_TABLE_SCORE and set(state.intent.years) <= set(years_in(quoted)):
                return None
        return {"kind": "year"}

    def _evidence_state(self, state: PlannerState, tables: list[RankingResult]) -> PlannerState:
        """The question as the refusal check reads it: a table follow-up together with the question that
        named its table, and with the consulted tables' own keywords and names as evidence."""
        if self.knowledge.tables is None:
            return state
        turn = self.table_turn(state) if RANKING_TOOL in state.results else None
        question = state.question
        if turn is not None:
            question = f"{turn.question}\n{raw_question(state.question, state.history)}"
        intent = self.knowledge.analyze(question) if turn is not None else state.intent
        intent = evidence_intent(intent, question, tables, self.knowledge.tables)
        return PlannerState(question=question, intent=intent, results=state.results, history=state.history)

    def _refusal(
        self,
        state: PlannerState,
        documents: list[Document],
        focus: Document | None,
        tables: list[RankingResult],
        reason: dict[str, Any],
    ) -> AIMessage:
        lang = state.intent.lang
        nearest = ([focus] if focus is not None else []) + [d for d in documents if d is not focus]
        nearest = nearest[:2]
        citations = [
            Citation(slide=d.metadata["slide"], section=d.metadata["section"], text=excerpt(d.page_content))
            for d in nearest
        ]
        covered: list[str] = []
        for result in tables:
            table = self.knowledge.tables.get(result.table_id) if self.knowledge.tables else None
            if table is not None:
                covered += [_row_name(table, match, lang) for match in result.matches[:12]]
        if not covered and tables and self.knowledge.tables is not None:
            # Only empty lookups: name what the consulted table does list.
            table = self.knowledge.tables.get(tables[0].table_id)
            covered = [
                _row_name(table, RowMatch(row=row, how="all", score=1.0), lang) for row in table.rows[:12]
            ]
        layout = self.knowledge.bundle.layout
        parts = [say("refusal", lang, layout=layout), self._refusal_detail(state, focus, reason)]
        if covered:
            parts.append(say("deck_lists", lang, names=join_list(covered, lang)))
        if nearest:
            refs = [
                say(
                    "section_ref",
                    lang,
                    section=d.metadata["section"],
                    page=page(d.metadata["slide"], lang, layout),
                )
                for d in nearest
            ]
            parts.append(say("nearest", lang, sections=join_list(refs, lang)))
        return final_answer(SENTENCE_SEPARATOR[lang].join(p for p in parts if p), "not_in_deck", citations)

    def _refusal_detail(self, state: PlannerState, focus: Document | None, reason: dict[str, Any]) -> str:
        """Which constraint the evidence does not meet, and for a year what the evidence has instead."""
        lang, layout = state.intent.lang, self.knowledge.bundle.layout
        if reason["kind"] == "entity":
            where = (
                say(
                    "closest_evidence",
                    lang,
                    page=page(focus.metadata["slide"], lang, layout),
                    section=focus.metadata["section"],
                )
                if focus
                else say("the_deck", lang, layout=layout)
            )
            names = reason["missing"] if lang == "ja" else [_english_name(n) for n in reason["missing"]]
            return say("missing_entity", lang, where=where, names=NAME_JOINER[lang].join(names))
        if reason["kind"] == "designator":
            given = join_list(reason["given"][:8], lang)
            return say("missing_designator", lang, asked=reason["asked"], given=given)
        if reason["kind"] == "row":
            given = join_list(reason["given"][:8], lang)
            return say("missing_row", lang, asked=reason["asked"], given=given)
        if reason["kind"] == "metric":
            forms = metrics()[reason["metric"]]
            words = forms.get("named") or forms["printed"]
            word = next(w for w in words if w.isascii() == (lang == "en"))
            return say("missing_metric", lang, metric=word)
        if reason["kind"] == "figure":
            return say(f"missing_{reason['figure']}", lang)
        if reason["kind"] == "year_of_name":
            names = reason["names"] if lang == "ja" else [_english_name(n) for n in reason["names"]]
            asked = join_list(_as_asked(reason["years"], state.question), lang)
            return say("missing_year_of_name", lang, asked=asked, names=NAME_JOINER[lang].join(names))
        if reason["kind"] == "year":
            text = say(
                "missing_year",
                lang,
                asked=join_list(_as_asked(state.intent.years, state.question), lang),
            )
            # the years of what the answer would have quoted, so "the deck gives 2021 and 2023, not 2024"
            quoted = " ".join(ja for ja, _ in self._quoted_units(focus, state.intent)) if focus else ""
            given = sorted(set(_YEAR.findall(quoted)) - set(state.intent.years))
            if given:
                years = join_list([f"{y}年" if lang == "ja" else y for y in given[:8]], lang)
                text += SENTENCE_SEPARATOR[lang] + say("years_given", lang, years=years)
            return text
        return say("weak", lang, layout=layout)


def _latin_names(question: str, printed: list[str], is_name: Callable[[str], bool]) -> list[str]:
    """The names among the question's Latin-script terms the slide prints, as the question writes them:
    adjacent terms are one name when one of them is a name ("Preferred Networks")."""
    latin = {term.lower() for term in printed}
    runs: list[list[str]] = [[]]
    for word in re.findall(r"[A-Za-z][A-Za-z0-9&.-]*|\S", question):
        if word.lower() in latin:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [" ".join(run) for run in runs if any(is_name(word) for word in run)]


def _as_asked(years: list[str], question: str) -> list[str]:
    """Years as the question spells them: 令和8年度 stays so, not 2026, a number the question never states."""
    spellings = year_spellings(question)
    return [spellings.get(year, year) for year in years]


def _asked_columns(tables: list[RankingResult]) -> str:
    """The labels of the columns the lookups read: a table whose columns are countries names the one asked
    (米国 of 「繰越制度 — 米国: 20年」)."""
    labels = []
    for result in tables:
        operation = getattr(result, "operation", None)
        if result.matches and operation is not None and operation.column:
            labels += [f"{c.label_ja} {c.label_en}" for c in result.columns if c.name == operation.column]
    return " ".join(labels)


def _present(entity: str, evidence: str, rows: list[RowMatch]) -> bool:
    # The deck writes some names in Latin script (Amazon, NVIDIA): accept the lexicon's English forms too.
    forms = [entity, *compound_forms(entity)] + [form for form in english_forms(entity) if len(form) >= 3]
    return any(fold(form) in evidence or _in_rows(form, rows) for form in forms)


def _in_rows(name: str, rows: list[RowMatch]) -> bool:
    folded = fold(name)
    for match in rows:
        names = [*match.row.display.values(), *match.row.aliases]
        if any(folded == fold(value) or (len(folded) >= 2 and folded in fold(value)) for value in names):
            return True
    return False


def _row_name(table: Table, match: RowMatch, lang: str) -> str:
    name = table.name_of(match.row)
    if lang == "en":
        latin = match.row.latin_alias
        if latin and not name.isascii():
            return latin
    return name


def _english_name(name: str) -> str:
    names = english_names_in(name)
    return names[0] if names else name


def _places_rows(result: RankingResult) -> bool:
    """Whether a table operation placed its rows in an order (a place the deck's figures decide)."""
    operation = getattr(result, "operation", None)
    return operation is not None and operation.op in ("standing", "rank_position") and bool(result.matches)
