"""Events over real HTTP into the real Bolt app: signatures, mentions, retries, self-messages, DMs."""

from __future__ import annotations

import asyncio
import json
import time

from bot.fake_web_api import FakeSlack, wait_calls
from tests.slack.conftest import FakeAnswerer, SlackClient, mention


async def settle() -> None:
    """Give any (wrong) second answer time to arrive before asserting there was none."""
    await asyncio.sleep(0.5)


async def test_url_verification_echoes_the_challenge(slack: SlackClient) -> None:
    body = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = await slack.post(body, "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


async def test_forged_signature_is_rejected(slack: SlackClient, fake_slack: FakeSlack) -> None:
    response = await slack.event(mention("研究開発税制の控除率は？"), secret="not-the-secret")
    assert response.status_code == 401
    await settle()
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_stale_signature_is_rejected(slack: SlackClient, fake_slack: FakeSlack) -> None:
    response = await slack.event(mention("研究開発税制の控除率は？"), timestamp=int(time.time()) - 10 * 60)
    assert response.status_code == 401
    await settle()
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_mention_is_answered_in_its_thread(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    response = await slack.event(mention("研究開発税制の控除率は？", ts="1700000000.000100"))
    assert response.status_code == 200
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["channel"] == "C0001"
    assert post.params["thread_ts"] == "1700000000.000100"
    assert post.token == "xoxb-test-token"
    blocks = post.blocks()
    assert blocks[0]["type"] == "section"
    assert "回答: 研究開発税制の控除率は？ &lt;script&gt; &amp; more" in blocks[0]["text"]["text"]
    context_texts = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert any(t.startswith("p.27 *研究開発税制の概要*") for t in context_texts)
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == ["feedback_up", "feedback_down"]
    assert answerer.questions == [("研究開発税制の控除率は？", [])]


async def test_mention_inside_a_thread_replies_in_that_thread(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    await slack.event(mention("もう一つ質問", ts="1700000050.000100", thread_ts="1700000000.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["thread_ts"] == "1700000000.000100"


async def test_retried_event_is_answered_once(slack: SlackClient, fake_slack: FakeSlack) -> None:
    event = mention("東京のスタートアップ順位は？", ts="1700000001.000100")
    first = await slack.event(event, event_id="EvRETRY1")
    retry_headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    second = await slack.event(event, event_id="EvRETRY1", headers=retry_headers)
    third = await slack.event(event, event_id="EvRETRY1", headers={**retry_headers, "X-Slack-Retry-Num": "2"})
    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 200]
    await wait_calls(fake_slack, "chat.postMessage")
    await settle()
    assert len(fake_slack.calls_of("chat.postMessage")) == 1


async def test_same_post_as_app_mention_and_message_is_answered_once(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    await slack.event(mention("最初の質問", ts="1700000002.000100"))
    await wait_calls(fake_slack, "chat.postMessage")
    # a follow-up in that thread mentioning the bot arrives twice: as app_mention and as message
    follow_up = mention("続きの質問", ts="1700000003.000100", thread_ts="1700000002.000100")
    as_message = {**follow_up, "type": "message", "channel_type": "channel"}
    await slack.event(as_message)
    await slack.event(follow_up)
    await wait_calls(fake_slack, "chat.postMessage", 2)
    await settle()
    posts = fake_slack.calls_of("chat.postMessage")
    assert len(posts) == 2
    assert posts[1].params["thread_ts"] == "1700000002.000100"
    assert [q for q, _ in answerer.questions] == ["最初の質問", "続きの質問"]


async def test_thread_follow_up_keeps_the_thread_context(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    await slack.event(mention("研究開発税制の控除率は？", ts="1700000004.000100"))
    await wait_calls(fake_slack, "chat.postMessage")
    follow_up = {
        "type": "message",
        "channel_type": "channel",
        "user": "U0001",
        "text": "上限は？",
        "ts": "1700000005.000100",
        "thread_ts": "1700000004.000100",
        "channel": "C0001",
    }
    await slack.event(follow_up)
    posts = await wait_calls(fake_slack, "chat.postMessage", 2)
    assert posts[1].params["thread_ts"] == "1700000004.000100"
    question, history = answerer.questions[1]
    assert question == "上限は？"
    assert history[0] == "研究開発税制の控除率は？"
    assert history[1].startswith("回答: 研究開発税制の控除率は？")


async def test_channel_chatter_outside_bot_threads_is_ignored(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    chatter = {
        "type": "message",
        "channel_type": "channel",
        "user": "U0002",
        "text": "lunch?",
        "ts": "1700000006.000100",
        "channel": "C0001",
    }
    assert (await slack.event(chatter)).status_code == 200
    await settle()
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_own_message_is_ignored(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    own = {
        "type": "message",
        "channel_type": "im",
        "user": "UBOT",
        "bot_id": "BBOT",
        "text": "回答: …",
        "ts": "1700000007.000100",
        "channel": "D0001",
    }
    assert (await slack.event(own)).status_code == 200
    await settle()
    assert fake_slack.calls_of("chat.postMessage") == []
    assert answerer.questions == []


async def test_other_bots_messages_are_ignored(slack: SlackClient, fake_slack: FakeSlack) -> None:
    other = {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "BOTHER",
        "text": "<@UBOT> ping",
        "ts": "1700000008.000100",
        "channel": "D0001",
        "channel_type": "im",
    }
    other_mention = {**mention("ping", ts="1700000009.000100"), "bot_id": "BOTHER"}
    await slack.event(other)
    await slack.event(other_mention)
    await settle()
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_direct_message_is_answered_in_the_dm(slack: SlackClient, fake_slack: FakeSlack) -> None:
    dm = {
        "type": "message",
        "channel_type": "im",
        "user": "U0001",
        "text": "Summarise chapter 2 please? no: what is GII?",
        "ts": "1700000010.000100",
        "channel": "D0001",
    }
    await slack.event(dm)
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["channel"] == "D0001"
    assert "thread_ts" not in post.params


async def test_assistant_thread_shows_status_and_answers_in_the_thread(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    started = {
        "type": "assistant_thread_started",
        "event_ts": "1700000011.000100",
        "assistant_thread": {
            "user_id": "U0001",
            "channel_id": "D0001",
            "thread_ts": "1700000011.000001",
            "context": {},
        },
    }
    await slack.event(started)
    [prompts] = await wait_calls(fake_slack, "assistant.threads.setSuggestedPrompts")
    titles = [p["title"] for p in prompts.json_param("prompts")]
    assert titles == ["東京のスタートアップ順位は？", "研究開発税制の控除率", "Summarise chapter 2"]
    question = {
        "type": "message",
        "channel_type": "im",
        "user": "U0001",
        "text": "研究開発税制の控除率",
        "ts": "1700000012.000100",
        "thread_ts": "1700000011.000001",
        "channel": "D0001",
    }
    await slack.event(question)
    [status] = await wait_calls(fake_slack, "assistant.threads.setStatus")
    assert status.params["status"] == "is thinking…"
    posts = await wait_calls(fake_slack, "chat.postMessage", 2)  # greeting, then the answer
    assert posts[-1].params["thread_ts"] == "1700000011.000001"
    assert "研究開発税制の控除率" in posts[-1].params["text"]


async def test_summarize_in_a_thread_replies_there(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.event(
        mention("summarize 研究開発税制", ts="1700000013.000100", thread_ts="1700000000.000900")
    )
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["thread_ts"] == "1700000000.000900"
    blocks = post.blocks()
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "我が国の研究開発インセンティブの現状と課題④"},
    }
    assert "• 総額型の控除率は1～14％ _(p.27)_" in blocks[2]["text"]["text"]


async def test_rate_limited_user_gets_a_polite_reply(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    for n in range(6):  # the fixture allows 5 per minute
        await slack.event(mention(f"質問{n}", ts=f"1700000020.00010{n}"))
    posts = await wait_calls(fake_slack, "chat.postMessage", 6)
    assert len(answerer.questions) == 5
    limited = [p for p in posts if "1分あたり5件まで" in p.params["text"]]
    assert len(limited) == 1


async def test_app_home_lists_sections_with_summarize_buttons(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    await slack.event(
        {
            "type": "app_home_opened",
            "user": "U0001",
            "channel": "D0001",
            "tab": "home",
            "event_ts": "1700000030.000100",
        }
    )
    [publish] = await wait_calls(fake_slack, "views.publish")
    view = publish.json_param("view")
    assert publish.params["user_id"] == "U0001"
    buttons = [b["accessory"] for b in view["blocks"] if b.get("accessory")]
    assert [b["value"] for b in buttons] == [
        "我が国の研究開発インセンティブの現状と課題④",
        "“科学とビジネスの近接化”の時代",
    ]
    assert {b["action_id"] for b in buttons} == {"home_summarize"}


async def test_engine_failure_reaches_the_user_without_internals(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    def broken(question: str, *, history=()):
        raise RuntimeError("secret internal detail /srv/db")

    answerer.answer = broken  # type: ignore[method-assign]
    await slack.event(mention("壊れる質問", ts="1700000040.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["thread_ts"] == "1700000040.000100"
    assert "エラーが発生しました" in post.params["text"]
    assert "secret internal detail" not in json.dumps(post.params)


async def test_healthz_reports_token_store_index_and_engine(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    response = await slack.http.get(f"{slack.base_url}/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["index"], body["engine"]) == ("ok", {"chunks": 42}, "fake")
    assert body["token"]["ok"] is True
    assert (body["token"]["team_id"], body["token"]["bot_user_id"]) == ("T0001", "UBOT")
    assert (body["store"]["backend"], body["store"]["ok"], body["store"]["state"]) == ("sqlite", True, "ok")
    [auth] = fake_slack.calls_of("auth.test")
    assert auth.token == "xoxb-test-token"


async def test_each_message_gets_one_request_log_line_with_its_outcome(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    from structlog.testing import capture_logs

    with capture_logs() as logs:
        event = mention("研究開発税制の控除率は？", ts="1700000700.000100")
        await slack.event(event, event_id="EvLOG1")
        await wait_calls(fake_slack, "chat.postMessage")
        await slack.event(
            {**event, "type": "message", "channel_type": "channel", "thread_ts": event["ts"]},
            event_id="EvLOG2",
        )
        # each line is written when its handling ends, which on a loaded machine can trail the post
        for _ in range(100):
            if sum(1 for line in logs if line.get("event") == "request") >= 2:
                break
            await asyncio.sleep(0.1)
        await settle()
    lines = sorted(
        (line for line in logs if line.get("event") == "request"), key=lambda line: line["event_id"]
    )
    assert [(line["surface"], line["event_id"], line["outcome"]) for line in lines] == [
        ("mention", "EvLOG1", "answered"),
        ("thread", "EvLOG2", "duplicate"),  # the line is written when handling ends, so order may vary
    ]
    assert lines[0]["engine"] == "fake" and lines[0]["user"] == "U0001"


async def test_mention_in_a_thread_the_bot_has_not_seen_reads_the_thread_first(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    fake_slack.replies["1700000800.000100"] = [
        {"ts": "1700000800.000100", "user": "U0002", "text": "OI型の控除率はいくつ？"},
        {"ts": "1700000801.000100", "user": "U0003", "text": "大学との共同研究なら高いはず"},
        {"ts": "1700000802.000100", "user": "U0001", "text": "<@UBOT> どうですか？"},
    ]
    await slack.event(mention("どうですか？", ts="1700000802.000100", thread_ts="1700000800.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    [replies] = fake_slack.calls_of("conversations.replies")
    assert (replies.params["channel"], replies.params["ts"]) == ("C0001", "1700000800.000100")
    assert post.params["thread_ts"] == "1700000800.000100"
    assert answerer.questions == [
        ("どうですか？", ["OI型の控除率はいくつ？", "大学との共同研究なら高いはず"])
    ]


async def test_unreadable_thread_is_answered_without_its_history(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeAnswerer
) -> None:
    fake_slack.fail("conversations.replies", "missing_scope")
    await slack.event(mention("控除率は？", ts="1700000902.000100", thread_ts="1700000900.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["thread_ts"] == "1700000900.000100"
    assert answerer.questions == [("控除率は？", [])]
