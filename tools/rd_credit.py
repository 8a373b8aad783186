"""Japanese R&D tax credit (研究開発税制, deck regime): the public names, from the modules by concern.

| module | concern |
|---|---|
| tools/rd_credit_models.py | input and result models, raw-input validation |
| tools/rd_credit_curves.py | rate curves and cap percentages (also used by the chart) |
| tools/rd_credit_compute.py | the computation: types, caps, OI, 90% rule, notes and warnings |
| tools/rd_credit_working.py | the lines of the working and the plain-text rendering |
| tools/rd_credit_rules.py | every rate, cap and named assumption |
"""

from tools.rd_credit_compute import compute_rd_credit
from tools.rd_credit_curves import (
    RateChain,
    bonus_ratio,
    general_base_rate,
    general_cap_pct,
    general_rate_before_truncation,
    general_rate_curve,
    rate_chain,
    sme_base_rate,
    sme_cap_pct,
    sme_rate_before_truncation,
    sme_rate_curve,
    to_fraction,
)
from tools.rd_credit_models import (
    PASSTHROUGH_FIELDS,
    Figure,
    FiscalDate,
    NinetyPercentRule,
    Note,
    OiAmounts,
    OiBreakdown,
    OptionalZeroYen,
    RdCreditInput,
    RdCreditResult,
    ResultWarning,
    TypeBreakdown,
    Yen,
    parse_rdcredit_input,
)
from tools.rd_credit_working import rd_credit_text, summarize_rd_credit

__all__ = [
    "PASSTHROUGH_FIELDS",
    "Figure",
    "FiscalDate",
    "NinetyPercentRule",
    "Note",
    "OiAmounts",
    "OiBreakdown",
    "OptionalZeroYen",
    "RateChain",
    "RdCreditInput",
    "RdCreditResult",
    "ResultWarning",
    "TypeBreakdown",
    "Yen",
    "bonus_ratio",
    "compute_rd_credit",
    "general_base_rate",
    "general_cap_pct",
    "general_rate_before_truncation",
    "general_rate_curve",
    "parse_rdcredit_input",
    "rate_chain",
    "rd_credit_text",
    "sme_base_rate",
    "sme_cap_pct",
    "sme_rate_before_truncation",
    "sme_rate_curve",
    "summarize_rd_credit",
    "to_fraction",
]
