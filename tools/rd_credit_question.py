"""Read an R&D-credit calculation out of a chat question: amounts by role, flags, thread follow-ups. Pure.

``rdcredit_from_question(question, history)`` returns an ``RdCreditProposal``: ``ready`` (with the
``RdCreditInput``), ``needs_input`` (naming, in ja and en, the inputs still missing) or ``not_applicable``.

How an amount gets its role: the text is cut into tokens (amounts, what-words such as 売上 / tax, period words
such as 今期 / prior 3 years, "each" words, boundaries). An amount takes the words written since the previous
amount in its sentence; with none it continues a list ("8億・8.5億・9億") or takes the words right after it
("¥80m this year"). The vocabularies name the calculator's inputs as people write them; they are general
data about the inputs, never phrases of particular questions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from tools.amounts import AmountSpan, find_amount_spans
from tools.errors import tool_error_from_validation
from tools.rd_credit_models import RdCreditInput
from tools.spec import ToolProposal

CapMode = Literal["apply", "none", "basic"]

# What an amount measures: one entry per calculator input, plus amounts that are no input (so they are never
# taken for one). At one position the first alternative wins, and a longer word starts earlier, so
# 特別試験研究費 / 共同研究費 (OI) win over 試験研究費 / 研究費, and "corporate income tax" over "income".
_MEASURES: dict[str, str] = {
    "oi": r"特別試験研究費|共同研究|委託研究|共同・委託|オープンイノベーション|OI型|joint research|"
    r"contract(?:ed)? research|collaborative research|open[- ]innovation",
    "other_credits": r"(?:その)?他の(?:特別)?税額控除|other (?:tax )?credits",
    "rd": r"試験研究費|研究開発(?:費|投資|支出)|研究費|R&D(?![- ]?(?:tax|credit|税))|"
    r"research (?:and development )?(?:spend(?:ing)?|expenditures?|costs?|budget)",
    "sales": r"売上(?:高|金額)?|売り上げ|revenues?|sales|turnover",
    "tax": r"調整前法人税額?|法人税額?|納税額|corporat(?:e|ion) (?:income )?tax(?:es)?|"
    r"(?<!R&D )\btax(?:es)?\b(?! ?(?:credit|incentive|relief|break|deduction|regime|system|rate|rule|税制))",
    "capital": r"資本金|出資金|(?<!venture )\bcapital\b",
    "not_input": r"所得|利益|income|profits?|earnings|設備投資|capex|給与|賃金|wages|payroll",
}
# When an amount is: this year's, or one of the (up to three) prior years'.
_PERIODS: dict[str, str] = {
    "prior": r"比較試験研究費|compara(?:tive|ble|tion) R&D|"
    r"(?:前|過去|直近)\s?[1-3一二三]\s?(?:事業年度|年度|年|期)|前々?期|前年度?|昨年度?|昨期|[1-3一二三]\s?(?:期|年|事業年度)前|"
    r"一昨年度?|去年|おととし|その前(?:の年)?|\bFY\s?[-−–]\s?[1-3]\b|"
    r"(?:previous|prior|past|last|preceding)[\s-]+(?:(?:three|two|3|2)[\s-]+)?(?:fiscal\s+|financial\s+)?"
    r"(?:years?|yrs?|FYs?|periods?)\b|(?:three|two|3|2)\s+(?:previous|prior|preceding|past)\s+(?:fiscal\s+)?"
    r"(?:years?|yrs?)\b|(?:one|two|three|[1-3])\s+(?:years?|yrs?)\s+ago|year before|"
    r"(?:three|two|3|2)\s+(?:fiscal\s+)?(?:years?|yrs?|FYs?)\s+(?:before|earlier)",
    "current": r"今期|当期|本年度|今年度?|当年度|当事業年度|今事業年度|\bnow\b|currently|"
    r"(?:this|current)\s+(?:fiscal\s+|financial\s+)?(?:year|FY|period)\b|in the current",
}
# One amount standing for every year of its role ("8億ずつ", "4期とも", "each", "flat").
_EACH = (
    r"ずつ|それぞれ|各(?:期|年度?|事業年度)?|いずれも|(?<=[期年度方])とも|毎期|毎年|同額|横ばい|一律|"
    r"\beach\b|\bevery (?:year|period)\b|\ball (?:(?:four|three|4|3) )?years\b|\bflat\b|\bper year\b|"
    r"\ba year\b|\bannually\b|\bapiece\b"
)


@lru_cache(maxsize=8)
def _token_pattern(measures: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return re.compile(
        "|".join(
            [f"(?P<m_{name}>{pattern})" for name, pattern in measures]
            + [f"(?P<p_{name}>{pattern})" for name, pattern in _PERIODS.items()]
            + [f"(?P<each>{_EACH})"]
        ),
        re.I,
    )


_TOKEN = _token_pattern(tuple(_MEASURES.items()))
_HARD_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")
_SOFT_END = re.compile(r"[、,，()（）:：「」]")
# Only list separators between two amounts: the second continues the first's role ("10億、11億と12億").
_LIST_GAP = re.compile(r"(?:[\s、,，・/／&+]|and|or|と|及び|および|や)*", re.I)
# Words that join a following what-word to an amount ("¥600m in sales", "200億の売上").
_ATTACHED = re.compile(r"\s*(?:(?:of|in|on|for|as)\s+(?:the\s+)?|の|が|を|で|分の)?", re.I)
_NOTE = re.compile(r"\s*[(（][^()（）]{1,40}[)）]")
# A word directly before the next amount belongs to it ("今期10億", "this year: ¥80m").
_LEADS = re.compile(r"[\s:：=]*(?:は|が|の|で|is|was|were|of)?[\s:：=]*", re.I)
# A rise from the prior years' figure to this year's ("8億から10億に", "from ¥1bn to ¥1.2bn").
_RISE = re.compile(r"\s*(?:から|→|->|to)\s*", re.I)

# Flags. A mention counts unless negated next to it (before in English, after in Japanese).
SME_WORDS = re.compile(
    r"中小企業技術基盤強化税制|中小企業者?|中小法人|中小型|\bSMEs?\b|small (?:and|or|&) medium|"
    r"\bsmall (?:company|business|firm)\b",
    re.I,
)
_LARGE = re.compile(
    r"大企業|大法人|大会社|一般型|総額型|\bgeneral type\b|"
    r"\b(?:large|big)(?: japanese)? (?:co|company|corp|corporation|firm|enterprise|business)\b",
    re.I,
)
# "ベンチャー企業との共同研究" / "with a venture" name an OI partner, not the venture special.
_VENTURE = re.compile(
    r"ベンチャー(?!企業?との|企業?と共同)|(?<!with a )(?<!with )\bventures?\b(?! capital)", re.I
)
_FOUNDING = re.compile(
    r"設立事業年度|設立(?:初年度?|1期目|一期目)|創業(?:初年度?|1期目)|初年度|founding year|"
    r"first (?:fiscal |financial )?year|year of (?:incorporation|founding)|"
    r"(?:newly|just) (?:founded|incorporated|established)",
    re.I,
)
_NEGATED_BEFORE = re.compile(r"(?:\bnot\b|\bno\b|\bnon-?|\bwithout\b|n't|\bnor\b)[^,、。;]{0,12}$", re.I)
# An aside in brackets negates what it says itself: 「中小企業者（適用除外事業者ではない）」 is an SME.
_NEGATED_AFTER = re.compile(
    r"^[^,、。;（(]{0,14}?(?:ではな|でな|じゃな|対象外|以外|を除|該当しな|該当せず|非該当|に当たらな|当たらず|"
    r"ではありません)"
)
# The credit cap: a cap word with an "ignore" word in its clause switches it off; with a variable / add-on
# word or "basic" it keeps only the basic 25% (RdCreditInput.basic_cap_only).
_CAP = re.compile(r"控除上限|上限|変動型|上乗せ型?|\bcaps?\b|\bcapped\b|\bceiling\b|\badd-?ons?\b", re.I)
_CAP_IGNORED = re.compile(
    r"無視|考慮(?:しな|せず|外|不要)|考えな|不要|なし|無し|なく|ない|適用(?:しな|せず|外)|除いて|除外|気にしな|"
    r"\bignor\w*|\bdisregard\w*|\bskip\w*|\bleave out\b|\bexclud\w*|\buncapped\b|"
    r"\b(?:does not|doesn't|don't|do not|not) (?:apply|bind|matter)|\b(?:no|without|w/o) (?:the |any )?"
    r"(?:credit |tax )?(?:cap|ceiling)",
    re.I,
)
_RATE_ADD_ON = re.compile(r"率の?$|\brate\s*$", re.I)
# A variable / add-on word without an "ignore" word keeps the whole cap ("including the variable cap").
_CAP_BASIC = re.compile(r"原則|基本|\bbasic\b", re.I)
_CAP_VARIABLE = re.compile(r"変動型|上乗せ|\bvariable\b|\badd-?on|\badjustments?\b", re.I)
_TAX_AMPLE = re.compile(r"十分(?:に)?大き|large enough|big enough|sufficient(?:ly)? (?:large|big)", re.I)
_TAX_WORD = re.compile(_MEASURES["tax"], re.I)
# A stated R&D-to-sales ratio: 10% or less means no intensity bonus, so sales are not needed.
_INTENSITY = re.compile(
    r"(?:試験研究費割合|研究開発費?(?:の)?(?:対)?売上(?:高)?比率?|売上高?(?:研究開発費|試験研究費)比率|"
    r"R&D[- ]to[- ]sales(?: ratio)?|R&D intensity|\bintensity)[^0-9%]{0,15}?(?P<pct>\d+(?:\.\d+)?)\s*%"
    r"(?P<after>.{0,10})",
    re.I,
)
_AT_MOST = re.compile(r"以下|未満|以内|or (?:less|lower|below)|below|under|at most|max", re.I)
_ABOVE = re.compile(r"超|より(?:大き|高)|above|over|more than|greater than|exceed", re.I)
# Is the question about the credit, and does it ask for a figure (not just quote the deck's figures)?
CREDIT_TOPIC = re.compile(
    r"研究開発税制|R&D税制|研究開発減税|試験研究費|税額控除|控除率|控除上限|中小企業技術基盤強化税制|"
    r"\b(?:R&D|R ?and ?D|RD)[- ]?(?:tax )?credit|R&D tax|research (?:and development )?(?:tax )?credit|"
    r"tax credits?|credit rate|credit cap|how much (?:of a )?credit",
    re.I,
)
_ASKS_FIGURE = re.compile(
    r"計算|いくら|幾ら|何円|どれ(?:くらい|ぐらい)|どのくらい|求め|控除額|控除でき|なら|だったら|としたら|場合|"
    r"うち|弊社|当社|自社|how much|calculat|comput|work out|estimate|\bif\b|\bwe\b|\bour\b|"
    r"what(?:'s| is| are| would be| will be)? (?:the |our |my )?(?:credit|rate)",
    re.I,
)
# A follow-up changes a slot of the thread's last calculation: any amount or the cap, or a flag when it asks
# "what if" in a short question.
_HYPOTHETICAL = re.compile(
    # Japanese conditionals are verb endings (使えたら, 選んだら, 使えれば), not words: matched as endings
    r"what if|\bif\b|instead|what about|how about|suppose|assum|なら|たら|だら|れば|だと|では|でも|"
    r"場合|にすると",
    re.I,
)
_FLAG_FOLLOW_UP_MAX = 80  # a follow-up that changes only a flag is a short "what if" question
_SME_CAPITAL_MAX = 100_000_000  # 資本金1億円以下 (spec 3.1)
_UNIVERSITY = re.compile(
    r"大学|研究機関|国立研究開発法人|universit(?:y|ies)|research institutes?|national lab\w*|academ\w*", re.I
)
_STARTUP = re.compile(r"スタートアップ|ベンチャー|start-?ups?|ventures?", re.I)

LABELS: dict[str, tuple[str, str]] = {
    "rd": ("当期の試験研究費", "this year's R&D spending"),
    "prior_rd": ("前3事業年度の試験研究費", "the prior 3 years' R&D spending"),
    "tax": ("調整前法人税額", "corporate tax before credits"),
    "sales": ("売上金額", "sales"),
    "oi": ("オープンイノベーション型の試験研究費", "the open-innovation R&D costs"),
    "other_credits": ("他の税額控除", "other tax credits"),
}
"""Display names of the inputs (ja, en), in needs_input messages."""
_HINTS: dict[str, tuple[str, str]] = {
    "prior_rd": ("同額なら1つの値と「ずつ」", "or one value 'each'"),
    "tax": ("控除上限を考慮しないならその旨", "or say to ignore the cap"),
    "sales": (
        "当期と前3事業年度。同額なら1つの値と「各期とも」",
        "this year and the prior 3 years, or one value 'each'",
    ),
}


class RdCreditSlots(BaseModel):
    """What a question says about each calculator input; None = not said."""

    rd: int | None = Field(None, description="this year's R&D, 円")
    prior_rd: list[int] | None = Field(None, description="prior years' R&D, 円")
    sales: list[int] | None = Field(None, description="sales, current year first, 円")
    tax: int | None = Field(None, description="調整前法人税額, 円")
    company: Literal["large", "sme"] | None = None
    venture: bool | None = None
    founding_year: bool | None = None
    cap: CapMode | None = Field(None, description="apply / none (ignore the cap) / basic (25% only)")
    low_intensity: bool | None = Field(None, description="a stated R&D-to-sales ratio: True = 10% or less")
    oi: dict[str, int] | None = Field(None, description="OI costs by partner: university / startup / other")
    other_credits: int | None = None
    unclear: list[str] = Field(default_factory=list, description="inputs given more values than they take")
    found: list[str] = Field(default_factory=list, description="inputs the question gave, in order")

    def changed(self) -> set[str]:
        """Names of the slots this question sets."""
        return {name for name in _SLOT_NAMES if getattr(self, name) is not None}

    def over(self, base: RdCreditSlots) -> RdCreditSlots:
        """These slots applied on top of an earlier question's (a follow-up changes only what it says)."""
        merged = base.model_copy(update={name: getattr(self, name) for name in self.changed()})
        merged.unclear = [name for name in base.unclear if name not in self.changed()] + self.unclear
        merged.found = list(dict.fromkeys(base.found + self.found))
        return merged


_SLOT_NAMES = tuple(name for name in RdCreditSlots.model_fields if name not in ("unclear", "found"))


class RdCreditProposal(ToolProposal):
    """What the question asks of the R&D-credit calculator (`arguments` = `input` as the tool takes it)."""

    input: RdCreditInput | None = Field(None, description="the calculator input, when ready")
    slots: RdCreditSlots = Field(default_factory=RdCreditSlots)
    unclear: list[str] = Field(default_factory=list, description="inputs given in a way that cannot be used")


@dataclass
class _Token:
    kind: str  # "m_<measure>", "p_<period>" or "each"
    start: int
    end: int


@dataclass
class _Role:
    measure: str | None
    period: str | None = None
    explicit: bool = False  # the period was written for this amount
    each: bool = False
    inherited: bool = False  # the role was taken from the amount before it in a list


def _tokens(text: str, spans: list[AmountSpan], pattern: re.Pattern[str] = _TOKEN) -> list[_Token]:
    inside = [(span.start, span.end) for span in spans]
    tokens = []
    for match in pattern.finditer(text):
        if not any(start <= match.start() < end for start, end in inside):
            tokens.append(_Token(match.lastgroup or "", match.start(), match.end()))
    return tokens


def _sentence_start(text: str, position: int) -> int:
    start = 0
    for boundary in _HARD_END.finditer(text, 0, position):
        start = boundary.end()
    return start


def _clause_end(text: str, start: int, limit: int) -> int:
    note = _NOTE.match(text, start, limit)  # "¥1bn (prior 3-year average)": the brackets annotate the amount
    if note:
        return note.end()
    for pattern in (_HARD_END, _SOFT_END):
        found = pattern.search(text, start, limit)
        if found:
            limit = found.start()
    return limit


def _trailing(text: str, span: AmountSpan, tokens: list[_Token], role: _Role, limit: int) -> int:
    """Complete a role from the words right after its amount (up to the clause end); return the end used.

    A word that leads the next amount ("…、9億 今期10億") is left to it.
    """
    end = _clause_end(text, span.end, limit)
    used = span.end
    for token in (t for t in tokens if span.end <= t.start and t.end <= end):
        if limit < len(text) and _LEADS.fullmatch(text[token.end : limit]):
            break
        if token.kind == "each":
            role.each, used = True, token.end
        elif token.kind.startswith("p_") and role.period is None:
            role.period, role.explicit, used = token.kind[2:], True, token.end
        elif token.kind.startswith("m_"):
            if role.measure is not None or not _ATTACHED.fullmatch(text[span.end : token.start]):
                break  # a what-word of its own starts the next item
            role.measure, used = token.kind[2:], token.end  # "¥600m in sales", "200億の売上"
    return used


def _window_role(window: list[_Token]) -> _Role:
    measures = [t.kind[2:] for t in window if t.kind.startswith("m_")]
    periods = [t.kind[2:] for t in window if t.kind.startswith("p_")]
    return _Role(
        measures[-1] if measures else None,
        periods[-1] if periods else None,
        bool(periods),
        any(t.kind == "each" for t in window),
    )


def _roles(text: str, spans: list[AmountSpan], tokens: list[_Token]) -> list[_Role]:
    """The role of each amount, in order (measure None = unclear)."""
    roles: list[_Role] = []
    joined: list[bool] = []  # whether each amount continues a list from the one before it
    claimed = 0
    for index, span in enumerate(spans):
        limit = spans[index + 1].start if index + 1 < len(spans) else len(text)
        sentence = _sentence_start(text, span.start)
        role = _window_role([t for t in tokens if max(claimed, sentence) <= t.start and t.end <= span.start])
        previous = roles[-1] if roles else None
        fresh = role.measure is not None or role.period is not None
        gap = text[claimed : span.start]
        claimed = _trailing(text, span, tokens, role, limit)
        listed = not fresh and previous is not None and _LIST_GAP.fullmatch(gap) is not None
        if listed and role.measure is None and role.period is None:
            role = _Role(
                previous.measure, previous.period, previous.explicit, previous.each or role.each, True
            )
        elif listed and role.measure is None:
            role.measure = previous.measure  # "¥340m, ¥350m and ¥370m in the prior years": the list's measure
        elif not fresh and role.measure is None and role.period is None and previous:
            if _RISE.fullmatch(gap) and previous.measure == "rd" and previous.period == "prior":
                role = _Role("rd", "current", True)  # "前3期平均の8億から10億に" / "from ¥1bn to ¥1.2bn"
        if role.measure is None and role.period is not None:
            # A period word alone continues the measure that was itemised by period ("売上は今期…、前3期…").
            same_sentence = index > 0 and spans[index - 1].end >= sentence
            inherit = previous and same_sentence and previous.explicit and previous.measure == "sales"
            role.measure = "sales" if inherit else "rd"
        if role.measure == "rd" and role.period is None:
            role.period = "current"
        roles.append(role)
        joined.append(listed)
    _fill_lists(roles, joined)
    return roles


def _fill_lists(roles: list[_Role], joined: list[bool]) -> None:
    """A list whose role is written only after its last amount ("¥30m / ¥32m / ¥34m in the 3 prior years",
    "sales ¥340m, ¥350m and ¥370m in the prior years"): the members before it that have no role, or no period,
    of their own take the last one's."""
    for index in range(len(roles) - 1, 0, -1):
        last = roles[index]
        if not (joined[index] and last.explicit and last.measure and not last.inherited):
            continue
        member = index - 1
        # members with no role, or of its measure with a period only copied from the amount before them or
        # none written ("¥45m this year, ¥40m, ¥40m and ¥42m the three years before": the 40s are prior years')
        while member >= 0 and _takes_role_of(roles[member], last):
            roles[member].measure, roles[member].period, roles[member].explicit = (
                last.measure,
                last.period,
                True,
            )
            if not joined[member]:
                break
            member -= 1


def _takes_role_of(member: _Role, last: _Role) -> bool:
    own_period = member.explicit and not member.inherited
    return member.measure is None or member.measure == last.measure and not own_period


def _mention_votes(text: str, pattern: re.Pattern[str]) -> list[tuple[int, bool]]:
    """(position, affirmed) for each mention; affirmed is False when negated right next to it."""
    votes = []
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 16) : match.start()]
        after = text[match.end() : match.end() + 18]
        negated = bool(_NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after))
        votes.append((match.start(), not negated))
    return votes


def mentioned(text: str, pattern: re.Pattern[str]) -> bool | None:
    """True / False when the last mention of the pattern is affirmed / negated; None when not mentioned."""
    votes = _mention_votes(text, pattern)
    return votes[-1][1] if votes else None


def _company(text: str, capital: list[tuple[int, str]]) -> Literal["large", "sme"] | None:
    """The last word that says which type applies; else the 資本金 test; else None."""
    votes = [(at, "sme" if ok else "large") for at, ok in _mention_votes(text, SME_WORDS)]
    votes += [(at, "large" if ok else "sme") for at, ok in _mention_votes(text, _LARGE)]
    if votes:
        return max(votes)[1]  # type: ignore[return-value]
    return capital[-1][1] if capital else None  # type: ignore[return-value]


def _clause_around(text: str, start: int, end: int) -> str:
    left = max([0] + [m.end() for m in re.finditer(r"[。！？!?；;、,()（）\n]", text[:start])])
    right = re.search(r"[。！？!?；;、,()（）\n]", text[end:])
    return text[left : end + (right.start() if right else len(text) - end)]


def _cap_mode(text: str) -> CapMode | None:
    modes = set()
    for match in _CAP.finditer(text):
        if _RATE_ADD_ON.search(text[max(0, match.start() - 6) : match.start()]):
            continue  # 「控除率の上乗せ」 / "rate add-on" is the credit-rate bonus, not the cap
        clause = _clause_around(text, match.start(), match.end())
        ignored = bool(_CAP_IGNORED.search(clause))
        if _CAP_VARIABLE.search(clause) and ignored or _CAP_BASIC.search(clause) and not ignored:
            modes.add("basic")
        else:
            modes.add("none" if ignored else "apply")
    for match in _TAX_AMPLE.finditer(text):  # "法人税額は十分大きく": the cap cannot bind
        if _TAX_WORD.search(_clause_around(text, match.start(), match.end())):
            modes.add("none")
    for mode in ("none", "basic", "apply"):
        if mode in modes:
            return mode  # type: ignore[return-value]
    return None


def _low_intensity(text: str) -> bool | None:
    stated = None
    for match in _INTENSITY.finditer(text):
        percent = float(match.group("pct"))
        at_most = bool(_AT_MOST.search(match.group("after")))
        above = bool(_ABOVE.search(match.group("after")))
        stated = percent <= 10 and not above or at_most and percent <= 10
    return stated


def _oi_partner(text: str, span: AmountSpan) -> str:
    near = text[max(0, span.start - 24) : span.end + 12]
    if _UNIVERSITY.search(near):
        return "university"
    return "startup" if _STARTUP.search(near) else "other"


def _capital_vote(text: str, span: AmountSpan) -> str:
    """資本金 of at most 1億円 votes for the SME type (spec 3.1), unless written as "超" / "以上" / "over"."""
    above = _ABOVE.search(text[span.end : span.end + 8]) or "以上" in text[span.end : span.end + 4]
    return "sme" if span.yen <= _SME_CAPITAL_MAX and not above else "large"


def _collect(text: str, spans: list[AmountSpan], roles: list[_Role]) -> RdCreditSlots:
    """Slots from the amounts' roles: lists by role, "each" expanded, too many values marked unclear."""
    values: dict[str, list[int]] = {"rd": [], "prior_rd": [], "sales": [], "tax": [], "other_credits": []}
    each: set[str] = set()
    oi: dict[str, int] = {}
    capital: list[tuple[int, str]] = []
    for span, role in zip(spans, roles, strict=True):
        if role.measure == "rd":
            key = "rd" if role.period == "current" else "prior_rd"
        elif role.measure == "oi":
            partner = _oi_partner(text, span)
            oi[partner] = oi.get(partner, 0) + span.yen
            continue
        elif role.measure == "capital":
            capital.append((span.start, _capital_vote(text, span)))
            continue
        else:
            key = role.measure or ""
        if key not in values:
            continue  # not an input ("所得", "設備投資") or no role at all
        # Sales: this year's first, as the calculator takes them.
        at = 0 if key == "sales" and role.period == "current" else len(values[key])
        values[key].insert(at, span.yen)
        if role.each:
            each.add(key)
    slots = RdCreditSlots(oi=oi or None, company=_company(text, capital))
    for key, limit, repeat in (("prior_rd", 3, 3), ("sales", 4, 4)):
        found = values[key]
        if len(found) == 1 and key in each:
            found = found * repeat
        if len(found) > limit:
            slots.unclear.append(key)
        elif found:
            setattr(slots, key, found)
    for key in ("rd", "tax", "other_credits"):
        distinct = set(values[key])  # the same figure twice is still one figure
        if len(distinct) > 1:
            slots.unclear.append(key)
        elif distinct:
            setattr(slots, key, distinct.pop())
    slots.found = [key for key in LABELS if values.get(key) or (key == "oi" and oi)]
    return slots


def _read(text: str) -> tuple[RdCreditSlots, bool]:
    """The slots one question sets, and whether it is an R&D-credit calculation request on its own."""
    spans = find_amount_spans(text, bare_units=True)
    roles = _roles(text, spans, _tokens(text, spans))
    slots = _collect(text, spans, roles)
    slots.venture = mentioned(text, _VENTURE)
    slots.founding_year = mentioned(text, _FOUNDING)
    slots.cap = _cap_mode(text)
    slots.low_intensity = _low_intensity(text)
    credit_amounts = [role for role in roles if role.measure in ("rd", "sales", "tax", "oi", "other_credits")]
    asks = bool(CREDIT_TOPIC.search(text)) and (len(credit_amounts) >= 2 or asks_for_figure(text))
    # Without the topic words, the amounts themselves must have the calculator's shape.
    shaped = slots.rd is not None and slots.prior_rd is not None and (slots.tax or slots.sales) is not None
    return slots, bool(credit_amounts) and (asks or shaped)


def read_rdcredit_slots(question: str) -> RdCreditSlots:
    """What one question says about each R&D-credit input (also read for the international comparison)."""
    return _read(unicodedata.normalize("NFKC", question))[0]


def amount_roles(question: str, measures: dict[str, str]) -> list[tuple[AmountSpan, str | None]]:
    """Each yen amount with its role among ``measures`` (name -> regex), read as for the credit."""
    text = unicodedata.normalize("NFKC", question)
    spans = find_amount_spans(text, bare_units=True)
    roles = _roles(text, spans, _tokens(text, spans, _token_pattern(tuple(measures.items()))))
    return [(span, role.measure) for span, role in zip(spans, roles, strict=True)]


def asks_for_figure(text: str) -> bool:
    """The question asks for a computed figure (いくら, how much, what if, about our company)."""
    return bool(_ASKS_FIGURE.search(text))


def _missing(slots: RdCreditSlots) -> list[str]:
    missing = []
    if slots.rd is None:
        missing.append("rd")
    if slots.prior_rd is None and not slots.founding_year:
        missing.append("prior_rd")
    if slots.tax is None and slots.cap != "none":
        missing.append("tax")
    if slots.sales is None and slots.low_intensity is False:
        missing.append("sales")  # a ratio above 10% was stated: the bonus needs the sales amounts
    return missing


def _build(slots: RdCreditSlots) -> RdCreditInput:
    assert slots.rd is not None
    return RdCreditInput(
        rd=slots.rd,
        prior_rd=slots.prior_rd or [],
        sales=slots.sales,
        tax=None if slots.cap == "none" else slots.tax,
        company=slots.company or "large",
        venture=bool(slots.venture),
        founding_year=bool(slots.founding_year),
        basic_cap_only=slots.cap == "basic",
        oi=slots.oi,  # type: ignore[arg-type]
        other_credits=slots.other_credits or 0,
    )


def _listing(keys: list[str], lang: int, *, hints: bool = False) -> str:
    names = []
    for key in keys:
        hint = _HINTS.get(key, ("", ""))[lang] if hints else ""
        names.append(LABELS[key][lang] + ((f"（{hint}）" if lang == 0 else f" ({hint})") if hint else ""))
    return ("、" if lang == 0 else "; ").join(names)


def _messages(missing: list[str], unclear: list[str], found: list[str]) -> tuple[str, str]:
    ja, en = [], []
    if missing:
        ja.append(f"計算には次の入力が必要です: {_listing(missing, 0, hints=True)}。")
        en.append(f"To calculate the credit I still need: {_listing(missing, 1, hints=True)}.")
    if unclear:
        ja.append(f"次の入力は値の数が合わず読み取れませんでした: {_listing(unclear, 0)}。")
        en.append(f"I could not read these (too many values): {_listing(unclear, 1)}.")
    if found:
        ja.append(f"読み取れた入力: {_listing(found, 0)}。")
        en.append(f"Read from the question: {_listing(found, 1)}.")
    return "".join(ja), " ".join(en)


def _proposal(slots: RdCreditSlots, *, follow_up: bool) -> RdCreditProposal:
    missing, unclear = _missing(slots), list(dict.fromkeys(slots.unclear))
    message_ja, message_en = _messages(missing, unclear, slots.found)
    built = None
    if not missing and not unclear:
        try:
            built = _build(slots)
        except ValidationError as error:
            problem = tool_error_from_validation(error)
            unclear = [problem.field]
            message_ja, message_en = problem.message_ja, problem.message_en
    return RdCreditProposal(
        status="ready" if built is not None else "needs_input",
        input=built,
        arguments={} if built is None else built.model_dump(mode="json", exclude_defaults=True),
        slots=slots,
        missing=missing,
        unclear=unclear,
        message_ja=message_ja,
        message_en=message_en,
        follow_up=follow_up,
    )


def _turn(question: str, base: RdCreditSlots | None) -> tuple[RdCreditSlots | None, bool]:
    """The calculation a turn stands for (None if none) and whether it builds on the earlier one."""
    text = unicodedata.normalize("NFKC", question)
    slots, asks = _read(text)
    if asks and not _missing(slots) and not slots.unclear:
        return slots, False  # a complete request of its own
    changed = slots.changed() - {"low_intensity"}
    amounts = changed & {"rd", "prior_rd", "sales", "tax", "other_credits", "oi", "cap"}
    hypothetical = bool(_HYPOTHETICAL.search(text))
    if base is not None and changed and (amounts or hypothetical and len(text) <= _FLAG_FOLLOW_UP_MAX):
        return slots.over(base), True
    return (slots, False) if asks else (None, False)


def rdcredit_from_question(question: str, history: Sequence[str] = ()) -> RdCreditProposal:
    """Read an R&D-credit calculation request from a chat question, using the thread for follow-ups.

    Args:
        question: the user's question (Japanese or English, casual).
        history: earlier turns of the thread, oldest first, alternating question and answer. A follow-up
            ("what if we were an SME?", 「控除上限なしだと？」, "tax 5億なら？") re-reads the last calculation
            request of the thread and changes only the slots it names.

    Returns:
        ``ready`` with the calculator input, ``needs_input`` naming what is missing (ja and en), or
        ``not_applicable`` when the question does not ask for the calculation.
    """
    base: RdCreditSlots | None = None
    for earlier in list(history)[0::2]:
        base = _turn(earlier, base)[0] or base
    slots, follow_up = _turn(question, base)
    if slots is None:
        return RdCreditProposal(status="not_applicable")
    return _proposal(slots, follow_up=follow_up)
