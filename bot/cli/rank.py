"""`deckbot rank`: look up the deck's ranking and number tables (Startup Genome, GII, QS, ASPI, ...)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from bot.settings import get_settings
from corpus.bundle import BundleError, resolve_bundle
from retrieval.tables import TableLoadError, load_tables
from tools.rankings import (
    RankingQuery,
    RankingResult,
    TableError,
    TableSet,
    format_result_text,
    list_tables,
    lookup_ranking,
)

_RANGE = re.compile(r"^\s*(\d+)\s*[-–~〜～]\s*(\d+)\s*$")


def _parse_range(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = _RANGE.match(text)
    if not match:
        raise click.BadParameter(
            f"'{text}' is not a range like 1-10 / 範囲は 1-10 の形式で指定してください", param_hint="--ranks"
        )
    return int(match[1]), int(match[2])


def _echo_table_list(tables: TableSet, *, as_json: bool, lang: str, usage: bool) -> None:
    """Print every table (id, rows, title), as JSON or one line each, with the usage line when asked."""
    infos = list_tables(tables)
    if as_json:
        click.echo(json.dumps([info.model_dump() for info in infos], ensure_ascii=False, indent=2))
        return
    for info in infos:
        title = info.title_ja if lang == "ja" else info.title_en
        click.echo(f"{info.id:36} {info.row_count:3}  {title}")
    if usage:
        click.echo("\nUsage: deckbot rank TABLE [ENTITY] [--top N] [--rank R | --ranks A-B] [--json]")


def _lookup(
    tables: TableSet,
    table: str,
    entity: tuple[str, ...],
    *,
    top: int | None,
    rank_: int | None,
    ranks: str | None,
) -> RankingResult:
    """Run the lookup, turning table errors and invalid queries into click errors."""
    try:
        query = RankingQuery(
            table=table, entity=" ".join(entity) or None, rank=rank_, rank_range=_parse_range(ranks), top=top
        )
        return lookup_ranking(tables, query)
    except TableError as error:
        raise click.ClickException(error.message_ja + "\n" + error.message_en) from None
    except ValidationError as error:
        reasons = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        raise click.UsageError(f"不正な指定です / invalid query: {reasons}") from None


def _result_payload(result: RankingResult) -> dict[str, Any]:
    """The `--json` form of a lookup result."""
    return {
        "table_id": result.table_id,
        "title_ja": result.title_ja,
        "title_en": result.title_en,
        "slide_title": result.slide_title,
        "source": result.source,
        "query": result.query.model_dump(),
        "rows": [
            {
                "table_id": result.table_id,
                "slide_title": m.row.slide_title,
                "fields": m.row.cells,
                "display": m.row.display,
                "rank": m.rank,
                "how": m.how,
                "score": m.score,
                "matched_on": m.matched_on,
                "change": m.change.model_dump() if m.change else None,
                "lines": m.row.lines,
            }
            for m in result.matches
        ],
        "candidates": [c.model_dump() for c in result.candidates],
        "notes": result.notes,
    }


@click.command("rank")
@click.argument("table", required=False)
@click.argument("entity", required=False, nargs=-1)
@click.option("--top", type=click.IntRange(min=1), help="Only the first N rows by rank.")
@click.option("--rank", "rank_", type=click.IntRange(min=1), help="Rows at this rank.")
@click.option("--ranks", "ranks", metavar="A-B", help="Rows ranked A to B, e.g. 1-10.")
@click.option("--list", "list_", is_flag=True, help="List the available tables.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="Output language."
)
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a chart of the table (bars, dots or slope) as a PNG, e.g. rank.png.",
)
def rank(
    table: str | None,
    entity: tuple[str, ...],
    top: int | None,
    rank_: int | None,
    ranks: str | None,
    list_: bool,
    as_json: bool,
    lang: str,
    chart_path: Path | None,
) -> None:
    """Look up TABLE (an id such as startup_genome_2024, or a name like GII / QS / ASPI) for ENTITY.

    Examples: `deckbot rank startup_genome_2024 Tokyo`, `deckbot rank QS 東北大学`,
    `deckbot rank gii --top 5`, `deckbot rank aspi --ranks 1-5`, `deckbot rank --list`.
    """
    try:
        tables = load_tables(resolve_bundle(get_settings().bundle))
    except (TableLoadError, BundleError) as error:
        raise click.ClickException(f"表データを読み込めません / cannot load tables: {error}") from None
    if chart_path is not None and (list_ or table is None):
        raise click.UsageError("--chart には表の指定が必要です / --chart needs a TABLE")
    if list_ or table is None:
        _echo_table_list(tables, as_json=as_json, lang=lang, usage=table is None and not list_)
        return
    if rank_ is not None and ranks is not None:
        raise click.UsageError(
            "--rank と --ranks はどちらか一方だけ / give either --rank or --ranks, not both"
        )
    result = _lookup(tables, table, entity, top=top, rank_=rank_, ranks=ranks)
    if as_json:
        click.echo(json.dumps(_result_payload(result), ensure_ascii=False, indent=2))
    else:
        click.echo(format_result_text(result, lang))  # type: ignore[arg-type]
    if chart_path is not None:
        from bot.cli.tax import write_chart
        from charts.ranking import render_ranking  # lazy: matplotlib only when a chart is asked for

        chart_table = tables.get(result.table_id)
        write_chart(chart_path, lambda: render_ranking(chart_table, result, lang=lang))  # type: ignore[arg-type]
