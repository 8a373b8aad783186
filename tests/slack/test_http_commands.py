"""Slash commands, the /rdcredit modal, buttons and the message shortcut, over real HTTP."""

from __future__ import annotations

import asyncio
import json

from bot.fake_web_api import FakeSlack, wait_calls
from bot.services import Services
from tests.slack.conftest import FakeAnswerer, SlackClient, mention

ISSUE_EXAMPLE = "rd=105億 prior=100億,100億,100億 sales=1000億,1000億,1000億,1000億 tax=50億"
# Hand-computed: increase +5% -> 9.75%; intensity 10.5% -> bonus 0.25% -> 9.774375% -> truncated 9.7%;
# 105億 x 9.7% = 1,018,500,000円; cap max(+0.625, +1) -> 26% of 50億 = 13億, not binding.
ISSUE_EXAMPLE_CREDIT = "1,018,500,000円"


def texts(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


async def test_rdcredit_with_arguments_answers_privately_with_working_and_share(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    response = await slack.command("/rdcredit", ISSUE_EXAMPLE, response_url=fake_slack.response_url)
    assert response.status_code == 200
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert (ephemeral.params["channel"], ephemeral.params["user"]) == ("C0001", "U0001")
    blocks = ephemeral.blocks()
    assert f"税額控除額 / Credit: {ISSUE_EXAMPLE_CREDIT}" in blocks[1]["text"]["text"]
    assert "控除率 / rate 9.7%" in blocks[1]["text"]["text"]
    assert "11.5% − (12% − 5%) × 0.25 = 9.75%" in texts(blocks)
    [share] = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert share["action_id"] == "rdcredit_share"
    assert fake_slack.calls_of("chat.postMessage") == []  # nothing public


async def test_rdcredit_japanese_keys_work_like_english_ones(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    text = "試験研究費＝105億 前3年=100億、100億、100億 売上=1000億,1000億,1000億,1000億 法人税額=50億"
    await slack.command("/rdcredit", text, response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert ISSUE_EXAMPLE_CREDIT in ephemeral.params["text"]


async def test_rdcredit_missing_arguments_names_each_missing_field(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    await slack.command("/rdcredit", "rd=105億", response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    body = ephemeral.blocks()[0]["text"]["text"]
    assert "`prior`: 前3年の試験研究費を入力してください。" in body
    assert "`sales`: 売上金額を入力してください。" in body
    assert "`tax`: Please give corporate tax (tax=)." in body


async def test_rdcredit_bad_amount_is_a_friendly_error(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.command(
        "/rdcredit", ISSUE_EXAMPLE.replace("rd=105億", "rd=たくさん"), response_url=fake_slack.response_url
    )
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    body = ephemeral.blocks()[0]["text"]["text"]
    assert "`rd`: 「rd」の金額「たくさん」を読み取れません" in body
    assert "Traceback" not in body


async def test_rdcredit_unknown_key_is_named(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.command("/rdcredit", ISSUE_EXAMPLE + " profit=3億", response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert "「profit」という項目はありません" in ephemeral.blocks()[0]["text"]["text"]


async def test_rdcredit_help_shows_usage(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.command("/rdcredit", "help", response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert "`prior=` (前3年=)" in ephemeral.blocks()[0]["text"]["text"]


async def test_rdcredit_falls_back_to_response_url_outside_the_bots_channels(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postEphemeral", "channel_not_found")
    await slack.command("/rdcredit", ISSUE_EXAMPLE, response_url=fake_slack.response_url)
    [reply] = await wait_calls(fake_slack, "response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert ISSUE_EXAMPLE_CREDIT in reply.params["text"]


async def test_rdcredit_without_arguments_opens_the_modal(slack: SlackClient, fake_slack: FakeSlack) -> None:
    response = await slack.command("/rdcredit", "", response_url=fake_slack.response_url)
    assert response.status_code == 200
    [opened] = await wait_calls(fake_slack, "views.open")
    view = opened.json_param("view")
    assert opened.params["trigger_id"] == "1337.42.abcd"
    assert view["callback_id"] == "rdcredit_modal"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"][:5] == [
        "rd",
        "prior",
        "sales",
        "tax",
        "company",
    ]
    assert json.loads(view["private_metadata"]) == {"channel": "C0001"}


def modal_submission(rd: str, prior: str, sales: str, tax: str) -> dict:
    def text(value: str) -> dict:
        return {"value": {"type": "plain_text_input", "value": value}}

    return {
        "type": "view_submission",
        "user": {"id": "U0001", "name": "alice"},
        "trigger_id": "1.2.3",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "rdcredit_modal",
            "private_metadata": '{"channel": "C0001"}',
            "state": {
                "values": {
                    "rd": text(rd),
                    "prior": text(prior),
                    "sales": text(sales),
                    "tax": text(tax),
                    "company": {"value": {"type": "radio_buttons", "selected_option": {"value": "large"}}},
                    "options": {"value": {"type": "checkboxes", "selected_options": []}},
                    "oi_university": text(""),
                    "oi_startup": text(""),
                    "oi_other": text(""),
                }
            },
        },
    }


async def test_modal_submission_shows_errors_on_the_fields(slack: SlackClient, fake_slack: FakeSlack) -> None:
    response = await slack.interaction(modal_submission("abc", "10億,10億,10億", "", "10億"))
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"rd", "sales"}
    assert body["errors"]["rd"].startswith("「rd」の金額「abc」を読み取れません")
    assert body["errors"]["sales"].startswith("売上金額を入力してください。")
    assert all(len(message) <= 150 for message in body["errors"].values())
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_modal_submission_sends_the_result_to_the_user(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    # spec Case 5: 10.5億 R&D, +5% -> 9.7% after truncation -> 101,850,000円
    response = await slack.interaction(
        modal_submission("1,050,000,000", "10億,10億,10億", "200億,200億,200億,200億", "10億")
    )
    assert response.status_code == 200
    assert response.text == ""
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["channel"] == "U0001"
    assert "101,850,000円" in post.params["text"]


async def test_share_button_posts_the_result_in_the_channel(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    await slack.command("/rdcredit", ISSUE_EXAMPLE, response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    [share] = [e for b in ephemeral.blocks() if b["type"] == "actions" for e in b["elements"]]
    await slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": "U0001"},
            "channel": {"id": "C0001"},
            "response_url": fake_slack.response_url,
            "trigger_id": "1.2.3",
            "container": {"type": "message"},
            "actions": [
                {**share, "type": "button", "block_id": "rdcredit_share", "action_ts": "1700000100.1"}
            ],
        }
    )
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["channel"] == "C0001"
    assert post.params["text"].startswith("<@U0001> が共有 / shared:")
    assert ISSUE_EXAMPLE_CREDIT in post.params["text"]
    assert not any(b["type"] == "actions" for b in post.blocks())


async def test_deckrank_posts_the_rows_with_the_slide(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.command("/deckrank", "gii 東京", response_url=fake_slack.response_url)
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    blocks = post.blocks()
    assert post.params["channel"] == "C0001"
    assert blocks[0]["text"]["text"] == "2024年世界トップ15のGII科学技術クラスター(規模別)"
    assert "我が国のイノベーション拠点の強みと課題②" in blocks[1]["elements"][0]["text"]
    table = blocks[2]["text"]["text"]
    assert table.startswith("```") and "1  東京‐横浜     日本" in table


async def test_deckrank_unknown_table_lists_the_tables_privately(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    await slack.command("/deckrank", "nosuchtable", response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert "表「nosuchtable」は見つかりません" in ephemeral.params["text"]
    assert "gii_clusters_2024" in ephemeral.blocks()[0]["text"]["text"]
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_decksummary_posts_a_parent_and_the_summary_in_its_thread(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    await slack.command("/decksummary", "研究開発税制", response_url=fake_slack.response_url)
    parent, reply = await wait_calls(fake_slack, "chat.postMessage", 2)
    assert parent.params["channel"] == reply.params["channel"] == "C0001"
    assert "thread_ts" not in parent.params
    assert "<@U0001>" in parent.blocks()[0]["text"]["text"]
    assert reply.params["thread_ts"] == parent.response["ts"]
    assert reply.blocks()[0]["type"] == "header"


async def test_decksummary_with_no_match_answers_privately(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.command("/decksummary", "量子コンピュータの料理", response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert "「量子コンピュータの料理」に当たる節が見つかりませんでした" in ephemeral.params["text"]
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_feedback_button_is_stored_with_question_and_answer(
    slack: SlackClient, fake_slack: FakeSlack, services: Services
) -> None:
    await slack.event(mention("研究開発税制の控除率は？", ts="1700000200.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    [down] = [
        e
        for b in post.blocks()
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "feedback_down"
    ]
    await slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": "U0002"},
            "channel": {"id": "C0001"},
            "message": {"ts": "1700000201.000100", "thread_ts": "1700000200.000100"},
            "container": {"type": "message"},
            "trigger_id": "1.2.3",
            "actions": [{**down, "type": "button", "block_id": "feedback", "action_ts": "1.1"}],
        }
    )
    [thanks] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert thanks.params["user"] == "U0002"
    summary = services.feedback.summary()
    assert (summary.answers, summary.thumbs_up, summary.thumbs_down) == (1, 0, 1)
    assert summary.recent_down[0].question == "研究開発税制の控除率は？"
    assert summary.recent_down[0].user_id == "U0002"


async def test_message_shortcut_summarizes_in_the_message_thread(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    await slack.interaction(
        {
            "type": "message_action",
            "callback_id": "summarize_message",
            "trigger_id": "1.2.3",
            "user": {"id": "U0001"},
            "channel": {"id": "C0001"},
            "response_url": fake_slack.response_url,
            "message": {"type": "message", "ts": "1700000300.000100", "text": "研究開発税制の話"},
        }
    )
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["thread_ts"] == "1700000300.000100"
    assert answerer.summary_queries == ["研究開発税制の話"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


async def test_deckrank_uploads_its_chart_into_the_reply_thread(
    slack: SlackClient, fake_slack: FakeSlack, services: Services
) -> None:
    services.ranking_chart = lambda result: (PNG, f"{result.title_ja}: 東京‐横浜 1位")
    await slack.command("/deckrank", "gii 東京", response_url=fake_slack.response_url)
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    [get_url] = await wait_calls(fake_slack, "files.getUploadURLExternal")
    [complete] = await wait_calls(fake_slack, "files.completeUploadExternal")
    assert get_url.params["alt_txt"] == "2024年世界トップ15のGII科学技術クラスター(規模別): 東京‐横浜 1位"
    assert int(get_url.params["length"]) == len(PNG)
    assert complete.params["channel_id"] == "C0001"
    assert complete.params["thread_ts"] == post.response["ts"]


async def test_failed_chart_upload_keeps_the_text_answer(
    slack: SlackClient, fake_slack: FakeSlack, services: Services
) -> None:
    services.ranking_chart = lambda result: (PNG, "alt")
    fake_slack.fail("files.getUploadURLExternal", "ratelimited")
    await slack.command("/deckrank", "gii 東京", response_url=fake_slack.response_url)
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    await wait_calls(fake_slack, "files.getUploadURLExternal")
    await asyncio.sleep(0.3)
    assert "東京‐横浜" in json.dumps(post.blocks(), ensure_ascii=False)
    assert fake_slack.calls_of("chat.postMessage") == [post]  # no error message replaced or followed it
    assert fake_slack.calls_of("files.completeUploadExternal") == []


async def test_rdcredit_chart_goes_to_the_users_dm(
    slack: SlackClient, fake_slack: FakeSlack, services: Services
) -> None:
    services.rdcredit_chart = lambda result: (PNG, f"税額控除額 {result.total_credit:,}円")
    await slack.command("/rdcredit", ISSUE_EXAMPLE, response_url=fake_slack.response_url)
    await wait_calls(fake_slack, "chat.postEphemeral")
    [opened] = await wait_calls(fake_slack, "conversations.open")
    [get_url] = await wait_calls(fake_slack, "files.getUploadURLExternal")
    [complete] = await wait_calls(fake_slack, "files.completeUploadExternal")
    assert opened.params["users"] == "U0001"
    assert get_url.params["alt_txt"] == "税額控除額 1,018,500,000円"
    assert complete.params["channel_id"] == opened.response["channel"]["id"]


async def test_deckrank_rank_zero_is_a_friendly_error(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.command("/deckrank", "gii 0", response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    assert "順位は1以上で指定してください" in ephemeral.params["text"]
