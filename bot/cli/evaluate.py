"""`deckbot eval FILE.jsonl [FILE…]`: retrieval and answer figures, reported per question file."""

import json
from pathlib import Path
from typing import Any, NamedTuple

import click

from bot.cli.options import data_dir_option, search_mode_option
from bot.cli.search import _data_dir, _open_index


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-k", "k", type=click.IntRange(1, 50), default=5, show_default=True, help="Hits per question.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@search_mode_option
@data_dir_option
@click.option("--details", is_flag=True, help="List each question's rank.")
@click.option(
    "--answers/--no-answers",
    default=True,
    show_default=True,
    help="Also answer every question and report answer metrics (must_contain, refusals, latency).",
)
@click.option("--engine", type=click.Choice(["offline", "llm"]), default=None, help="Engine for --answers.")
def evaluate(
    files: tuple[Path, ...],
    k: int,
    as_json: bool,
    mode: str,
    data_dir: Path | None,
    details: bool,
    answers: bool,
    engine: str | None,
) -> None:
    """Evaluate each FILE (JSONL rows: id, question, kind, evidence, ...) separately: e.g. the public sample,
    the dev set and the frozen held-out set in one run, each with its own figures."""
    options = EvalOptions(k, mode, data_dir, details, answers, engine)
    reports = [(file, *_evaluate_file(file, options)) for file in files]
    if as_json:
        payloads = [_payload(file, options, *pair) for file, *pair in reports]
        combined = payloads[0] if len(payloads) == 1 else {"sets": payloads}
        click.echo(json.dumps(combined, ensure_ascii=False, indent=2))
        return
    for file, report, answer_report in reports:
        _print_report(file, options, report, answer_report)


class EvalOptions(NamedTuple):
    """The options every file of one `deckbot eval` run is evaluated with."""

    k: int
    mode: str
    data_dir: Path | None
    details: bool
    answers: bool
    engine: str | None


def _evaluate_file(file: Path, options: EvalOptions) -> tuple[Any, Any]:
    """Retrieval figures for one file and, with --answers, its answer figures."""
    from retrieval.evaluation import EvalFileError, evaluate_retrieval, load_eval_rows
    from retrieval.search import DeckSearcher

    try:
        rows = load_eval_rows(file)
    except EvalFileError as error:
        raise click.ClickException(f"{error.message_en}\n{error.message_ja}") from error
    searcher = DeckSearcher(_open_index(_data_dir(options.data_dir), progress=False), mode=options.mode)
    report = evaluate_retrieval(searcher, rows, k=options.k)
    if not options.answers:
        return report, None
    from bot.cli.answer import load_answerer
    from retrieval.answer_eval import evaluate_answers

    return report, evaluate_answers(load_answerer(_data_dir(options.data_dir), options.engine), rows)


def _payload(file: Path, options: EvalOptions, report: Any, answer_report: Any) -> dict[str, Any]:
    """One file's figures as JSON."""
    payload: dict[str, Any] = {
        "file": str(file),
        "mode": options.mode,
        "k": options.k,
        "evaluated": report.evaluated,
        "skipped": report.skipped,
        "recall@1": round(report.recall_at_1, 4),
        f"recall@{options.k}": round(report.recall_at_k, 4),
        "mrr": round(report.mrr, 4),
    }
    if options.details:
        payload["rows"] = [r.model_dump() for r in report.rows]
    if answer_report is not None:
        from bot.cli.answer import answer_report_payload

        payload["answers"] = answer_report_payload(answer_report, details=options.details)
    return payload


def _print_report(file: Path, options: EvalOptions, report: Any, answer_report: Any) -> None:
    """One file's figures as tables on the terminal."""
    from rich.console import Console
    from rich.table import Table

    k = options.k
    table = Table(title=f"retrieval on {file} ({options.mode}, k={k})")
    for column in ("questions", "skipped", "recall@1", f"recall@{k}", "MRR"):
        table.add_column(column, justify="right")
    table.add_row(
        str(report.evaluated),
        str(report.skipped),
        f"{report.recall_at_1:.3f}",
        f"{report.recall_at_k:.3f}",
        f"{report.mrr:.3f}",
    )
    console = Console()
    console.print(table)
    if options.details:
        rows_table = Table(title="per question")
        for column in ("id", "rank", "expected section", "top hit"):
            rows_table.add_column(column)
        for row in report.rows:
            rows_table.add_row(
                row.id,
                str(row.rank or "-"),
                row.expected_section or "",
                row.hit_sections[0] if row.hit_sections else "",
            )
        console.print(rows_table)
    if answer_report is not None:
        from bot.cli.answer import print_answer_report

        print_answer_report(console, answer_report, details=options.details)
