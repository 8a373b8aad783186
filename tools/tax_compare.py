"""Same R&D spend under the deck's Japan, US, UK, France, Germany, Korea rules (研究開発税制国際比較).

Amounts stay in each country's currency unless exchange rates (JPY per unit) are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tools import rd_credit_rules as rules
from tools.errors import ToolInputError, tool_error_from_validation
from tools.rd_credit import Figure, RdCreditInput, ResultWarning, Yen, compute_rd_credit, to_fraction
from tools.rd_credit_rules import Ratio, format_percent

Size = Literal["large", "mid", "sme"]
KoreaField = Literal["general", "new_growth", "national_strategic"]
CURRENCIES = {"japan": "JPY", "us": "USD", "uk": "GBP", "france": "EUR", "germany": "EUR", "korea": "KRW"}


class TaxCompareInput(BaseModel):
    """One R&D spend to compare across the deck's six countries."""

    model_config = ConfigDict(extra="forbid")

    rd: Yen = Field(
        description="R&D spend: in JPY when fx_rates are given, otherwise read as each country's unit"
    )
    prior_rd: list[Yen] = Field(default_factory=list, description="prior 1-3 years' R&D (same unit as rd)")
    sales: list[Yen] | None = Field(
        None, description="sales, current year first (Japan intensity, Korea large rate)"
    )
    tax: Yen | None = Field(None, description="Japan 調整前法人税額 (applies the Japanese cap)")
    size: Size = Field("large", description="company size: large / mid (中堅, Korea only) / sme")
    fx_rates: dict[str, str] = Field(default_factory=dict, description="JPY per unit, e.g. {'USD': '150'}")
    fx_date: str | None = Field(None, description="date of the exchange rates")
    uk_payroll_taxes: Yen | None = Field(None, description="UK PAYE + NIC paid, GBP (for the UK cap)")
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
        for currency, rate in value.items():
            try:
                ok = to_fraction(rate) > 0
            except (ValueError, ZeroDivisionError):
                ok = False
            if not ok or currency not in set(CURRENCIES.values()):
                raise ToolInputError(
                    "fx_rates",
                    f"為替レート {currency}={rate} が正しくありません（例: USD=150）。",
                    f"Bad exchange rate {currency}={rate} (e.g. USD=150, JPY per unit).",
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


def _japan(inp: TaxCompareInput, rd: int) -> tuple[list[MethodResult], Fraction, list[str]]:
    simplifications = []
    prior = inp.prior_rd
    if not prior:
        prior = [rd]
        simplifications.append(
            "前年度の研究開発費の入力なし: 増減なし（8.5%）と仮定 / prior R&D not given: no change assumed"
        )
    company: Literal["large", "sme"] = "sme" if inp.size == "sme" else "large"
    result = compute_rd_credit(
        RdCreditInput(rd=rd, prior_rd=prior, sales=inp.sales, tax=inp.tax, company=company)
    )
    applied = result.applied
    simplifications += [f"{note.id}: {note.text_ja} / {note.text_en}" for note in result.notes]
    name_ja = "一般型" if applied.kind == "general" else "中小型"
    methods = [
        MethodResult(
            name_ja=name_ja,
            name_en=applied.kind,
            rate_text=f"研究開発費×{applied.rate.percent}",
            credit_local=str(result.total_credit),
        )
    ]
    return methods, Fraction(result.total_credit), simplifications


def compare_countries(inp: TaxCompareInput) -> TaxCompareResult:
    """Compute the R&D credit for the same spend under each country's rules as the deck states them.

    Args:
        inp: validated input.

    Returns:
        One CountryResult per country (Japan, US, UK, France, Germany, Korea), with simplifications stated.
    """
    rates = {currency: to_fraction(rate) for currency, rate in inp.fx_rates.items()}
    warnings: list[ResultWarning] = []
    notes = [
        "資料の「研究開発税制国際比較」の記載どおりに単純化して計算 / comp"
        "uted from the deck's table as written",
        "換算レートの指定がない国は同じ数値をその国の通貨単位として計算 / without an exchange rate, the same "
        "number is read in each country's currency",
    ]
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
    countries: list[CountryResult] = []
    steps: list[Figure] = []
    prior_avg = Fraction(sum(inp.prior_rd), len(inp.prior_rd)) if inp.prior_rd else None

    def local(country: str, amount: Fraction) -> Fraction:
        currency = CURRENCIES[country]
        return amount / rates[currency] if currency in rates else amount

    def add(
        country: str,
        name_ja: str,
        methods: list[MethodResult],
        best: MethodResult,
        credit: Fraction,
        cap_text: str,
        carry: str,
        refund: str,
        overseas: str,
        simplifications: list[str],
    ) -> None:
        currency = CURRENCIES[country]
        credit_jpy = None
        if country == "japan":
            credit_jpy = rules.floor_yen(credit)
        elif currency in rates:
            credit_jpy = rules.floor_yen(credit * rates[currency])
        countries.append(
            CountryResult(
                country=country,
                name_ja=name_ja,
                currency=currency,
                rd_local=_money(local(country, Fraction(inp.rd))),
                methods=methods,
                best_method=best.name_en,
                credit_local=_money(credit),
                credit_jpy=credit_jpy,
                cap_text=cap_text,
                carry_forward=carry,
                refundable=refund,
                overseas_contract_rd=overseas,
                simplifications=simplifications,
            )
        )
        steps.append(
            Figure(
                key=f"{country}_credit",
                label_ja=f"{name_ja}の控除額",
                label_en=f"{country} credit",
                value=f"{_display(credit)} {currency}",
                working=" / ".join(
                    f"{m.name_ja}: {m.rate_text} = {_display(Fraction(m.credit_local))}"
                    + (f"〜{_display(Fraction(m.credit_high_local))}" if m.credit_high_local else "")
                    + ("（採用）" if m is best and len(methods) > 1 else "")
                    for m in methods
                ),
                slide=rules.SLIDE_INTERNATIONAL,
                heading=rules.HEADING_INTERNATIONAL,
            )
        )

    # Japan
    methods, credit, simp = _japan(inp, inp.rd)
    add(
        "japan",
        "日本",
        methods,
        methods[0],
        credit,
        "原則25%(変動型±5% or 上乗せ型0～10%+ベンチャー特例15%)+OI型10%",
        "×",
        "×",
        "○",
        simp,
    )

    # US
    rd = local("us", Fraction(inp.rd))
    standard = MethodResult(
        name_ja="標準税額控除法",
        name_en="regular",
        rate_text="研究開発費×10%（最大）",
        credit_local=_money(rd * rules.pct("10")),
    )
    us_methods = [standard]
    simp = [
        "標準税額控除法は資料の「×10%（最大）」で計算（実際は基準額超過分の2"
        "0%） / regular credit uses the deck's "
        "'10% (max)'",
        "他の政策減税と合算した約75%の上限は考慮せず / the ~75% combined limit is not applied",
    ]
    if prior_avg is not None:
        asc_base = max(rd - local("us", prior_avg) / 2, Fraction(0))
        us_methods.append(
            MethodResult(
                name_ja="代替簡易税額控除法",
                name_en="ASC",
                rate_text="（研究開発費−過去3年平均×1/2）×14%",
                credit_local=_money(asc_base * rules.pct("14")),
            )
        )
    else:
        simp.append(
            "過去3年の研究開発費の入力なし: 代替簡易法は計算せず / prior R&D not given: ASC not computed"
        )
    best = max(us_methods, key=lambda m: Fraction(m.credit_local))
    add(
        "us",
        "米国",
        us_methods,
        best,
        Fraction(best.credit_local),
        "上限なし（他の政策減税と合算し最大約75%）",
        "20年",
        "×",
        "×",
        simp,
    )

    # UK
    rd = local("uk", Fraction(inp.rd))
    credit = rd * rules.pct("20")
    simp = [
        "RDECが英国で課税所得となる点は資料どおり考慮せず / RDEC being taxable is ignored, as in the deck"
    ]
    if inp.uk_payroll_taxes is not None:
        cap = 20_000 + 3 * Fraction(inp.uk_payroll_taxes)
        credit = min(credit, cap)
    else:
        simp.append(
            "源泉徴収税・社会保険料の入力なし: 上限なしとして計算 / payroll taxes not given: uncapped"
        )
    method = MethodResult(
        name_ja="研究開発費×20%", name_en="RDEC", rate_text="研究開発費×20%", credit_local=_money(credit)
    )
    add(
        "uk",
        "英国",
        [method],
        method,
        credit,
        "2万ポンド+3×(源泉徴収税額と社会保険料の合計支払額)",
        "無期限",
        "○",
        "△（国内でできない研究開発である等の要件あり）",
        simp,
    )

    # France
    rd = local("france", Fraction(inp.rd))
    threshold = Fraction(100_000_000)
    credit = min(rd, threshold) * rules.pct("30") + max(rd - threshold, Fraction(0)) * rules.pct("5")
    simp = []
    fr_methods = [
        MethodResult(
            name_ja="研究開発税額控除",
            name_en="CIR",
            rate_text="研究開発費×30%（1億ユーロ以下）＋×5%（超過分）",
            credit_local=_money(credit),
        )
    ]
    if inp.size == "sme" and inp.france_innovation_costs is not None:
        innovation = min(Fraction(inp.france_innovation_costs), Fraction(400_000)) * rules.pct("20")
        credit += innovation
        fr_methods.append(
            MethodResult(
                name_ja="中小企業イノベーション税額控除",
                name_en="CII",
                rate_text="イノベーション費用×20%（上限40万ユーロ）",
                credit_local=_money(innovation),
            )
        )
        simp.append("40万ユーロはイノベーション費用の上限と解釈 [M] / €400k read as the cost-base limit")
    add(
        "france",
        "フランス",
        fr_methods,
        fr_methods[0],
        credit,
        "上限なし",
        "3年（相殺されなければ給付）",
        "○",
        "△（EU圏内のみ）",
        simp,
    )

    # Germany
    rd = local("germany", Fraction(inp.rd))
    rate, cap = (
        (rules.pct("35"), Fraction(3_500_000))
        if inp.size == "sme"
        else (rules.pct("25"), Fraction(2_500_000))
    )
    credit = min(rd * rate, cap)
    method = MethodResult(
        name_ja="研究開発費×" + format_percent(rate),
        name_en="Forschungszulage",
        rate_text="研究開発費×25%（中小企業35%）",
        credit_local=_money(credit),
    )
    add(
        "germany",
        "ドイツ",
        [method],
        method,
        credit,
        "大企業250万ユーロ、中小企業350万ユーロ",
        "×",
        "○",
        "△（EU圏内のみ）",
        ["上限は控除額の絶対額 / the caps are absolute credit amounts"],
    )

    # Korea
    rd = local("korea", Fraction(inp.rd))
    simp = ["最低限税（他の政策減税と合算）は考慮せず / the Korean minimum tax is not applied"]
    kr_methods: list[MethodResult] = []
    if inp.size == "large":
        if inp.sales:
            intensity = Fraction(inp.rd) / Fraction(sum(inp.sales), len(inp.sales))
            kr_rate = min(intensity / 2, rules.pct("2"))
            rate_text = f"研究開発費×{format_percent(kr_rate)}（売上高研究開発費比率×0.5、上限2%）"
        else:
            kr_rate = rules.pct("2")
            rate_text = "研究開発費×2%（上限値。売上の入力なし）"
            simp.append(
                "売上の入力なし: 大企業の一般技術は上限2%で計算 / sales not given: the 2% maximum is used"
            )
    else:
        kr_rate = rules.pct("8") if inp.size == "mid" else rules.pct("25")
        rate_text = f"研究開発費×{format_percent(kr_rate)}"
    kr_methods.append(
        MethodResult(
            name_ja="当期分方式", name_en="volume", rate_text=rate_text, credit_local=_money(rd * kr_rate)
        )
    )
    if prior_avg is not None:
        inc_rate = {"large": rules.pct("25"), "mid": rules.pct("40"), "sme": rules.pct("50")}[inp.size]
        increase = max(rd - local("korea", prior_avg), Fraction(0))
        kr_methods.append(
            MethodResult(
                name_ja="増加分方式",
                name_en="increment",
                rate_text=f"研究開発費の増加額×{format_percent(inc_rate)}",
                credit_local=_money(increase * inc_rate),
            )
        )
        simp.append(
            "増加額の基準は資料に記載がないため過去の平均と仮定 / the increase base is not stated; the prior "
            "average is used"
        )
    if inp.korea_field != "general":
        ranges = {
            "new_growth": {"large": ("20", "30"), "mid": ("20", "30"), "sme": ("30", "40")},
            "national_strategic": {"large": ("30", "40"), "mid": ("30", "40"), "sme": ("40", "50")},
        }
        low, high = ranges[inp.korea_field][inp.size]
        kr_methods.append(
            MethodResult(
                name_ja="新成長・源泉技術" if inp.korea_field == "new_growth" else "国家戦略技術",
                name_en=inp.korea_field,
                rate_text=f"研究開発費×{low}～{high}%（売上高比率連動）",
                credit_local=_money(rd * rules.pct(low)),
                credit_high_local=_money(rd * rules.pct(high)),
            )
        )
        simp.append(
            "重点分野の控除率は範囲の下限で計算（算式は資料になし） / the priority-field rate uses the lower "
            "end of the range (no formula in the deck)"
        )
    best = max(kr_methods, key=lambda m: Fraction(m.credit_local))
    add(
        "korea",
        "韓国",
        kr_methods,
        best,
        Fraction(best.credit_local),
        "上限なし（他の政策減税と合算した最低限税率あり）",
        "10年",
        "×",
        "○",
        simp,
    )
    steps.insert(
        0,
        Figure(
            key="rd",
            label_ja="研究開発費",
            label_en="R&D spend",
            value=f"{inp.rd:,}",
            yen=inp.rd,
            working="",
            slide=rules.SLIDE_INTERNATIONAL,
            heading=rules.HEADING_INTERNATIONAL,
        ),
    )
    return TaxCompareResult(input=inp, countries=countries, steps=steps, notes=notes, warnings=warnings)


__all__ = [
    "CountryResult",
    "MethodResult",
    "Ratio",
    "TaxCompareInput",
    "TaxCompareResult",
    "compare_countries",
    "parse_tax_compare_input",
]
