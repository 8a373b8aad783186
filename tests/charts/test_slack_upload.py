"""End to end over the real Bolt app and the fake Web API, with the real chart hooks wired as in production.

The Slack helper's tests cover the upload plumbing with stub charts; these check what users get: a real PNG
and alt text with the key figures, in the DM (/rdcredit) or the reply thread (/deckrank), and that the text
answer survives a failing upload.
"""

import asyncio
import json

import pytest

from bot.services import Services, _optional_chart
from tests.charts.conftest import png_size
from tests.slack.conftest import SlackClient, answerer, fake_slack, services, settings, slack  # noqa: F401
from bot.fake_web_api import FakeSlack, wait_calls

CASE5 = "rd=10.5億 prior=10億,10億,10億 sales=200億,200億,200億,200億 tax=10億"


@pytest.fixture
def charted(services: Services, tables) -> Services:  # noqa: F811
    """The services with the chart hooks exactly as `build_services` wires them."""
    services.rdcredit_chart = _optional_chart("rdcredit")
    services.ranking_chart = _optional_chart("ranking", tables=tables)
    return services


def _uploaded_png(fake: FakeSlack) -> bytes:
    [upload] = fake.calls_of("upload")
    raw = upload.params["_bytes"]
    return raw[raw.index(b"\x89PNG") :]


async def test_rdcredit_uploads_the_rate_curve_to_the_users_dm(
    slack: SlackClient,  # noqa: F811
    fake_slack: FakeSlack,  # noqa: F811
    charted: Services,
) -> None:
    await slack.command("/rdcredit", CASE5, response_url=fake_slack.response_url)
    [ephemeral] = await wait_calls(fake_slack, "chat.postEphemeral")
    [opened] = await wait_calls(fake_slack, "conversations.open")
    [get_url] = await wait_calls(fake_slack, "files.getUploadURLExternal")
    [complete] = await wait_calls(fake_slack, "files.completeUploadExternal")
    assert "101,850,000" in json.dumps(ephemeral.blocks(), ensure_ascii=False)
    alt = get_url.params["alt_txt"]
    for figure in ("控除率 9.7%", "101,850,000円", "25.625%", "credit rate is 9.7%"):
        assert figure in alt
    assert complete.params["channel_id"] == opened.response["channel"]["id"]
    assert png_size(_uploaded_png(fake_slack)) == (1200, 840)


async def test_deckrank_uploads_the_ranking_chart_into_the_reply_thread(
    slack: SlackClient,  # noqa: F811
    fake_slack: FakeSlack,  # noqa: F811
    charted: Services,
) -> None:
    await slack.command("/deckrank", "startup_genome_2024 東京", response_url=fake_slack.response_url)
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    [get_url] = await wait_calls(fake_slack, "files.getUploadURLExternal")
    [complete] = await wait_calls(fake_slack, "files.completeUploadExternal")
    assert "東京 2023 15位→2024 10位" in get_url.params["alt_txt"]
    assert complete.params["channel_id"] == "C0001"
    assert complete.params["thread_ts"] == post.response["ts"]
    width, _height = png_size(_uploaded_png(fake_slack))
    assert width == 1200


async def test_a_failing_final_upload_step_keeps_the_text_answer(
    slack: SlackClient,  # noqa: F811
    fake_slack: FakeSlack,  # noqa: F811
    charted: Services,
) -> None:
    fake_slack.fail("files.completeUploadExternal", "not_in_channel")
    await slack.command("/deckrank", "gii 名古屋", response_url=fake_slack.response_url)
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    await wait_calls(fake_slack, "files.completeUploadExternal")
    await asyncio.sleep(0.3)
    assert "名古屋" in json.dumps(post.blocks(), ensure_ascii=False)
    assert fake_slack.calls_of("chat.postMessage") == [post]


async def test_a_table_with_nothing_to_chart_posts_the_text_and_uploads_nothing(
    slack: SlackClient,  # noqa: F811
    fake_slack: FakeSlack,  # noqa: F811
    charted: Services,
) -> None:
    await slack.command("/deckrank", "korea_rd_tax_rates", response_url=fake_slack.response_url)
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    await asyncio.sleep(0.5)
    assert post.blocks()
    assert fake_slack.calls_of("files.getUploadURLExternal") == []
