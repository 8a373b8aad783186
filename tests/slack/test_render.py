"""Block Kit renderers: structure, escaping, citations, aligned tables and Slack's size limits."""

from __future__ import annotations

import html

import pytest

from bot.render.answer import render_answer
from bot.render.home import render_home
from bot.render.modals import render_rdcredit_modal
from bot.render.ranking import render_ranking, render_table_list
from bot.render.rdcredit import render_rdcredit_result
from bot.render.summary import render_summary, render_summary_parent, slide_range
from bot.render.text import code_tables, display_width, escape_mrkdwn, split_text
from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.models import Answer, Citation
from tools.rankings import RankingQuery, list_tables, lookup_ranking
from tools.rd_credit import RdCreditInput, compute_rd_credit


def assert_within_slack_limits(blocks: list[dict], *, max_blocks: int = 50) -> None:
    assert 0 < len(blocks) <= max_blocks
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75
                assert len(element.get("value", "")) <= 2000


def answer(text: str, citations: list[Citation] | None = None, **extra) -> Answer:
    return Answer(answer=text, status="answered", engine="offline", citations=citations or [], **extra)


def test_mrkdwn_control_characters_are_escaped() -> None:
    assert escape_mrkdwn("R&D <@U1> <!channel> a>b") == "R&amp;D &lt;@U1&gt; &lt;!channel&gt; a&gt;b"
    [message] = render_answer(answer("R&D税制 <!channel> **控除率**は1～14%"))
    text = message.block_dicts()[0]["text"]["text"]
    assert text == "R&amp;D税制 &lt;!channel&gt; *控除率*は1～14%"


def test_citations_render_as_context_with_page_and_section() -> None:
    citations = [
        Citation(slide=27, section="研究開発税制の概要", text="一般型の控除率は1～14％ " * 10),
        Citation(slide=27, section="研究開発税制の概要", text="repeat of the same slide"),
        Citation(slide=30, section="研究開発税制国際比較", text=""),
    ]
    [message] = render_answer(answer("本文", citations), answer_id="a1")
    [context] = [b for b in message.block_dicts() if b["type"] == "context"]
    texts = [e["text"] for e in context["elements"]]
    assert texts[0] == ":page_facing_up: 出典 / Sources"
    assert texts[1].startswith("p.27 *研究開発税制の概要* — 一般型の控除率は1～14％")
    assert texts[1].endswith("…")
    assert texts[2] == "p.30 *研究開発税制国際比較*"
    assert len(texts) == 3


def test_citations_name_their_document_then_the_page() -> None:
    deck = {"document_id": "meti-deck", "document_title": "中間とりまとめ 参考資料"}
    memo = {"document_id": "memo", "document_title": "R&D <!channel> memo"}
    citations = [
        Citation(slide=6, page=6, section="研究開発税制の概要", text="控除率は1～14％", **deck),
        Citation(slide=6, page=6, section="研究開発税制の概要", text="the same page again", **deck),
        Citation(slide=6, page=6, section="研究開発税制の概要", text="same page, other document", **memo),
        Citation(slide=2, page=None, section="Intro", text="", **memo),  # no page: falls back to the slide
    ]
    [message] = render_answer(answer("本文", citations))
    [context] = [b for b in message.block_dicts() if b["type"] == "context"]
    texts = [e["text"] for e in context["elements"]][1:]
    assert texts == [
        "*中間とりまとめ 参考資料* p.6 研究開発税制の概要 — 控除率は1～14％",
        "*R&amp;D &lt;!channel&gt; memo* p.6 研究開発税制の概要 — same page, other document",
        "*R&amp;D &lt;!channel&gt; memo* p.2 Intro",
    ]


def test_citations_with_document_titles_keep_the_context_element_limit() -> None:
    citations = [
        Citation(
            slide=n,
            page=n,
            section=f"節{n}",
            text="抜粋",
            document_id=f"d{n % 3}",
            document_title=f"文書{n % 3}",
        )
        for n in range(1, 40)
    ]
    [message] = render_answer(answer("本文", citations))
    contexts = [b for b in message.block_dicts() if b["type"] == "context"]
    assert contexts and all(len(c["elements"]) <= 10 for c in contexts)
    assert contexts[0]["elements"][1]["text"] == "*文書1* p.1 節1 — 抜粋"


def test_feedback_buttons_carry_the_answer_id() -> None:
    [message] = render_answer(answer("本文"), answer_id="abc123")
    actions = message.block_dicts()[-1]
    assert actions["type"] == "actions"
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("feedback_up", "abc123"),
        ("feedback_down", "abc123"),
    ]


def test_not_in_deck_and_unverified_numbers_are_flagged() -> None:
    result = Answer(
        answer="資料には記載がありません。",
        status="not_in_deck",
        engine="offline",
        grounded=False,
        ungrounded_numbers=["42%"],
    )
    [message] = render_answer(result)
    contexts = " ".join(
        e["text"] for b in message.block_dicts() if b["type"] == "context" for e in b["elements"]
    )
    assert "Not found in the deck" in contexts
    assert "unverified figures: 42%" in contexts


def test_very_long_answer_is_split_into_messages_within_limits_without_losing_text() -> None:
    paragraph = "研究開発税制の控除率は1～14%で、R&D <投資> を促す。" * 40
    long_text = "\n\n".join(f"{n}. {paragraph}" for n in range(120))  # ~290,000 characters
    citations = [Citation(slide=n, section=f"節{n}", text="抜粋") for n in range(1, 40)]
    messages = render_answer(answer(long_text, citations), answer_id="id1")
    assert len(messages) >= 2
    for message in messages:
        assert_within_slack_limits(message.block_dicts())
        assert len(message.text) <= 3000
    sections = [b["text"]["text"] for m in messages for b in m.block_dicts() if b["type"] == "section"]
    assert html.unescape("".join(sections)).replace("\n", "") == long_text.replace("\n", "")
    assert [b["type"] for b in messages[-1].block_dicts()][-1] == "actions"
    assert all(b["type"] != "actions" for m in messages[:-1] for b in m.block_dicts())


def test_absurdly_long_answer_is_truncated_not_rejected() -> None:
    messages = render_answer(answer("あ" * 1_000_000))
    assert len(messages) <= 4
    for message in messages:
        assert_within_slack_limits(message.block_dicts())
    assert "truncated" in messages[-1].block_dicts()[-1]["text"]["text"]


def test_split_never_cuts_an_escaped_entity() -> None:
    pieces = split_text(escape_mrkdwn("&" * 2000), limit=3000)
    assert len(pieces) == 4  # 10,000 escaped characters in whole entities
    assert all(p.endswith("&amp;") and len(p) <= 3000 for p in pieces)


def test_code_table_aligns_japanese_and_numbers() -> None:
    [table] = code_tables(
        ["順位", "都市名", "社数"],
        [["1", "シリコンバレー", "120"], ["12", "東京", "5"]],
        numeric=[True, False, True],
    )
    lines = table.strip("`\n").split("\n")
    assert lines[2] == "   1  シリコンバレー   120"
    assert lines[3] == "  12  東京" + " " * 15 + "5"  # 東京 is 4 columns wide, padded to 14, then 2 + "   5"
    assert len({display_width(line) for line in lines[2:]}) == 1


def test_long_table_is_split_into_blocks_repeating_the_header() -> None:
    rows = [[str(n), f"entity-{n}" * 5, str(n * 1000)] for n in range(400)]
    tables = code_tables(["rank", "name", "value"], rows, numeric=[True, False, True])
    assert len(tables) > 1
    assert all(len(t) <= 3000 and t.startswith("```\nrank") and t.endswith("```") for t in tables)


def test_ranking_render_of_every_table_stays_within_limits(tables) -> None:
    for info in list_tables(tables):
        result = lookup_ranking(tables, RankingQuery(table=info.id))
        message = render_ranking(result)
        blocks = message.block_dicts()
        assert_within_slack_limits(blocks)
        assert blocks[0]["type"] == "header"
        assert info.slide_title in blocks[1]["elements"][0]["text"]
    assert_within_slack_limits(render_table_list(list_tables(tables)).block_dicts())


def test_ranking_without_match_suggests_candidates(tables) -> None:
    result = lookup_ranking(tables, RankingQuery(table="gii_clusters_2024", entity="東京横浜市"))
    text = render_ranking(result).block_dicts()[2]["text"]["text"]
    assert text.startswith("「東京横浜市」に一致する行はありません。") or "東京‐横浜" in text


@pytest.mark.parametrize(
    "rd, credit",
    [(1_050_000_000, "101,850,000円"), (600_000_000, "6,000,000円")],
    ids=["spec-case-5-truncation", "spec-case-1-floor"],
)
def test_rdcredit_result_shows_credit_and_working(rd: int, credit: str) -> None:
    result = compute_rd_credit(
        RdCreditInput(rd=rd, prior_rd=[1_000_000_000] * 3, sales=[20_000_000_000] * 4, tax=1_000_000_000)
    )
    blocks = render_rdcredit_result(result, share_value='{"c": "C1", "t": "rd=1"}').block_dicts()
    assert_within_slack_limits(blocks)
    assert blocks[1]["text"]["text"].startswith(f"*税額控除額 / Credit: {credit}*")
    assert "計算 / Working" in blocks[2]["text"]["text"]
    assert blocks[-1]["elements"][0]["action_id"] == "rdcredit_share"


def test_summary_parent_and_reply() -> None:
    section = SectionInfo(key="k", title="長い題名" * 60, chapter="第2章", slides=[27, 28, 29, 31])
    summary = SectionSummary(section=section, bullets=[Citation(slide=27, section="x", text="要点 & <注意>")])
    blocks = render_summary(summary).block_dicts()
    assert_within_slack_limits(blocks)
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"].endswith("…")
    assert blocks[1]["elements"][0]["text"] == "第2章 · p.27–29, 31"
    assert blocks[2]["text"]["text"] == "• 要点 &amp; &lt;注意&gt; _(p.27)_"
    parent = render_summary_parent(summary, requested_by="U1").block_dicts()
    assert len(parent) == 1 and "<@U1>" in parent[0]["text"]["text"]
    assert slide_range([5]) == "p.5"


def test_home_view_has_a_summarize_button_per_section_within_100_blocks() -> None:
    sections = [SectionInfo(key=str(n), title=f"節{n}", chapter="章", slides=[n]) for n in range(1, 64)]
    view = render_home(sections).to_dict()
    assert view["type"] == "home"
    assert_within_slack_limits(view["blocks"], max_blocks=100)
    buttons = [b["accessory"]["value"] for b in view["blocks"] if "accessory" in b]
    assert buttons == [f"節{n}" for n in range(1, 64)]
    many = render_home([SectionInfo(key=str(n), title=f"節{n}", slides=[n]) for n in range(200)]).to_dict()
    assert len(many["blocks"]) == 100


def test_rdcredit_modal_is_valid_block_kit() -> None:
    view = render_rdcredit_modal(private_metadata="{}").to_dict()
    assert view["callback_id"] == "rdcredit_modal"
    assert len(view["title"]["text"]) <= 24
    labels = {b["block_id"]: b["label"]["text"] for b in view["blocks"] if b["type"] == "input"}
    assert labels["rd"] == "試験研究費（当期） / R&D this year"
    assert list(labels)[-3:] == ["oi_university", "oi_startup", "oi_other"]
