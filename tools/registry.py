"""The deterministic tools the answer engines may call: name -> function, input model, one-line description."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from tools.innovation_box import InnovationBoxInput, compute_innovation_box
from tools.oi_promotion import OiPromotionInput, compute_oi_promotion
from tools.rankings import RankingQuery, lookup_ranking
from tools.rd_credit import RdCreditInput, compute_rd_credit
from tools.tax_compare import TaxCompareInput, compare_countries


@dataclass(frozen=True)
class ToolSpec:
    """One tool: the pure function, the pydantic model of its input, and what it does (shown to models)."""

    name: str
    function: Callable[..., BaseModel]
    input_model: type[BaseModel]
    description: str
    needs_tables: bool = False

    def call(self, arguments: dict[str, Any], *, tables: Any = None) -> BaseModel:
        """Validate `arguments` against the input model and run the function.

        Args:
            arguments: Raw arguments (e.g. from a model's tool call).
            tables: The TableSet, for tools that read the deck's tables.

        Raises:
            pydantic.ValidationError: when the arguments do not fit the input model.
        """
        parsed = self.input_model.model_validate(arguments)
        if self.needs_tables:
            return self.function(tables, parsed)
        return self.function(parsed)


TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec(
            name="rd_credit",
            function=compute_rd_credit,
            input_model=RdCreditInput,
            description=(
                "Compute the Japanese R&D tax credit (一般型 or 中小企業技術基盤強化税制, plus OI型) in yen with every "
                "intermediate figure, from this year's R&D, the prior 3 years' R&D, sales and corporate tax."
            ),
        ),
        ToolSpec(
            name="lookup_ranking",
            function=lookup_ranking,
            input_model=RankingQuery,
            description=(
                "Look up rows of one of the deck's tables (rankings, funding lists, fund budgets) by entity name, "
                "rank, rank range or top N; exact figures as printed in the deck."
            ),
            needs_tables=True,
        ),
        ToolSpec(
            name="tax_compare",
            function=compare_countries,
            input_model=TaxCompareInput,
            description=(
                "Compare the R&D tax credit for one R&D spend across Japan, the US, UK, France, Germany and Korea "
                "under the rules the deck's international comparison states."
            ),
        ),
        ToolSpec(
            name="innovation_box",
            function=compute_innovation_box,
            input_model=InnovationBoxInput,
            description=(
                "Compute Japan's innovation-box (イノベーション拠点税制) income deduction (30% of qualifying "
                "licence/transfer income from in-house patents and AI software) in yen."
            ),
        ),
        ToolSpec(
            name="oi_promotion",
            function=compute_oi_promotion,
            input_model=OiPromotionInput,
            description=(
                "Compute the open-innovation promotion tax deduction (25% of the acquisition price of startup "
                "shares, with per-deal and annual limits) in yen."
            ),
        ),
    )
}


def get_tool(name: str) -> ToolSpec:
    """Return the tool called `name`.

    Raises:
        KeyError: when no such tool exists.
    """
    return TOOLS[name]
