"""`deckbot index` and `deckbot search`: build/refresh the Chroma index and query it from the shell."""

import json
import time
from pathlib import Path

import click

from bot.cli.options import data_dir_option, search_mode_option
from bot.settings import get_settings


def _data_dir(option: Path | None) -> Path:
    return option if option is not None else get_settings().data_dir


def _open_index(data_dir: Path, *, progress: bool, force: bool = False):  # noqa: ANN202
    from retrieval.index import build_or_open

    settings = get_settings()
    try:
        return build_or_open(
            data_dir,
            chroma_host=settings.chroma_host,
            chroma_port=settings.chroma_port,
            progress=progress,
            force=force,
            bundle=settings.bundle,
        )
    except (OSError, ValueError) as error:
        server = f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
        where = server if settings.chroma_host else data_dir
        raise click.ClickException(
            f"could not open the index ({where}): {error}\nインデックスを開けませんでした ({where})"
        ) from error
    except Exception as error:  # chromadb raises its own types (e.g. server unreachable)
        raise click.ClickException(
            f"could not open the Chroma index ({type(error).__name__}: {error})\n"
            "Chroma インデックスを開けませんでした。"
            "設定 (CHROMA_HOST/CHROMA_PORT, --data-dir) を確認してください。"
        ) from error


@click.command()
@data_dir_option
@click.option(
    "--if-needed", is_flag=True, help="Only build when missing or out of date (the default behaviour)."
)
@click.option("--force", is_flag=True, help="Rebuild even if the index is current.")
def index(data_dir: Path | None, if_needed: bool, force: bool) -> None:
    """Build or refresh the deck's search index."""
    directory = _data_dir(data_dir)
    started = time.perf_counter()
    opened = _open_index(directory, progress=True, force=force and not if_needed)
    if opened.built:
        click.echo(
            f"built {opened.chunk_count} chunks from {len(opened.slides)} slides "
            f"in {opened.build_seconds:.1f} s ({directory})"
        )
    else:
        click.echo(
            f"index up to date: {opened.chunk_count} chunks ({directory}, "
            f"checked in {time.perf_counter() - started:.1f} s)"
        )


@click.command()
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 50), default=5, show_default=True, help="Number of hits.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of hits.")
@search_mode_option
@data_dir_option
def search(query: str, k: int, as_json: bool, mode: str, data_dir: Path | None) -> None:
    """Search the deck for QUERY (Japanese or English)."""
    if not query.strip():
        raise click.UsageError("the query is empty / 検索語が空です")
    from retrieval.search import DeckSearcher

    searcher = DeckSearcher(_open_index(_data_dir(data_dir), progress=False), mode=mode)
    hits = searcher.search(query, k)
    if as_json:
        payload = [
            {"id": h.id, "slide": h.slide, "section": h.section, "text": h.text, "score": h.score}
            for h in hits
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.panel import Panel

    console = Console()
    if not hits:
        console.print("no hits / 該当なし")
    for rank, hit in enumerate(hits, start=1):
        preview = hit.text if len(hit.text) <= 600 else hit.text[:600] + " …"
        console.print(
            Panel(
                preview,
                title=f"{rank}. slide {hit.slide} · {hit.section}",
                subtitle=f"{hit.id} · {hit.score:.4f}",
                title_align="left",
            )
        )
