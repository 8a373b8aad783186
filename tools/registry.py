"""The deterministic tools the answer engines may call, by name: one `ToolSpec` each (tools/spec.py).

The LLM tool list (retrieval/engines/toolkit.py), the `deckbot` calculator subcommands (bot/cli/tax.py) and
the offline planner's calculator routing (retrieval/engines/offline.py) are generated from `TOOLS`, so adding
a tool is one `register_tool(spec)`; see docs/adding-a-tool.md.
"""

from __future__ import annotations

from tools import rd_credit_rules as rules
from tools.calculator_questions import (
    innovation_box_from_question,
    oi_promotion_from_question,
    tax_compare_from_question,
)
from tools.calculator_text import innovation_box_text, oi_promotion_text, tax_compare_text
from tools.innovation_box import InnovationBoxInput, InnovationBoxResult, compute_innovation_box
from tools.oi_promotion import OiPromotionInput, OiPromotionResult, compute_oi_promotion
from tools.rankings import RankingQuery, RankingResult, format_result_text, lookup_ranking
from tools.rd_credit import RdCreditInput, RdCreditResult, compute_rd_credit, rd_credit_text
from tools.rd_credit_question import rdcredit_from_question
from tools.spec import RuleSlide, ToolProposal, ToolSpec
from tools.tax_compare import TaxCompareInput, TaxCompareResult, compare_countries

__all__ = [
    "TOOLS",
    "RuleSlide",
    "ToolProposal",
    "ToolSpec",
    "generated_tools",
    "get_tool",
    "question_tools",
    "register_tool",
    "unregister_tool",
]

RD_CREDIT = ToolSpec(
    name="rd_credit",
    function=compute_rd_credit,
    input_model=RdCreditInput,
    result_model=RdCreditResult,
    description=(
        "Compute the Japanese R&D tax credit (一般型 or 中小企業技術基盤強化税制, plus OI型) in yen with "
        "every intermediate figure, from this year's R&D, the prior 3 years' R&D, sales and corporate tax."
    ),
    from_question=rdcredit_from_question,
    render_text=rd_credit_text,
    rule_slide=RuleSlide(
        title=rules.SLIDE_RD_TAX,
        topic_ja="控除率カーブ・控除上限",
        topic_en="the credit-rate curve and cap",
    ),
    question_order=90,  # the broadest reader: any question about the credit with amounts
)
LOOKUP_RANKING = ToolSpec(
    name="lookup_ranking",
    function=lookup_ranking,
    input_model=RankingQuery,
    result_model=RankingResult,
    description=(
        "Look up rows of one of the deck's tables (rankings, funding lists, fund budgets) by entity "
        "name, rank, rank range or top N; exact figures as printed in the deck."
    ),
    render_text=format_result_text,
    needs_tables=True,
    generated=False,  # wrapped by hand in the toolkit (table operations, its own text)
)
TAX_COMPARE = ToolSpec(
    name="tax_compare",
    function=compare_countries,
    input_model=TaxCompareInput,
    result_model=TaxCompareResult,
    description=(
        "Compare the R&D tax credit for one R&D spend across Japan, the US, UK, France, Germany and "
        "Korea under the rules the deck's international comparison states."
    ),
    from_question=tax_compare_from_question,
    render_text=tax_compare_text,
    rule_slide=RuleSlide(title=rules.SLIDE_INTERNATIONAL),
    needs_tables=True,  # shows the comparison table's cells as the document prints them
    question_order=30,
)
INNOVATION_BOX = ToolSpec(
    name="innovation_box",
    function=compute_innovation_box,
    input_model=InnovationBoxInput,
    result_model=InnovationBoxResult,
    description=(
        "Compute Japan's innovation-box (イノベーション拠点税制) income deduction (30% of qualifying "
        "licence/transfer income from in-house patents and AI software) in yen."
    ),
    from_question=innovation_box_from_question,
    render_text=innovation_box_text,
    rule_slide=RuleSlide(title=rules.SLIDE_INNOVATION_BOX, query="イノベーション拠点税制"),
    question_order=10,
)
OI_PROMOTION = ToolSpec(
    name="oi_promotion",
    function=compute_oi_promotion,
    input_model=OiPromotionInput,
    result_model=OiPromotionResult,
    description=(
        "Compute the open-innovation promotion tax deduction (25% of the acquisition price of startup "
        "shares, with per-deal and annual limits) in yen."
    ),
    from_question=oi_promotion_from_question,
    render_text=oi_promotion_text,
    rule_slide=RuleSlide(title=rules.SLIDE_OI_PROMOTION, query="オープンイノベーション促進税制"),
    question_order=20,
)

TOOLS: dict[str, ToolSpec] = {
    spec.name: spec for spec in (RD_CREDIT, LOOKUP_RANKING, TAX_COMPARE, INNOVATION_BOX, OI_PROMOTION)
}


def register_tool(spec: ToolSpec) -> ToolSpec:
    """Add a tool: the LLM tool list, the `deckbot` subcommands and the offline planner pick it up.

    Raises:
        ValueError: when a tool of that name is already registered.
    """
    if spec.name in TOOLS:
        raise ValueError(f"a tool named {spec.name!r} is already registered")
    TOOLS[spec.name] = spec
    return spec


def unregister_tool(name: str) -> None:
    """Remove a registered tool (tests add toy tools and take them out again)."""
    TOOLS.pop(name, None)


def get_tool(name: str) -> ToolSpec:
    """Return the tool called `name`.

    Raises:
        KeyError: when no such tool exists.
    """
    return TOOLS[name]


def generated_tools() -> list[ToolSpec]:
    """The tools whose LLM wrapper and CLI subcommand are generated from their spec, in registry order."""
    return [spec for spec in TOOLS.values() if spec.generated]


def question_tools() -> list[ToolSpec]:
    """The generated tools with a `from_question` parser, in the order the offline planner asks them."""
    readers = [spec for spec in generated_tools() if spec.from_question is not None]
    return sorted(readers, key=lambda spec: spec.question_order)
