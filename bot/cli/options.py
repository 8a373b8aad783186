"""Options several subcommands share, defined once."""

from pathlib import Path

import click

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Index directory (default: DECKBOT_DATA_DIR or .deckbot).",
)
engine_option = click.option(
    "--engine", type=click.Choice(["offline", "llm"]), default=None, help="Override DECKBOT_ENGINE."
)
search_mode_option = click.option(
    "--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True
)
