"""The `deckbot` command line: one group whose subcommands live in sibling modules, loaded lazily."""

import importlib

import click

# subcommand -> "module:attribute"; loading lazily keeps `deckbot rdcredit` free of Chroma and Slack.
SUBCOMMANDS: dict[str, str] = {
    "index": "bot.cli.search:index",
    "search": "bot.cli.search:search",
    "eval": "bot.cli.evaluate:evaluate",
    "ask": "bot.cli.answer:ask",
    "chat": "bot.cli.answer:chat",
    "serve": "bot.cli.serve:serve",
    "feedback": "bot.cli.serve:feedback",
    "bench": "bot.cli.bench:bench",
    "rank": "bot.cli.rank:rank",
    "add": "bot.cli.documents:add",
    "documents": "bot.cli.documents:documents",
    "remove": "bot.cli.documents:remove",
}
# Besides these, one subcommand per registered tool (rdcredit, taxcompare, ...), generated in bot/cli/tax.py.


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from bot.cli.tax import calculator_commands

        return sorted(set(SUBCOMMANDS) | set(calculator_commands()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            from bot.cli.tax import calculator_command

            return calculator_command(cmd_name)
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                return None  # not built yet
            raise
        return getattr(module, attribute)


@click.group(cls=LazyGroup)
@click.version_option(package_name="deckbot")
def main() -> None:
    """Ask the METI innovation subcommittee reference deck (2025-04-17) questions."""
