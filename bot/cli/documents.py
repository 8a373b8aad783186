"""`deckbot add`, `deckbot documents` and `deckbot remove`: the documents deckbot answers from."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.cli.options import data_dir_option
from bot.settings import get_settings


def _target(data_dir: Path | None):  # noqa: ANN202
    from retrieval.documents import ChromaTarget

    settings = get_settings()
    return ChromaTarget(data_dir or settings.data_dir, settings.chroma_host, settings.chroma_port)


def _served_bundle():  # noqa: ANN202
    from corpus.bundle import resolve_bundle

    return resolve_bundle(get_settings().bundle)


def _fail(error: Exception) -> click.ClickException:
    english = getattr(error, "message_en", str(error))
    japanese = getattr(error, "message_ja", "")
    return click.ClickException(f"{english}\n{japanese}".strip())


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--title", default=None, help="Title shown in citations (default: from the file).")
@click.option("--id", "document_id", default=None, help="Document id (default: from the file name).")
@data_dir_option
def add(file: Path, title: str | None, document_id: str | None, data_dir: Path | None) -> None:
    """Add a PDF, text or Markdown FILE (adding the same file again does nothing; a changed file replaces it)."""
    from corpus.catalog import CatalogError
    from corpus.ingest import IngestError
    from retrieval.documents import DocumentError, add_document

    try:
        result = add_document(
            _target(data_dir),
            file,
            title=title,
            document_id=document_id,
            progress=True,
            reserved_ids=frozenset({_served_bundle().id}),
        )
    except (IngestError, DocumentError, CatalogError) as error:
        raise _fail(error) from error
    entry = result.entry
    verb = {"added": "added", "replaced": "replaced", "unchanged": "already added, unchanged:"}[result.status]
    click.echo(
        f"{verb} {entry.id} — {entry.title} ({entry.pages} pages, {entry.units} units, {entry.chunks} chunks)"
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@data_dir_option
def documents(as_json: bool, data_dir: Path | None) -> None:
    """List the documents: the shipped deck and every added one."""
    from corpus.catalog import Catalog, CatalogError

    deck = _served_bundle()
    rows = [
        {
            "id": deck.id,
            "title": deck.title.ja,
            "kind": "deck",
            "pages": len(deck.slides),
            "units": len(deck.units),
            "sha256": deck.sha256,
            "added": "shipped",
        }
    ]
    try:
        entries = Catalog(_target(data_dir).data_dir).entries()
    except CatalogError as error:
        raise _fail(error) from error
    rows += [
        {
            "id": e.id,
            "title": e.title,
            "kind": e.kind,
            "pages": e.pages,
            "units": e.units,
            "sha256": e.file_sha256,
            "added": e.added_at.isoformat(),
        }
        for e in entries
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    columns = ("id", "title", "kind", "pages", "units", "sha256", "added")
    table = Table(title="documents")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[c])[:16] if c == "sha256" else str(row[c]) for c in columns))
    Console().print(table)


@click.command()
@click.argument("document_id")
@data_dir_option
def remove(document_id: str, data_dir: Path | None) -> None:
    """Remove the added document DOCUMENT_ID (the shipped deck stays)."""
    from corpus.catalog import CatalogError
    from retrieval.documents import DocumentError, remove_document

    if document_id == _served_bundle().id:
        raise click.ClickException(
            "The shipped deck cannot be removed; it is always served.\n同梱資料は削除できません。"
        )
    try:
        entry = remove_document(_target(data_dir), document_id)
    except (DocumentError, CatalogError) as error:
        raise _fail(error) from error
    click.echo(f"removed {entry.id} — {entry.title}")
