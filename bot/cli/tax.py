"""`deckbot rdcredit | taxcompare | innovationbox | oipromotion`: the tax calculators on the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from tools.amounts import parse_amount
from tools.errors import ToolInputError
from tools.innovation_box import InnovationBoxResult, compute_innovation_box, parse_innovation_box_input
from tools.oi_promotion import OiPromotionResult, compute_oi_promotion, parse_oi_promotion_input
from tools.rd_credit import (
    PASSTHROUGH_FIELDS,
    Figure,
    RdCreditInput,
    RdCreditResult,
    compute_rd_credit,
    parse_rdcredit_input,
)
from tools.tax_compare import TaxCompareResult, compare_countries, parse_tax_compare_input

EXIT_BAD_INPUT = 2


class GreedyListCommand(click.Command):
    """A command whose list options take several values after one flag (``--prior 10億 10億 10億``).

    Arguments are rewritten to repeated flags (``--prior 10億 --prior 10億``) before click parses them,
    so values up to the next ``--option`` belong to the list option.
    """

    greedy_options: tuple[str, ...] = ()

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rewritten: list[str] = []
        current: str | None = None
        for arg in args:
            if arg.startswith("--"):
                name = arg.split("=", 1)[0]
                current = name if name in self.greedy_options and "=" not in arg else None
                rewritten.append(arg)
                continue
            if current is not None and rewritten and rewritten[-1] != current:
                rewritten.append(current)
            rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


class RdCreditCommand(GreedyListCommand):
    greedy_options = ("--prior", "--sales")


def _fail(error: ToolInputError) -> None:
    click.echo(f"エラー: {error.message_ja}\nError: {error.message_en}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _print_json(model: BaseModel) -> None:
    click.echo(model.model_dump_json())


def _source(figure: Figure) -> str:
    return figure.slide + (f" {figure.heading}" if figure.heading else "")


def _figures_table(title: str, figures: Sequence[Figure]) -> Table:
    """The working as a table; one shared slide goes in the caption to leave room for the arithmetic."""
    sources = {_source(figure) for figure in figures}
    caption = f"根拠 / source: {sources.pop()}" if len(sources) == 1 else None
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    table.add_column("項目 / item")
    table.add_column("値 / value", justify="right", no_wrap=True)
    table.add_column("計算 / working", overflow="fold")
    if caption is None:
        table.add_column("根拠 / source", overflow="fold")
    for figure in figures:
        row = [f"{figure.label_ja}\n{figure.label_en}", figure.value, f"{figure.working} [{figure.basis}]"]
        if caption is None:
            row.append(_source(figure))
        table.add_row(*row)
    return table


def _render_rd(result: RdCreditResult, console: Console) -> None:
    applied = result.applied
    name = "一般型 / general type" if applied.kind == "general" else "中小企業技術基盤強化税制 / SME type"
    console.print(_figures_table(name, applied.steps))
    if result.oi is not None:
        console.print(_figures_table("オープンイノベーション型 / open-innovation type", result.oi.steps))
    if result.ninety_percent_rule is not None and result.ninety_percent_rule.steps:
        console.print(_figures_table("90%ルール / 90% rule", result.ninety_percent_rule.steps))
    console.print(f"[bold]税額控除額合計 / total credit: {result.total_credit:,}円[/bold]")
    if result.alternative_general_credit is not None:
        console.print(
            f"（参考）一般型を選択した場合 / general type instead: {result.alternative_general_credit:,}円"
        )
    for warning in result.warnings:
        console.print(f"[yellow]注意: {warning.text_ja}\nWarning: {warning.text_en}[/yellow]")
    for note in result.notes:
        console.print(f"[dim]前提 {note.id} [{note.confidence}]: {note.text_ja} / {note.text_en}[/dim]")


def _echo_fields(data: Any) -> dict[str, Any]:
    """Identifying keys of a batch line (id, name, ...) to echo back with its result."""
    if not isinstance(data, dict):
        return {}
    return {key: data[key] for key in PASSTHROUGH_FIELDS if key in data}


def _unknown_fields(data: dict[str, Any]) -> list[str]:
    known = set(RdCreditInput.model_fields) | set(PASSTHROUGH_FIELDS)
    return sorted(key for key in data if key not in known)


def _compute_line(data: Any) -> RdCreditResult:
    """One batch line; an unexpected failure becomes an error for that line only, never a traceback."""
    inp = parse_rdcredit_input(data, require_sales_and_tax=True, ignore_unknown=True)
    try:
        return compute_rd_credit(inp)
    except (ArithmeticError, ValueError, TypeError) as error:  # defensive: keep the rest of the batch running
        raise ToolInputError(
            "input",
            f"この行は計算できませんでした（{type(error).__name__}）。",
            f"This line could not be computed ({type(error).__name__}).",
        ) from None


def _run_batch(path: Path, as_json: bool, console: Console) -> None:
    """One result (or error object) per input line, in order; a bad line never stops the rest."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        _fail(
            ToolInputError(
                "batch", f"バッチファイルを読めません: {error}", f"Cannot read the batch file: {error}"
            )
        )
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue  # blank lines carry no company
        echo: dict[str, Any] = {}
        try:
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise ToolInputError(
                    "input", f"JSONとして読めません（{error.msg}）。", f"Not valid JSON ({error.msg})."
                ) from None
            echo = _echo_fields(data)
            result = _compute_line(data)
        except ToolInputError as error:
            if as_json:
                line_error = {"line": number, **echo, "error": error.to_dict()}
                click.echo(json.dumps(line_error, ensure_ascii=False))
            else:
                console.print(
                    f"[red]{number}行目 / line {number}: {error.message_ja} / {error.message_en}[/red]"
                )
            continue
        if as_json:
            payload: dict[str, Any] = {"line": number, **echo, **result.model_dump(mode="json")}
            if unknown := _unknown_fields(data):
                payload["ignored_fields"] = unknown
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            console.rule(f"{number}行目 / line {number}")
            _render_rd(result, console)


@click.command(cls=RdCreditCommand)
@click.option("--rd", help="当期の試験研究費 (e.g. 12億, 1,200,000,000).")
@click.option("--prior", multiple=True, help="前1〜3事業年度の試験研究費 (several values after one flag).")
@click.option("--sales", multiple=True, help="売上金額: current year first, then up to 3 prior years.")
@click.option("--tax", help="調整前法人税額.")
@click.option("--sme", is_flag=True, help="中小企業者等: use 中小企業技術基盤強化税制.")
@click.option("--venture", is_flag=True, help="Venture special (+15 points on the cap).")
@click.option("--founding-year", is_flag=True, help="This is the 設立事業年度 (no prior years).")
@click.option("--oi-university", help="OI type: joint/contract R&D with universities / 特別研究機関 (30%).")
@click.option("--oi-startup", help="OI type: with startups (25%).")
@click.option("--oi-other", help="OI type: with other companies etc. (20%).")
@click.option("--other-credits", help="Other special tax credits this year (for the 90% rule).")
@click.option("--credit-suspended", is_flag=True, help="Large company meets the 適用停止措置 test.")
@click.option("--fiscal-year-start", help="Fiscal year start date, YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--batch", type=click.Path(path_type=Path, dir_okay=False), help="JSON Lines file, one company a line."
)
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the rate-curve chart (company point, cap) as a PNG, e.g. curve.png.",
)
@click.option("--chart-lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
def rdcredit(
    rd: str | None,
    prior: tuple[str, ...],
    sales: tuple[str, ...],
    tax: str | None,
    sme: bool,
    venture: bool,
    founding_year: bool,
    oi_university: str | None,
    oi_startup: str | None,
    oi_other: str | None,
    other_credits: str | None,
    credit_suspended: bool,
    fiscal_year_start: str | None,
    as_json: bool,
    batch: Path | None,
    chart_path: Path | None,
    chart_lang: str,
) -> None:
    """Compute the R&D tax credit (研究開発税制) with the full working.

    Example: deckbot rdcredit --rd 12億 --prior 10億 10億 10億 --sales 200億 200億 200億 200億 --tax 10億
    """
    console = Console()
    if batch is not None:
        if chart_path is not None:
            raise click.UsageError("--chart は1社の計算のみ / --chart works for one company, not --batch")
        _run_batch(batch, as_json, console)
        return
    try:
        if rd is None:
            raise ToolInputError(
                "rd", "当期の試験研究費（--rd）を入力してください。", "Give this year's R&D with --rd."
            )
        if not sales:
            raise ToolInputError(
                "sales",
                "売上金額（--sales、当期から）を入力してください。",
                "Give sales with --sales (current year first).",
            )
        if tax is None:
            raise ToolInputError(
                "tax", "調整前法人税額（--tax）を入力してください。", "Give corporate tax with --tax."
            )
        raw: dict[str, Any] = {
            "rd": parse_amount(rd, field="rd"),
            "prior_rd": [parse_amount(value, field="prior_rd") for value in prior],
            "sales": [parse_amount(value, field="sales") for value in sales],
            "tax": parse_amount(tax, field="tax"),
            "company": "sme" if sme else "large",
            "founding_year": founding_year,
            "venture": venture,
            "credit_suspended": credit_suspended,
            "fiscal_year_start": fiscal_year_start,
        }
        if other_credits is not None:
            raw["other_credits"] = parse_amount(other_credits, field="other_credits")
        if any(v is not None for v in (oi_university, oi_startup, oi_other)):
            raw["oi"] = {
                "university": parse_amount(oi_university or 0, field="oi_university"),
                "startup": parse_amount(oi_startup or 0, field="oi_startup"),
                "other": parse_amount(oi_other or 0, field="oi_other"),
            }
        result = compute_rd_credit(parse_rdcredit_input(raw, require_sales_and_tax=True))
    except ToolInputError as error:
        _fail(error)
        return
    if as_json:
        _print_json(result)
    else:
        _render_rd(result, console)
    if chart_path is not None:
        from charts.rate_curve import render_rate_curve  # lazy: matplotlib only when a chart is asked for

        write_chart(chart_path, lambda: render_rate_curve(result, lang=chart_lang))  # type: ignore[arg-type]


def write_chart(path: Path, render: Callable[[], Any]) -> None:
    """Render a chart and write its PNG; report where on stderr (stdout stays clean for --json)."""
    try:
        chart = render()
        path.write_bytes(chart.png)
    except ToolInputError as error:
        _fail(error)
        return
    except OSError as error:
        raise click.ClickException(f"グラフを保存できません / cannot write the chart: {error}") from None
    click.echo(f"グラフ / chart: {path} ({chart.width}x{chart.height})\n{chart.alt_text}", err=True)


def _run_simple(
    raw: dict[str, Any], parse: Callable[[dict[str, Any]], Any], compute: Callable[[Any], Any]
) -> Any:
    try:
        return compute(parse(raw))
    except ToolInputError as error:
        _fail(error)


def _render_simple(result: TaxCompareResult | InnovationBoxResult | OiPromotionResult, title: str) -> None:
    console = Console()
    console.print(_figures_table(title, result.steps))
    for warning in result.warnings:
        console.print(f"[yellow]注意: {warning.text_ja}\nWarning: {warning.text_en}[/yellow]")
    for note in result.notes:
        console.print(f"[dim]前提: {note}[/dim]")


@click.command(cls=RdCreditCommand)
@click.option(
    "--rd", required=True, help="R&D spend (same number used as each country's currency unless FX given)."
)
@click.option(
    "--prior", multiple=True, help="Prior 1-3 years' R&D (US ASC, Korea increase method, Japan curve)."
)
@click.option(
    "--sales", multiple=True, help="Sales, current year first (Japan intensity, Korea large-company rate)."
)
@click.option("--tax", help="Japan: 調整前法人税額 (applies the Japanese cap).")
@click.option("--size", type=click.Choice(["large", "mid", "sme"]), default="large", show_default=True)
@click.option(
    "--fx", multiple=True, help="Exchange rate as CUR=JPY per unit, e.g. --fx USD=150 --fx EUR=160."
)
@click.option("--fx-date", help="Date of the exchange rates (shown with the result).")
@click.option("--uk-payroll", help="UK: PAYE + NIC paid, in GBP (for the cap).")
@click.option(
    "--korea-field",
    type=click.Choice(["general", "new_growth", "national_strategic"]),
    default="general",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def taxcompare(
    rd: str,
    prior: tuple[str, ...],
    sales: tuple[str, ...],
    tax: str | None,
    size: str,
    fx: tuple[str, ...],
    fx_date: str | None,
    uk_payroll: str | None,
    korea_field: str,
    as_json: bool,
) -> None:
    """Same R&D spend under the deck's six countries' rules (研究開発税制国際比較)."""
    raw: dict[str, Any] = {
        "rd": rd,
        "prior_rd": list(prior),
        "sales": list(sales) or None,
        "tax": tax,
        "size": size,
        "fx_date": fx_date,
        "uk_payroll_taxes": uk_payroll,
        "korea_field": korea_field,
        "fx_rates": {},
    }
    for item in fx:
        currency, _, rate = item.partition("=")
        raw["fx_rates"][currency.strip().upper()] = rate.strip()
    result = _run_simple(raw, parse_tax_compare_input, compare_countries)
    if as_json:
        _print_json(result)
    else:
        _render_simple(result, "研究開発税制国際比較 / international comparison")


@click.command()
@click.option("--income", required=True, help="Qualifying income (特許権譲渡等取引に係る所得), 円.")
@click.option("--ratio", default="1", show_default=True, help="自己創出比率 / R&D ratio, e.g. 0.8 or 80%.")
@click.option("--taxable-income", help="Taxable income before this deduction, 円 (the deduction limit).")
@click.option("--effective-rate", default="29.74%", show_default=True, help="法人実効税率.")
@click.option("--fiscal-year-start", help="Fiscal year start date, YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def innovationbox(
    income: str,
    ratio: str,
    taxable_income: str | None,
    effective_rate: str,
    fiscal_year_start: str | None,
    as_json: bool,
) -> None:
    """Innovation box (イノベーション拠点税制): 30% income deduction on qualifying IP income."""
    raw = {
        "qualifying_income": income,
        "self_creation_ratio": ratio,
        "taxable_income": taxable_income,
        "effective_tax_rate": effective_rate,
        "fiscal_year_start": fiscal_year_start,
    }
    result = _run_simple(raw, parse_innovation_box_input, compute_innovation_box)
    if as_json:
        _print_json(result)
    else:
        _render_simple(result, "イノベーション拠点税制 / innovation box")


@click.command()
@click.option(
    "--price", "prices", multiple=True, required=True, help="Acquisition price per deal (repeatable)."
)
@click.option(
    "--type",
    "deal_type",
    type=click.Choice(["new_issue", "ma"]),
    default="new_issue",
    show_default=True,
    help="新規出資型 or M&A型 (applies to every --price).",
)
@click.option("--sme", is_flag=True, help="The investor is an SME (lower per-deal minimum).")
@click.option("--foreign", is_flag=True, help="The startup is foreign (minimum 5億円/件; not for M&A型).")
@click.option(
    "--effective-rate", default="29.74%", show_default=True, help="法人実効税率 for the tax saving."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def oipromotion(
    prices: tuple[str, ...], deal_type: str, sme: bool, foreign: bool, effective_rate: str, as_json: bool
) -> None:
    """OI promotion tax (オープンイノベーション促進税制): 25% deduction of startup share purchases."""
    raw = {
        "investor": "sme" if sme else "large",
        "effective_tax_rate": effective_rate,
        "deals": [{"price": price, "deal_type": deal_type, "foreign_startup": foreign} for price in prices],
    }
    result = _run_simple(raw, parse_oi_promotion_input, compute_oi_promotion)
    if as_json:
        _print_json(result)
    else:
        _render_simple(result, "オープンイノベーション促進税制 / OI promotion tax")
