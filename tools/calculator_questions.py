"""Read requests for the other calculators out of a chat question (pure): tax_compare, innovation_box and
oi_promotion, the same way as tools/rd_credit_question.py reads the R&D credit (amounts by role).

Each tool's ToolSpec parser (``tax_compare_from_question``, ``innovation_box_from_question``,
``oi_promotion_from_question``, taking ``(question, history)``) and ``calculator_from_question(question)``
(the first of the three that applies) return a ``CalculatorProposal``: ``ready`` with the tool and its
arguments, ``needs_input`` naming what is missing, or ``not_applicable``. A question must name the measure
(or, for the comparison, another of the deck's countries), give a yen amount and ask for a figure, so a deck
lookup that quotes an amount ("下限は1億円？") stays with the deck.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from tools.errors import tool_error_from_validation
from tools.innovation_box import InnovationBoxInput
from tools.oi_promotion import OiPromotionInput
from tools.rd_credit_question import (
    CREDIT_TOPIC,
    SME_WORDS,
    amount_roles,
    asks_for_figure,
    mentioned,
    read_rdcredit_slots,
)
from tools.spec import QuestionParser, ToolProposal
from tools.tax_compare import TaxCompareInput

Tool = Literal["tax_compare", "innovation_box", "oi_promotion"]

# The deck's comparison countries besides Japan (tools/tax_compare.py), as people write them. Acronyms are
# matched case-sensitively so "us" the pronoun is not the United States.
_COUNTRY = re.compile(
    r"米国|アメリカ|英国|イギリス|フランス|ドイツ|韓国|united states|america|britain|united kingdom|"
    r"france|french|germany|german|korea|各国|主要国|諸外国|他国|国際比較|other countries|each country|"
    r"across (?:the )?countries|internationally",
    re.I,
)
_COUNTRY_CODE = re.compile(r"\b(?:US|U\.S\.|USA|UK)\b")
# Asking for the comparison: a compare word, all countries, or a country's rules ("in Korea", "米国では").
_COMPARES = re.compile(
    r"比較|比べ|違い|各国|主要国|諸外国|compar|versus|\bvs\b|each country|other countries", re.I
)
_UNDER_RULES = re.compile(r"(?:\bin|\bunder|\bfor)\s+(?:the\s+)?$|^\s*(?:で|では|なら|だと|の場合|の制度)")
# "1ドル150円", "USD=150", "$1 = ¥150": JPY per unit for the comparison.
_FX = re.compile(
    r"(?:1\s?(?P<ja>ドル|ユーロ|ポンド|ウォン)|(?P<code>USD|EUR|GBP|KRW)\s?(?:/\s?JPY)?\s?[=＝:：]|"
    r"(?P<sign>[$€£])\s?1\s?[=＝])\s?[¥￥]?\s?(?P<rate>\d+(?:\.\d+)?)\s?円?",
    re.I,
)
_FX_CODES = {
    "ドル": "USD",
    "ユーロ": "EUR",
    "ポンド": "GBP",
    "ウォン": "KRW",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
}
_MID = re.compile(r"中堅|mid-?(?:sized|size|market|cap)", re.I)

_BOX_TOPIC = re.compile(r"イノベーション拠点税制|イノベーションボックス|innovation box|IP box", re.I)
# Amounts of the innovation box: the qualifying licence / transfer income, and the taxable income (the limit).
_BOX_MEASURES = {
    "qualifying": r"ライセンス(?:収入|所得|料)?|ロイヤリティ|ロイヤルティ|譲渡(?:収入|所得|益)|対象所得|"
    r"特許(?:権)?(?:の)?(?:譲渡|ライセンス)?(?:収入|所得)|(?:patent |IP |software )?(?:licen[cs](?:e|ing)|"
    r"royalty|transfer) (?:income|fees?|revenues?)|royalt(?:y|ies)|(?:IP|patent|qualifying) income",
    "taxable": r"課税所得|所得金額|taxable (?:income|profits?)",
}
_SELF_RATIO = re.compile(
    r"(?:自己創出比率|研究開発割合|自社開発(?:比率|割合)|self[- ]creat\w* (?:ratio|share)|nexus ratio|"
    r"in-house share)[^0-9%]{0,10}(?P<pct>\d+(?:\.\d+)?)\s*%",
    re.I,
)
_RELATED = re.compile(r"関連者|related part(?:y|ies)|group compan(?:y|ies)", re.I)

_OIP_TOPIC = re.compile(r"オープンイノベーション促進税制|OI促進税制|open[- ]innovation promotion", re.I)
# Amounts of the OI promotion tax: what was paid for a startup's shares (one deal per amount).
_OIP_MEASURES = {
    "price": r"出資(?:額)?|取得(?:価額|額)?|株式|投資(?:額)?|買収|"
    r"invest\w*|acqui\w*|purchas\w*|stakes?|shares?",
}
_MA = re.compile(r"M&A|買収|既存株式|過半数|majority|buy(?:ing)? out|take over", re.I)
_FOREIGN = re.compile(r"海外|外国|foreign|overseas", re.I)

LABELS: dict[str, tuple[str, str]] = {
    "rd": ("研究開発費（円）", "the R&D spend (yen)"),
    "qualifying_income": (
        "対象所得（特許等の譲渡・ライセンス所得）",
        "the qualifying licence / transfer income",
    ),
    "deals": ("スタートアップ株式の取得価額", "the price paid for the startup's shares"),
}


class CalculatorProposal(ToolProposal):
    """What the question asks of one of the other calculators."""

    tool: Tool | None = None


def _normal(question: str) -> str:
    return unicodedata.normalize("NFKC", question)


def _fx_rates(text: str) -> tuple[dict[str, str], str]:
    """Exchange rates stated in the text, and the text with them blanked (they are not R&D amounts)."""
    rates: dict[str, str] = {}
    for match in _FX.finditer(text):
        unit = match.group("ja") or match.group("sign") or ""
        code = (match.group("code") or _FX_CODES.get(unit, "")).upper()
        rates[code] = match.group("rate")
    return rates, _FX.sub(lambda m: " " * len(m.group(0)), text)


def _asks_comparison(text: str) -> bool:
    if _COMPARES.search(text):
        return True
    for match in [*_COUNTRY.finditer(text), *_COUNTRY_CODE.finditer(text)]:
        before, after = text[max(0, match.start() - 12) : match.start()], text[match.end() : match.end() + 6]
        if _UNDER_RULES.search(before) or _UNDER_RULES.search(after):
            return True
    return False


def _tax_compare(text: str) -> CalculatorProposal | None:
    """A request to compare the R&D credit across the deck's countries (another country + compare word)."""
    named = _COUNTRY.search(text) or _COUNTRY_CODE.search(text)
    if not named or not CREDIT_TOPIC.search(text) or not _asks_comparison(text):
        return None
    rates, bare = _fx_rates(text)
    slots = read_rdcredit_slots(bare)
    if slots.rd is None and slots.tax is None:
        return None
    size = "mid" if _MID.search(text) else slots.company or "large"
    arguments: dict[str, Any] = {
        "rd": slots.rd,
        "prior_rd": slots.prior_rd or [],
        "sales": slots.sales,
        "tax": slots.tax,
        "size": size,
        "fx_rates": rates,
    }
    return _checked("tax_compare", TaxCompareInput, arguments, ["rd"] if slots.rd is None else [])


def _innovation_box(text: str) -> CalculatorProposal | None:
    """A request for the innovation-box deduction (the measure named, an amount, a figure asked)."""
    if not _BOX_TOPIC.search(text):
        return None
    roles = amount_roles(text, _BOX_MEASURES)
    amounts = {measure: span.yen for span, measure in roles if measure in _BOX_MEASURES}
    if not amounts or not asks_for_figure(text):
        return None
    arguments: dict[str, Any] = {
        "qualifying_income": amounts.get("qualifying"),
        "taxable_income": amounts.get("taxable"),
        "related_party": bool(mentioned(text, _RELATED)),
    }
    ratio = _SELF_RATIO.search(text)
    if ratio:
        arguments["self_creation_ratio"] = f"{ratio.group('pct')}%"
    missing = ["qualifying_income"] if "qualifying" not in amounts else []
    return _checked("innovation_box", InnovationBoxInput, arguments, missing)


def _oi_promotion(text: str) -> CalculatorProposal | None:
    """A request for the OI promotion tax deduction (the measure named, share prices, a figure asked)."""
    if not _OIP_TOPIC.search(text):
        return None
    prices = [span.yen for span, measure in amount_roles(text, _OIP_MEASURES) if measure == "price"]
    if not prices or not asks_for_figure(text):
        return None
    deal = {
        "deal_type": "ma" if mentioned(text, _MA) else "new_issue",
        "foreign_startup": bool(mentioned(text, _FOREIGN)),
    }
    arguments = {
        "investor": "sme" if mentioned(text, SME_WORDS) else "large",
        "deals": [{"price": price, **deal} for price in prices],
    }
    return _checked("oi_promotion", OiPromotionInput, arguments, [])


def _checked(
    tool: Tool, model: type[BaseModel], arguments: dict[str, Any], missing: list[str]
) -> CalculatorProposal:
    arguments = {key: value for key, value in arguments.items() if value is not None}
    if missing:
        ja = "、".join(LABELS[key][0] for key in missing)
        en = "; ".join(LABELS[key][1] for key in missing)
        return CalculatorProposal(
            status="needs_input",
            tool=tool,
            missing=missing,
            message_ja=f"計算には次の入力が必要です: {ja}。",
            message_en=f"To calculate this I still need: {en}.",
        )
    try:
        model.model_validate(arguments)
    except ValidationError as error:
        problem = tool_error_from_validation(error)
        return CalculatorProposal(
            status="needs_input",
            tool=tool,
            missing=[problem.field],
            message_ja=problem.message_ja,
            message_en=problem.message_en,
        )
    return CalculatorProposal(status="ready", tool=tool, arguments=arguments)


def _reading(reader: Callable[[str], CalculatorProposal | None]) -> QuestionParser:
    """A reader as a ToolSpec `from_question` parser: (question, history) -> proposal (history unused)."""

    def from_question(question: str, history: Sequence[str] = ()) -> CalculatorProposal:
        return reader(_normal(question)) or CalculatorProposal(status="not_applicable")

    from_question.__doc__ = reader.__doc__
    return from_question


tax_compare_from_question = _reading(_tax_compare)
innovation_box_from_question = _reading(_innovation_box)
oi_promotion_from_question = _reading(_oi_promotion)


def calculator_from_question(question: str) -> CalculatorProposal:
    """Read a request for tax_compare, innovation_box or oi_promotion from a chat question.

    Args:
        question: the user's question (Japanese or English).

    Returns:
        The first calculator the question clearly asks for, with its arguments when ``ready``; else
        ``not_applicable``.
    """
    text = _normal(question)
    for reader in (_innovation_box, _oi_promotion, _tax_compare):
        proposal = reader(text)
        if proposal is not None:
            return proposal
    return CalculatorProposal(status="not_applicable")
