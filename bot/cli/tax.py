"""`deckbot rdcredit | taxcompare | innovationbox | oipromotion | ...`: one subcommand per registered tool.

Each command is generated from the tool's ToolSpec (tools/registry.py): its options come from the input model
(bot/cli/model_options.py), `--json` prints the result model, and otherwise the result is shown in the
terminal. What a tool adds on the command line is registered here by tool name (`COMMAND_EXTRAS`: help text,
a rich table, a stricter parser, `--batch`); a chart comes from bot/render/calculators.py `CHARTS`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from bot.cli.model_options import ModelOptions, iter_option_names, model_options
from bot.render.calculators import CHARTS
from tools.errors import ToolInputError
from tools.rd_credit import PASSTHROUGH_FIELDS, Figure, RdCreditResult, parse_rdcredit_input
from tools.registry import ToolSpec, generated_tools

EXIT_BAD_INPUT = 2
_RESERVED_OPTIONS = {"--json", "--batch", "--chart", "--chart-lang", "--help"}


class GreedyListCommand(click.Command):
    """A command whose list options take several values after one flag (``--prior 10億 10億 10億``).

    Arguments are rewritten to repeated flags (``--prior 10億 --prior 10億``) before click parses them,
    so values up to the next ``--option`` belong to the list option.
    """

    def __init__(self, *args: Any, greedy_options: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.greedy_options = tuple(greedy_options)

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


@dataclass(frozen=True)
class CommandExtras:
    """What one tool's subcommand adds to the generated one.

    Attributes:
        help: the command's help (default: the spec's description).
        parse: raw options -> validated input, raising ToolInputError (default: `ToolSpec.parse`).
        render: shows a result in the terminal (default: the spec's plain text).
        batch: one JSON Lines record -> validated input; adds ``--batch FILE``.
    """

    help: str | None = None
    parse: Callable[[Mapping[str, Any]], BaseModel] | None = None
    render: Callable[[Any, Console], None] | None = None
    batch: Callable[[Any], BaseModel] | None = None


def _fail(error: ToolInputError, options: ModelOptions | None = None) -> None:
    option = options.option_names.get(error.field) if options else None
    hint = f" ({option})" if option else ""
    click.echo(f"エラー: {error.message_ja}{hint}\nError: {error.message_en}{hint}", err=True)
    sys.exit(EXIT_BAD_INPUT)


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


def _render_steps(title: str, result: Any, console: Console) -> None:
    """A result with `steps`, `warnings` and "ja / en" `notes` (the comparison, the innovation box, OI)."""
    console.print(_figures_table(title, result.steps))
    for warning in result.warnings:
        console.print(f"[yellow]注意: {warning.text_ja}\nWarning: {warning.text_en}[/yellow]")
    for note in result.notes:
        console.print(f"[dim]前提: {note}[/dim]")


COMMAND_EXTRAS: dict[str, CommandExtras] = {
    "rd_credit": CommandExtras(
        help="Compute the R&D tax credit (研究開発税制) with the full working.\n\n"
        "Example: deckbot rdcredit --rd 12億 --prior 10億 10億 10億 --sales 200億 200億 200億 200億 "
        "--tax 10億",
        # The command line and batch need sales and tax (a chat question may leave them out: A14/A15).
        parse=partial(parse_rdcredit_input, require_sales_and_tax=True),
        render=_render_rd,
        batch=partial(parse_rdcredit_input, require_sales_and_tax=True, ignore_unknown=True),
    ),
    "tax_compare": CommandExtras(
        help="Same R&D spend under the six countries' rules of the deck's international comparison.",
        render=partial(_render_steps, "国際比較 / international comparison"),
    ),
    "innovation_box": CommandExtras(
        help="Innovation box (イノベーション拠点税制): 30% income deduction on qualifying IP income.",
        render=partial(_render_steps, "イノベーション拠点税制 / innovation box"),
    ),
    "oi_promotion": CommandExtras(
        help="OI promotion tax (オープンイノベーション促進税制): 25% deduction of startup share purchases.",
        render=partial(_render_steps, "オープンイノベーション促進税制 / OI promotion tax"),
    ),
}


def command_name(spec: ToolSpec) -> str:
    """The subcommand of a tool: its name without underscores (rd_credit -> rdcredit)."""
    return spec.name.replace("_", "")


def calculator_commands() -> dict[str, ToolSpec]:
    """Subcommand name -> tool, for every generated tool of the registry."""
    return {command_name(spec): spec for spec in generated_tools()}


def calculator_command(name: str) -> click.Command | None:
    """The generated subcommand called `name`, or None."""
    spec = calculator_commands().get(name)
    return None if spec is None else build_command(spec)


def build_command(spec: ToolSpec) -> click.Command:
    """The `deckbot` subcommand of one tool: options from its input model, plus --json, and --batch / --chart
    where the bot side registers them."""
    extras = COMMAND_EXTRAS.get(spec.name, CommandExtras())
    options = model_options(spec.input_model)
    if clash := _RESERVED_OPTIONS & set(iter_option_names(options)):
        raise ValueError(f"{spec.name}: input fields may not be named like the command's own {sorted(clash)}")
    params: list[click.Parameter] = [
        *options.params,
        click.Option(["as_json", "--json"], is_flag=True, help="Print the result as JSON."),
    ]
    if extras.batch is not None:
        params.append(
            click.Option(
                ["batch", "--batch"],
                type=click.Path(path_type=Path, dir_okay=False),
                help="JSON Lines file, one input a line.",
            )
        )
    if spec.name in CHARTS:
        params += [
            click.Option(
                ["chart_path", "--chart"],
                type=click.Path(path_type=Path, dir_okay=False),
                help="Also write the result's chart as a PNG, e.g. chart.png.",
            ),
            click.Option(
                ["chart_lang", "--chart-lang"],
                type=click.Choice(["ja", "en"]),
                default="ja",
                show_default=True,
                help="Language of the chart's labels.",
            ),
        ]

    def callback(**values: Any) -> None:
        _run(spec, extras, options, values)

    return GreedyListCommand(
        command_name(spec),
        params=params,
        callback=callback,
        help=extras.help or spec.description,
        short_help=(extras.help or spec.description).split("\n")[0],
        greedy_options=options.list_options,
    )


def _run(spec: ToolSpec, extras: CommandExtras, options: ModelOptions, values: dict[str, Any]) -> None:
    """One invocation: a batch, or one input from the options; then the result as JSON or for the terminal."""
    as_json = values.pop("as_json")
    batch: Path | None = values.pop("batch", None)
    chart_path: Path | None = values.pop("chart_path", None)
    chart_lang: str = values.pop("chart_lang", "ja")
    console = Console()
    render = extras.render or (lambda result, _: click.echo(spec.render_text(result, "ja")))
    if batch is not None:
        if chart_path is not None:
            raise click.UsageError("--chart は1件の計算のみ / --chart works for one company, not --batch")
        assert extras.batch is not None
        compute = partial(_compute_line, spec, extras.batch)
        _run_batch(batch, as_json, console, compute, render, spec.input_model)
        return
    parse = extras.parse or spec.parse
    try:
        result = _computed(spec, parse(options.raw_input(values)))
    except ToolInputError as error:
        _fail(error, options)
        return
    if as_json:
        click.echo(result.model_dump_json())
    else:
        render(result, console)
    if chart_path is not None:
        write_chart(chart_path, lambda: CHARTS[spec.name](result, chart_lang))


def _computed(spec: ToolSpec, inp: BaseModel) -> BaseModel:
    """Run the tool on the served bundle (its tables, for a tool that reads them); the result's figures cite
    the bundle's slide titles instead of the tools' rule keys."""
    from bot.settings import get_settings
    from corpus.bundle import resolve_bundle
    from retrieval.rule_slides import cite_rule_slides

    bundle = resolve_bundle(get_settings().bundle)
    result = spec.function(bundle.tables, inp) if spec.needs_tables else spec.function(inp)
    return cite_rule_slides(result, bundle)


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


def _compute_line(spec: ToolSpec, parse: Callable[[Any], BaseModel], data: Any) -> BaseModel:
    """One batch line; an unexpected failure becomes an error for that line only, never a traceback."""
    inp = parse(data)
    try:
        return _computed(spec, inp)
    except (ArithmeticError, ValueError, TypeError) as error:  # defensive: keep the rest of the batch running
        raise ToolInputError(
            "input",
            f"この行は計算できませんでした（{type(error).__name__}）。",
            f"This line could not be computed ({type(error).__name__}).",
        ) from None


def _echo_fields(data: Any) -> dict[str, Any]:
    """Identifying keys of a batch line (id, name, ...) to echo back with its result."""
    if not isinstance(data, dict):
        return {}
    return {key: data[key] for key in PASSTHROUGH_FIELDS if key in data}


def _read_line(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise ToolInputError(
            "input", f"JSONとして読めません（{error.msg}）。", f"Not valid JSON ({error.msg})."
        ) from None


def _run_batch(
    path: Path,
    as_json: bool,
    console: Console,
    compute: Callable[[Any], BaseModel],
    render: Callable[[Any, Console], None],
    model: type[BaseModel],
) -> None:
    """One result (or error object) per input line, in order; a bad line never stops the rest.

    Keys in PASSTHROUGH_FIELDS (id, name, ...) are echoed back; other keys the model lacks are listed.
    """
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
            continue  # blank lines carry no input
        echo: dict[str, Any] = {}
        try:
            data = _read_line(line)
            echo = _echo_fields(data)
            result = compute(data)
        except ToolInputError as error:
            if as_json:
                click.echo(json.dumps({"line": number, **echo, "error": error.to_dict()}, ensure_ascii=False))
            else:
                console.print(
                    f"[red]{number}行目 / line {number}: {error.message_ja} / {error.message_en}[/red]"
                )
            continue
        if as_json:
            payload: dict[str, Any] = {"line": number, **echo, **result.model_dump(mode="json")}
            if unknown := _unknown_fields(data, model):
                payload["ignored_fields"] = unknown
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            console.rule(f"{number}行目 / line {number}")
            render(result, console)


def _unknown_fields(data: dict[str, Any], model: type[BaseModel]) -> list[str]:
    known = set(model.model_fields) | set(PASSTHROUGH_FIELDS)
    return sorted(key for key in data if key not in known)
