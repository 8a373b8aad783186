"""The tool registry: the built-in specs, the order the offline planner asks their parsers, registration."""

import pytest
from pydantic import BaseModel

from corpus.bundle import default_bundle
from tools.registry import TOOLS, generated_tools, get_tool, question_tools, register_tool, unregister_tool
from tools.spec import ToolSpec

EXAMPLES = {
    "rd_credit": {"rd": "12億", "prior_rd": ["10億"] * 3, "sales": ["200億"] * 4, "tax": "4億"},
    "tax_compare": {"rd": 100_000_000, "prior_rd": [90_000_000] * 3},
    "innovation_box": {"qualifying_income": "1億", "taxable_income": "10億"},
    "oi_promotion": {"deals": [{"price": "10億"}]},
}


def test_built_in_tools_and_what_is_generated_from_them():
    assert list(TOOLS) == ["rd_credit", "lookup_ranking", "tax_compare", "innovation_box", "oi_promotion"]
    assert [spec.name for spec in generated_tools()] == [
        "rd_credit",
        "tax_compare",
        "innovation_box",
        "oi_promotion",
    ]
    # specific readers first, the R&D credit (any credit question with amounts) last
    assert [spec.name for spec in question_tools()] == [
        "innovation_box",
        "oi_promotion",
        "tax_compare",
        "rd_credit",
    ]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_calculator_runs_and_renders_in_both_languages(name):
    spec = get_tool(name)
    result = spec.call(EXAMPLES[name])
    assert isinstance(result, spec.result_model)
    ja, en = spec.render_text(result, "ja"), spec.render_text(result, "en")
    assert ja and en and ja != en
    assert spec.rule_slide is not None
    assert default_bundle().rule_slide(spec.rule_slide.title).search_query  # the bundle knows its slide


def test_parsers_return_the_tools_arguments():
    proposal = get_tool("rd_credit").from_question(
        "R&D税制の控除はいくら？前3期は8億ずつ、今期10億、売上は4期とも200億、法人税3億", ()
    )
    assert proposal.status == "ready"
    assert get_tool("rd_credit").call(proposal.arguments).total_credit == 90_000_000
    box = get_tool("innovation_box").from_question(
        "イノベーション拠点税制で、ライセンス収入10億円なら控除はいくら？", ()
    )
    assert box.status == "ready" and get_tool("innovation_box").call(box.arguments).deduction == 300_000_000
    assert get_tool("oi_promotion").from_question("研究開発税制の概要は？", ()).status == "not_applicable"


def test_register_and_unregister():
    class In(BaseModel):
        x: int

    spec = ToolSpec(
        name="toy_echo", function=lambda inp: inp, input_model=In, result_model=In, description="echo"
    )
    register_tool(spec)
    try:
        assert get_tool("toy_echo") is spec and spec in generated_tools()
        with pytest.raises(ValueError, match="already registered"):
            register_tool(spec)
    finally:
        unregister_tool("toy_echo")
    assert "toy_echo" not in TOOLS


def test_a_spec_is_checked_when_declared():
    with pytest.raises(ValueError, match="snake_case"):
        ToolSpec(
            name="Bad Name", function=print, input_model=BaseModel, result_model=BaseModel, description=""
        )
    with pytest.raises(TypeError, match="not a pydantic model"):
        ToolSpec(name="bad", function=print, input_model=dict, result_model=BaseModel, description="")  # type: ignore[arg-type]
