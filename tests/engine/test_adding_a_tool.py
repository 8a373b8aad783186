"""Adding a tool is one ToolSpec and one `register_tool` call: it then shows up in the LLM tool list, in
`deckbot --help` with options from its input model, and in the offline planner's calculator routing."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, Field

from bot.cli import main
from retrieval.engines.offline import OfflineEngine
from retrieval.engines.toolkit import build_tools
from tools.registry import register_tool, unregister_tool
from tools.spec import Lang, ToolProposal, ToolSpec


class DoubleInput(BaseModel):
    """What the toy calculator takes."""

    number: int = Field(description="the number to double")
    times: list[int] = Field(default_factory=list, description="extra factors to multiply by")
    negate: bool = Field(False, description="flip the sign of the result")


class DoubleResult(BaseModel):
    """What it returns."""

    input: DoubleInput
    doubled: int


def double(inp: DoubleInput) -> DoubleResult:
    value = inp.number * 2
    for factor in inp.times:
        value *= factor
    return DoubleResult(input=inp, doubled=-value if inp.negate else value)


_ASKS = re.compile(r"\bdouble (?:the number )?(\d+)\b", re.I)


def double_from_question(question: str, history: Sequence[str] = ()) -> ToolProposal:
    match = _ASKS.search(question)
    if match is None:
        return ToolProposal(status="not_applicable")
    return ToolProposal(status="ready", arguments={"number": int(match.group(1))})


def double_text(result: DoubleResult, lang: Lang) -> str:
    number, doubled = result.input.number, result.doubled
    return f"{number}の2倍は{doubled}です。" if lang == "ja" else f"Doubling {number} gives {doubled}."


DOUBLE = ToolSpec(
    name="double_number",
    function=double,
    input_model=DoubleInput,
    result_model=DoubleResult,
    description="Double a number (a toy tool: the registry test's example).",
    from_question=double_from_question,
    render_text=double_text,
)


@pytest.fixture
def toy_tool():
    register_tool(DOUBLE)
    yield DOUBLE
    unregister_tool(DOUBLE.name)


def test_the_toy_is_in_the_llm_tool_list(toy_tool, knowledge):
    tools = {tool.name: tool for tool in build_tools(knowledge)}
    assert "double_number" in tools and "rd_credit" in tools and "search_deck" in tools
    tool = tools["double_number"]
    assert tool.args_schema is DoubleInput
    message = tool.invoke({"name": "double_number", "args": {"number": 21}, "id": "c1", "type": "tool_call"})
    assert isinstance(message.artifact, DoubleResult) and message.artifact.doubled == 42
    assert json.loads(message.content)["doubled"] == 42


def test_the_toy_is_a_deckbot_subcommand_with_options_from_its_model(toy_tool):
    runner = CliRunner()
    listing = runner.invoke(main, ["--help"])
    assert listing.exit_code == 0, listing.output
    assert "doublenumber" in listing.output and "rdcredit" in listing.output
    help_text = runner.invoke(main, ["doublenumber", "--help"]).output
    assert "--number INTEGER" in help_text and "the number to double" in help_text
    assert "--times" in help_text and "--negate" in help_text
    args = ["doublenumber", "--number", "21", "--times", "3", "5", "--negate", "--json"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["doubled"] == -630
    assert runner.invoke(main, ["doublenumber", "--number", "4"]).output.strip() == "4の2倍は8です。"
    missing = runner.invoke(main, ["doublenumber"])
    assert missing.exit_code == 2 and "'number' is required. (--number)" in missing.output


def test_the_offline_planner_reaches_the_toy(toy_tool, knowledge):
    engine = OfflineEngine(knowledge)  # tools are bound when an engine is built
    answer = engine.answer("Could you double 21 for me?")
    assert answer.status == "answered", answer.answer
    assert answer.answer == "Doubling 21 gives 42."
    assert [call.name for call in answer.tool_calls] == ["double_number"]
    assert answer.grounded, answer.ungrounded_numbers


def test_unregistered_the_toy_is_gone(knowledge):
    assert "double_number" not in {tool.name for tool in build_tools(knowledge)}
    assert "doublenumber" not in CliRunner().invoke(main, ["--help"]).output


def test_registering_a_name_twice_is_refused(toy_tool):
    with pytest.raises(ValueError, match="already registered"):
        register_tool(DOUBLE)


def test_without_a_block_kit_renderer_slack_shows_the_plain_text(toy_tool):
    from bot.render.calculators import render_calculator_result

    message = render_calculator_result("double_number", double(DoubleInput(number=4)), lang="en")
    assert message.text == "Doubling 4 gives 8."
    assert [block["text"]["text"] for block in message.block_dicts()] == ["Doubling 4 gives 8."]
