"""`deckbot ask` and `deckbot chat`: answer questions about the deck from the shell."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot.cli.options import data_dir_option, engine_option
from bot.settings import get_settings

MAX_QUESTION_CHARS = 2000
EXIT_WORDS = {"exit", "quit", ":q", "終了", "おわり"}


def load_answerer(data_dir: Path | None = None, engine: str | None = None) -> Any:
    """Build the configured answer engine from settings, turning setup errors into friendly CLI errors."""
    from retrieval.answering import EngineConfigError, build_answerer

    settings = get_settings()
    try:
        options = settings.answerer_kwargs()
        return build_answerer(
            **{**options, "engine": engine or options["engine"], "data_dir": data_dir or options["data_dir"]}
        )
    except EngineConfigError as error:
        raise click.ClickException(f"{error.message_en}\n{error.message_ja}") from error
    except Exception as error:  # chromadb / file errors: say what to check, not a traceback
        raise click.ClickException(
            f"could not open the deck index ({type(error).__name__}: {error})\n"
            "インデックスを開けませんでした。`deckbot index` と DECKBOT_DATA_DIR / CHROMA_HOST を確認してください。"
        ) from error


def check_question(question: str) -> str | None:
    """Return a bilingual error for an unusable question, or None when it is fine."""
    if not question.strip():
        return "The question is empty. / 質問が空です。"
    if len(question) > MAX_QUESTION_CHARS:
        return f"The question is too long (max {MAX_QUESTION_CHARS} characters). / 質問が長すぎます（最大{MAX_QUESTION_CHARS}文字）。"
    return None


def format_answer(answer: Any) -> str:
    """Render an Answer for the terminal: text, sources, notes and the grounding flag."""
    lines = [answer.answer, ""]
    if answer.citations:
        lines.append(f"{'Sources' if answer.lang == 'en' else '出典'}: {format_sources(answer)}")
    for note in answer.notes:
        lines.append(f"※ {note}")
    if not answer.grounded:
        lines.append(f"⚠ ungrounded numbers / 根拠のない数値: {', '.join(answer.ungrounded_numbers)}")
    lines.append(f"[{answer.engine}, {answer.status}]")
    return "\n".join(lines)


def format_sources(answer: Any) -> str:
    """The cited pages, grouped by document: `<title>: p.6 <section>, p.7 <section>`."""
    by_document: dict[str | None, dict[tuple[int, str], None]] = {}
    for citation in answer.citations:
        if citation.slide is not None:
            by_document.setdefault(citation.document_title, {})[(citation.slide, citation.section)] = None
    groups = []
    for title, cited in by_document.items():
        slides = ", ".join(f"p.{slide} {section}" for slide, section in cited)
        groups.append(f"{title}: {slides}" if title else slides)
    return " / ".join(groups)


def answer_json(answer: Any) -> str:
    """The `--json` form: answer, status, citations, tool_calls, engine, grounded, ungrounded_numbers."""
    payload = answer.model_dump(
        mode="json",
        include={"answer", "status", "citations", "tool_calls", "engine", "grounded", "ungrounded_numbers"},
    )
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def answer_report_payload(report: Any, *, details: bool = False) -> dict[str, Any]:
    """Answer metrics as a JSON-ready dict (for `deckbot eval --json`)."""
    payload: dict[str, Any] = {
        "engine": report.engine,
        "must_contain_accuracy": round(report.must_contain_accuracy, 4),
        "overall_accuracy": round(report.overall_accuracy, 4),
        "by_kind": {
            kind: {"questions": f.questions, "passed": f.passed, "accuracy": round(f.accuracy, 4)}
            for kind, f in report.by_kind.items()
        },
        "by_lang": {
            lang: {"questions": f.questions, "passed": f.passed, "accuracy": round(f.accuracy, 4)}
            for lang, f in report.by_lang.items()
        },
        "refusal_accuracy": None if report.refusal_accuracy is None else round(report.refusal_accuracy, 4),
        "false_refusals": report.false_refusals,
        "ungrounded_numbers": report.ungrounded_numbers,
        "latency_p50_ms": report.latency_p50_ms,
        "latency_p95_ms": report.latency_p95_ms,
    }
    if details:
        payload["rows"] = [row.model_dump() for row in report.rows]
    return payload


def print_answer_report(console: Any, report: Any, *, details: bool = False) -> None:
    """Print answer metrics as rich tables (for `deckbot eval`)."""
    from rich.table import Table

    table = Table(title=f"answers ({report.engine})")
    for column in ("kind", "questions", "passed", "accuracy"):
        table.add_column(column, justify="right")
    for kind, figures in report.by_kind.items():
        table.add_row(kind, str(figures.questions), str(figures.passed), f"{figures.accuracy:.3f}")
    for lang, figures in report.by_lang.items():
        table.add_row(f"lang {lang}", str(figures.questions), str(figures.passed), f"{figures.accuracy:.3f}")
    console.print(table)
    refusal = "-" if report.refusal_accuracy is None else f"{report.refusal_accuracy:.3f}"
    console.print(
        f"must_contain accuracy {report.must_contain_accuracy:.3f} (answerable rows) · overall "
        f"{report.overall_accuracy:.3f} · refusals {refusal} · false refusals {report.false_refusals} · "
        f"ungrounded numbers {report.ungrounded_numbers} · latency p50 {report.latency_p50_ms:.0f} ms, "
        f"p95 {report.latency_p95_ms:.0f} ms"
    )
    if details:
        rows = Table(title="answers per question")
        for column in ("id", "kind", "status", "passed", "missing", "ms"):
            rows.add_column(column)
        for row in report.rows:
            rows.add_row(
                row.id,
                row.kind,
                row.status,
                "yes" if row.passed else "NO",
                ", ".join(row.missing),
                f"{row.latency_ms:.0f}",
            )
        console.print(rows)


def chat_loop(
    answerer: Any, input_fn: Callable[[str], str] = input, print_fn: Callable[..., None] = print
) -> int:
    """Run an interactive question loop until EOF or an exit word; return the number of questions answered.

    Args:
        answerer: Any Answerer (offline or LLM engine).
        input_fn: Reads one line (prompt given); `input` by default, a fake in tests.
        print_fn: Writes output; `print` by default.
    """
    print_fn("deckbot — 資料について質問してください (exit / Ctrl-D で終了). Ask about the METI deck.")
    history: list[str] = []
    answered = 0
    while True:
        try:
            question = input_fn("> ")
        except (EOFError, KeyboardInterrupt):
            print_fn("")
            break
        if question.strip().lower() in EXIT_WORDS:
            break
        if not question.strip():
            continue
        problem = check_question(question)
        if problem:
            print_fn(problem)
            continue
        try:
            answer = answerer.answer(question, history=tuple(history[-6:]))
        except Exception as error:  # noqa: BLE001 - the loop must survive any single failure
            print_fn(
                f"Sorry, that question failed ({type(error).__name__}). / 回答中にエラーが発生しました。"
            )
            continue
        print_fn(format_answer(answer))
        history += [question, answer.answer]
        answered += 1
    return answered


@click.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the full answer as JSON.")
@engine_option
@data_dir_option
def ask(question: str, as_json: bool, engine: str | None, data_dir: Path | None) -> None:
    """Answer QUESTION (Japanese or English) from the deck, with slide citations."""
    problem = check_question(question)
    if problem:
        raise click.UsageError(problem)
    answerer = load_answerer(data_dir, engine)
    answer = answerer.answer(question)
    click.echo(answer_json(answer) if as_json else format_answer(answer))


@click.command()
@engine_option
@data_dir_option
def chat(engine: str | None, data_dir: Path | None) -> None:
    """Chat with the deck interactively (the default without Slack tokens)."""
    chat_loop(load_answerer(data_dir, engine), input_fn=input, print_fn=click.echo)
