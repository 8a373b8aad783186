"""Same R&D spend under the deck's Japan, US, UK, France, Germany, Korea rules (its international-comparison slide).

Amounts stay in each country's currency unless exchange rates (JPY per unit) are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from tools import rd_credit_rules as rules
from tools.errors import ToolInputError, tool_error_from_validation
from tools.rd_credit_compute import compute_rd_credit
from tools.rd_credit_curves import to_fraction
from tools.rd_credit_models import Figure, RdCreditInput, ResultWarning, Yen
from tools.rd_credit_rules import Ratio, format_percent
from tools.spec import Cli
from tools.tax_compare_rules import ComparisonCells, comparison_cells, deck_cell, limit, rate

if TYPE_CHECKING:
    from tools.rankings import TableSet

Size = Literal["large", "mid", "sme"]
KoreaField = Literal["general", "new_growth", "national_strategic"]
CURRENCIES = {"japan": "JPY", "us": "USD", "uk": "GBP", "france": "EUR", "germany": "EUR", "korea": "KRW"}
NAMES_JA = {
    "japan": "日本",
    "us": "米国",
    "uk": "英国",
    "france": "フランス",
    "germany": "ドイツ",
    "korea": "韓国",
}


def _upper_keys(value: Any) -> Any:
    """Currency codes in any case (``usd=150`` on the command line)."""
    return (
        {str(key).strip().upper(): rate for key, rate in value.items()} if isinstance(value, dict) else value
    )


class TaxCompareInput(BaseModel):
    """One R&D spend to compare across the deck's six countries."""

    model_config = ConfigDict(extra="forbid")

    rd: Yen = Field(
        description="R&D spend: in JPY when fx_rates are given, otherwise read as each country's unit"
    )
    prior_rd: Annotated[list[Yen], Cli(names=("--prior",))] = Field(
        default_factory=list, description="prior 1-3 years' R&D (same unit as rd)"
    )
    sales: list[Yen] | None = Field(
        None, description="sales, current year first (Japan intensity, Korea large rate)"
    )
    tax: Yen | None = Field(None, description="Japan 調整前法人税額 (applies the Japanese cap)")
    size: Size = Field("large", description="company size: large / mid (中堅, Korea only) / sme")
    fx_rates: Annotated[dict[str, str], BeforeValidator(_upper_keys), Cli(names=("--fx",))] = Field(
        default_factory=dict, description="JPY per unit, e.g. {'USD': '150'}"
    )
    fx_date: str | None = Field(None, description="date of the exchange rates")
    uk_payroll_taxes: Annotated[Yen | None, Cli(names=("--uk-payroll",))] = Field(
        None, description="UK PAYE + NIC paid, GBP (for the UK cap)"
    )
    france_innovation_costs: Yen | None = Field(None, description="France SME innovation costs, EUR")
    korea_field: KoreaField = Field("general", description="Korea: general / 新成長・源泉技術 / 国家戦略技術")

    @field_validator("prior_rd")
    @classmethod
    def _at_most_three(cls, value: list[int]) -> list[int]:
        if len(value) > 3:
            raise ToolInputError(
                "prior_rd", "前事業年度の研究開発費は3年分までです。", "prior_rd takes at most 3 years."
            )
        return value

    @field_validator("fx_rates")
    @classmethod
    def _positive_rates(cls, value: dict[str, str]) -> dict[str, str]:
        for currency, jpy in value.items():
            try:
                ok = to_fraction(jpy) > 0
            except (ValueError, ZeroDivisionError):
                ok = False
            if not ok or currency not in set(CURRENCIES.values()):
                raise ToolInputError(
                    "fx_rates",
                    f"為替レート {currency}={jpy} が正しくありません（例: USD=150）。",
                    f"Bad exchange rate {currency}={jpy} (e.g. USD=150, JPY per unit).",
                )
        return value


class MethodResult(BaseModel):
    """One way of computing a country's credit."""

    name_ja: str
    name_en: str
    rate_text: str = Field(description="the deck's rate wording, e.g. '研究開発費×20%'")
    credit_local: str = Field(description="credit in local currency, truncated to 2 decimals")
    credit_high_local: str | None = Field(None, description="upper end when the deck gives only a range")


class CountryResult(BaseModel):
    """A country's credit for the same spend."""

    country: str
    name_ja: str
    currency: str
    rd_local: str = Field(description="R&D in local currency (decimal string)")
    methods: list[MethodResult]
    best_method: str = Field(description="name_en of the method giving the larger credit")
    credit_local: str = Field(description="credit of the best method after the cap, local currency")
    credit_jpy: int | None = Field(None, description="credit in yen, when an exchange rate was given")
    cap_text: str = Field(description="the deck's cap wording")
    carry_forward: str
    refundable: str
    overseas_contract_rd: str
    simplifications: list[str]


class TaxCompareResult(BaseModel):
    """All six countries, with the working."""

    input: TaxCompareInput
    countries: list[CountryResult]
    steps: list[Figure]
    notes: list[str]
    warnings: list[ResultWarning]


def parse_tax_compare_input(data: Mapping[str, Any]) -> TaxCompareInput:
    """Validate raw input, raising a bilingual ToolInputError naming the field."""
    try:
        return TaxCompareInput.model_validate({k: v for k, v in dict(data).items() if v is not None})
    except ValidationError as error:
        raise tool_error_from_validation(error) from None


def _money(value: Fraction) -> str:
    """Local-currency amount truncated to 2 decimals."""
    cents = (value.numerator * 100) // value.denominator
    return rules.exact_decimal(Fraction(cents, 100), 2)


def _display(value: Fraction) -> str:
    """Local-currency amount for display: thousands separators, at most 2 decimals."""
    whole, _, cents = _money(value).partition(".")
    return f"{int(whole):,}" + (f".{cents}" if cents else "")


@dataclass
class _Comparison:
    """One comparison's input and exchange rates, and the working rows collected so far."""

    inp: TaxCompareInput
    rates: dict[str, Fraction]
    cells: ComparisonCells
    countries: list[CountryResult] = field(default_factory=list)
    steps: list[Figure] = field(default_factory=list)

    @property
    def prior_avg(self) -> Fraction | None:
        prior = self.inp.prior_rd
        return Fraction(sum(prior), len(prior)) if prior else None

    def local(self, country: str, amount: Fraction) -> Fraction:
        """An amount (JPY when rates are given) in the country's currency."""
        currency = CURRENCIES[country]
        return amount / self.rates[currency] if currency in self.rates else amount

    def add(
        self,
        country: str,
        methods: list[MethodResult],
        credit: Fraction,
        simplifications: list[str],
        best: MethodResult | None = None,
    ) -> None:
        """Record one country's result and its working row; `best` is the method used (default the first)."""
        best = best or methods[0]
        currency, name_ja = CURRENCIES[country], NAMES_JA[country]
        credit_jpy = None
        if country == "japan":
            credit_jpy = rules.floor_yen(credit)
        elif currency in self.rates:
            credit_jpy = rules.floor_yen(credit * self.rates[currency])
        self.countries.append(
            CountryResult(
                country=country,
                name_ja=name_ja,
                currency=currency,
                rd_local=_money(self.local(country, Fraction(self.inp.rd))),
                methods=methods,
                best_method=best.name_en,
                credit_local=_money(credit),
                credit_jpy=credit_jpy,
                cap_text=deck_cell(self.cells, country, "控除上限"),
                carry_forward=deck_cell(self.cells, country, "繰越制度"),
                refundable=deck_cell(self.cells, country, "給付付き税額控除"),
                overseas_contract_rd=deck_cell(self.cells, country, "海外委託費"),
                simplifications=simplifications,
            )
        )
        self.steps.append(_working_row(country, name_ja, currency, methods, best, credit))


def _working_row(
    country: str,
    name_ja: str,
    currency: str,
    methods: list[MethodResult],
    best: MethodResult,
    credit: Fraction,
) -> Figure:
    def method_text(m: MethodResult) -> str:
        text = f"{m.name_ja}: {m.rate_text} = {_display(Fraction(m.credit_local))}"
        text += f"〜{_display(Fraction(m.credit_high_local))}" if m.credit_high_local else ""
        return text + ("（採用）" if m is best and len(methods) > 1 else "")

    return Figure(
        key=f"{country}_credit",
        label_ja=f"{name_ja}の控除額",
        label_en=f"{country} credit",
        value=f"{_display(credit)} {currency}",
        working=" / ".join(method_text(m) for m in methods),
        slide=rules.SLIDE_INTERNATIONAL,
        heading=rules.HEADING_INTERNATIONAL,
    )


def _japan(cmp: _Comparison) -> None:
    inp, simplifications = cmp.inp, []
    prior = inp.prior_rd
    if not prior:
        prior = [inp.rd]
        simplifications.append(
            "前年度の研究開発費の入力なし: 増減なし（8.5%）と仮定 / prior R&D not given: no change assumed"
        )
    company: Literal["large", "sme"] = "sme" if inp.size == "sme" else "large"
    result = compute_rd_credit(
        RdCreditInput(rd=inp.rd, prior_rd=prior, sales=inp.sales, tax=inp.tax, company=company)
    )
    applied = result.applied
    simplifications += [f"{note.id}: {note.text_ja} / {note.text_en}" for note in result.notes]
    method = MethodResult(
        name_ja="一般型" if applied.kind == "general" else "中小型",
        name_en=applied.kind,
        rate_text=f"研究開発費×{applied.rate.percent}",
        credit_local=str(result.total_credit),
    )
    cmp.add("japan", [method], Fraction(result.total_credit), simplifications)


def _us(cmp: _Comparison) -> None:
    rd = cmp.local("us", Fraction(cmp.inp.rd))
    methods = [
        MethodResult(
            name_ja="標準税額控除法",
            name_en="regular",
            rate_text="研究開発費×10%（最大）",
            credit_local=_money(rd * rate("us", "regular")),
        )
    ]
    simplifications = [
        "標準税額控除法は資料の「×10%（最大）」で計算（実際は基準額超過分の20%） / "
        "regular credit uses the deck's '10% (max)'",
        "他の政策減税と合算した約75%の上限は考慮せず / the ~75% combined limit is not applied",
    ]
    if cmp.prior_avg is not None:
        asc_base = max(rd - cmp.local("us", cmp.prior_avg) * rate("us", "asc_base_share"), Fraction(0))
        methods.append(
            MethodResult(
                name_ja="代替簡易税額控除法",
                name_en="ASC",
                rate_text="（研究開発費−過去3年平均×1/2）×14%",
                credit_local=_money(asc_base * rate("us", "asc")),
            )
        )
    else:
        simplifications.append(
            "過去3年の研究開発費の入力なし: 代替簡易法は計算せず / prior R&D not given: ASC not computed"
        )
    best = max(methods, key=lambda m: Fraction(m.credit_local))
    cmp.add("us", methods, Fraction(best.credit_local), simplifications, best)


def _uk(cmp: _Comparison) -> None:
    credit = cmp.local("uk", Fraction(cmp.inp.rd)) * rate("uk", "rdec")
    simplifications = [
        "RDECが英国で課税所得となる点は資料どおり考慮せず / RDEC being taxable is ignored, as in the deck"
    ]
    if cmp.inp.uk_payroll_taxes is not None:
        cap = limit("uk", "cap_fixed") + limit("uk", "cap_payroll_multiple") * Fraction(
            cmp.inp.uk_payroll_taxes
        )
        credit = min(credit, cap)
    else:
        simplifications.append(
            "源泉徴収税・社会保険料の入力なし: 上限なしとして計算 / payroll taxes not given: uncapped"
        )
    method = MethodResult(
        name_ja="研究開発費×20%", name_en="RDEC", rate_text="研究開発費×20%", credit_local=_money(credit)
    )
    cmp.add("uk", [method], credit, simplifications)


def _france(cmp: _Comparison) -> None:
    rd = cmp.local("france", Fraction(cmp.inp.rd))
    threshold = Fraction(limit("france", "cir_threshold"))
    credit = min(rd, threshold) * rate("france", "cir") + max(rd - threshold, Fraction(0)) * rate(
        "france", "cir_above"
    )
    simplifications = []
    methods = [
        MethodResult(
            name_ja="研究開発税額控除",
            name_en="CIR",
            rate_text="研究開発費×30%（1億ユーロ以下）＋×5%（超過分）",
            credit_local=_money(credit),
        )
    ]
    if cmp.inp.size == "sme" and cmp.inp.france_innovation_costs is not None:
        costs = min(Fraction(cmp.inp.france_innovation_costs), Fraction(limit("france", "cii_cap")))
        innovation = costs * rate("france", "cii")
        credit += innovation
        methods.append(
            MethodResult(
                name_ja="中小企業イノベーション税額控除",
                name_en="CII",
                rate_text="イノベーション費用×20%（上限40万ユーロ）",
                credit_local=_money(innovation),
            )
        )
        simplifications.append(
            "40万ユーロはイノベーション費用の上限と解釈 [M] / €400k read as the cost-base limit"
        )
    cmp.add("france", methods, credit, simplifications)


def _germany(cmp: _Comparison) -> None:
    sme = cmp.inp.size == "sme"
    germany_rate = rate("germany", "sme" if sme else "large")
    cap = Fraction(limit("germany", "cap_sme" if sme else "cap_large"))
    credit = min(cmp.local("germany", Fraction(cmp.inp.rd)) * germany_rate, cap)
    method = MethodResult(
        name_ja="研究開発費×" + format_percent(germany_rate),
        name_en="Forschungszulage",
        rate_text="研究開発費×25%（中小企業35%）",
        credit_local=_money(credit),
    )
    cmp.add("germany", [method], credit, ["上限は控除額の絶対額 / the caps are absolute credit amounts"])


# Korea's priority fields (新成長・源泉技術 / 国家戦略技術): rate ranges by size, from the deck's Korea table
# (korea_rd_tax_rates: large companies) and the comparison's 重点分野 (SMEs); no formula in the deck.
_KOREA_FIELD_RANGES = {
    "new_growth": {"large": ("20", "30"), "mid": ("20", "30"), "sme": ("30", "40")},
    "national_strategic": {"large": ("30", "40"), "mid": ("30", "40"), "sme": ("40", "50")},
}


def _korea_volume(cmp: _Comparison, rd: Fraction, simplifications: list[str]) -> MethodResult:
    inp = cmp.inp
    if inp.size != "large":
        kr_rate = rate("korea", "volume_mid" if inp.size == "mid" else "volume_sme")
        rate_text = f"研究開発費×{format_percent(kr_rate)}"
    elif inp.sales:
        intensity = Fraction(inp.rd) / Fraction(sum(inp.sales), len(inp.sales))
        kr_rate = min(intensity / 2, rate("korea", "volume_large_max"))
        rate_text = f"研究開発費×{format_percent(kr_rate)}（売上高研究開発費比率×0.5、上限2%）"
    else:
        kr_rate = rate("korea", "volume_large_max")
        rate_text = "研究開発費×2%（上限値。売上の入力なし）"
        simplifications.append(
            "売上の入力なし: 大企業の一般技術は上限2%で計算 / sales not given: the 2% maximum is used"
        )
    return MethodResult(
        name_ja="当期分方式", name_en="volume", rate_text=rate_text, credit_local=_money(rd * kr_rate)
    )


def _korea(cmp: _Comparison) -> None:
    inp = cmp.inp
    rd = cmp.local("korea", Fraction(inp.rd))
    simplifications = ["最低限税（他の政策減税と合算）は考慮せず / the Korean minimum tax is not applied"]
    methods = [_korea_volume(cmp, rd, simplifications)]
    if cmp.prior_avg is not None:
        inc_rate = rate("korea", f"increment_{inp.size}")
        increase = max(rd - cmp.local("korea", cmp.prior_avg), Fraction(0))
        methods.append(
            MethodResult(
                name_ja="増加分方式",
                name_en="increment",
                rate_text=f"研究開発費の増加額×{format_percent(inc_rate)}",
                credit_local=_money(increase * inc_rate),
            )
        )
        simplifications.append(
            "増加額の基準は資料に記載がないため過去の平均と仮定 / the increase base is not stated; the prior "
            "average is used"
        )
    if inp.korea_field != "general":
        low, high = _KOREA_FIELD_RANGES[inp.korea_field][inp.size]
        methods.append(
            MethodResult(
                name_ja="新成長・源泉技術" if inp.korea_field == "new_growth" else "国家戦略技術",
                name_en=inp.korea_field,
                rate_text=f"研究開発費×{low}～{high}%（売上高比率連動）",
                credit_local=_money(rd * rules.pct(low)),
                credit_high_local=_money(rd * rules.pct(high)),
            )
        )
        simplifications.append(
            "重点分野の控除率は範囲の下限で計算（算式は資料になし） / the priority-field rate uses the lower "
            "end of the range (no formula in the deck)"
        )
    best = max(methods, key=lambda m: Fraction(m.credit_local))
    cmp.add("korea", methods, Fraction(best.credit_local), simplifications, best)


def _notes(inp: TaxCompareInput, rates: dict[str, Fraction]) -> tuple[list[str], list[ResultWarning]]:
    notes = [
        "資料の国際比較の記載どおりに単純化して計算 / "
        "computed from the deck's table as written",
        "換算レートの指定がない国は同じ数値をその国の通貨単位として計算 / without an exchange rate, the same "
        "number is read in each country's currency",
    ]
    warnings: list[ResultWarning] = []
    if rates:
        notes.append(
            f"為替レート（円/単位）: {dict(inp.fx_rates)}" + (f" {inp.fx_date}時点" if inp.fx_date else "")
        )
        if not inp.fx_date:
            warnings.append(
                ResultWarning(
                    code="fx-date-missing",
                    text_ja="為替レートの基準日が指定されていません。",
                    text_en="The exchange rates' date was not given.",
                )
            )
    return notes, warnings


def compare_countries(tables: TableSet | None, inp: TaxCompareInput) -> TaxCompareResult:
    """Compute the R&D credit for the same spend under each country's rules as the deck states them.

    Args:
        tables: The document's tables: the comparison table's cells (cap, carry-forward, refund, overseas
            contract R&D) are shown as it prints them.
        inp: validated input.

    Returns:
        One CountryResult per country (Japan, US, UK, France, Germany, Korea), with simplifications stated.
    """
    cmp = _Comparison(
        inp=inp,
        rates={currency: to_fraction(rate) for currency, rate in inp.fx_rates.items()},
        cells=comparison_cells(tables),
    )
    for country in (_japan, _us, _uk, _france, _germany, _korea):
        country(cmp)
    spend = Figure(
        key="rd",
        label_ja="研究開発費",
        label_en="R&D spend",
        value=f"{inp.rd:,}",
        yen=inp.rd,
        working="",
        slide=rules.SLIDE_INTERNATIONAL,
        heading=rules.HEADING_INTERNATIONAL,
    )
    notes, warnings = _notes(inp, cmp.rates)
    return TaxCompareResult(
        input=inp, countries=cmp.countries, steps=[spend, *cmp.steps], notes=notes, warnings=warnings
    )


__all__ = [
    "CountryResult",
    "MethodResult",
    "Ratio",
    "TaxCompareInput",
    "TaxCompareResult",
    "compare_countries",
    "parse_tax_compare_input",
]
