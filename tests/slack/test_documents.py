"""Several documents in Slack, over real HTTP into the real Bolt app: `/deckbot documents | scope`, who may
change a channel's scope and where it is kept (SQLite file, Redis), answers honouring it, App Home's
Documents section with its Summarize buttons, and citations that name their document."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.fake_web_api import Call, FakeSlack, wait_calls
from bot.feedback import FeedbackStore
from bot.render.documents import HOME_SUMMARIZE_DOCUMENT_ACTION
from bot.services import Services
from bot.store import BaseConversationStore, SQLiteConversationStore
from bot.store.redis import RedisConversationStore
from retrieval.engines.base import SectionInfo, SectionSummary
from retrieval.models import Answer, Citation
from tests.slack.conftest import FakeAnswerer, SlackClient, mention

ADMIN, OWNER, MEMBER = "UADMIN", "UOWNER", "U0001"
_prefixes = itertools.count(1)


class RolesSlack(FakeSlack):
    """FakeSlack whose users.info says who is a workspace admin or owner."""

    def _canned(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "users.info":
            user = str(params.get("user"))
            return {
                "ok": True,
                "user": {"id": user, "is_admin": user == ADMIN, "is_owner": user == OWNER},
            }
        return super()._canned(method, params)


@dataclass(frozen=True)
class Entry:
    pages: int
    units: int
    file_name: str


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    kind: str
    entry: Entry | None = None
    bundle: Any = None

    @property
    def builtin(self) -> bool:
        return self.entry is None


DOCUMENTS = [
    Document("meti-deck", "中間とりまとめ 参考資料", "deck", Entry(58, 58, "deck.txt")),
    Document("memo", "R&D memo", "pdf", Entry(12, 30, "memo.pdf")),
    Document("notes", "政策メモ", "markdown", Entry(3, 9, "notes.md")),
]


class FakeLibrary(FakeAnswerer):
    """A multi-document answerer: records each answer's keyword arguments and each overview asked for."""

    def __init__(self, documents: Sequence[Document] = DOCUMENTS) -> None:
        super().__init__()
        self._documents = list(documents)
        self.answer_kwargs: list[dict[str, Any]] = []
        self.overviews: list[tuple[str, str]] = []

    def documents(self) -> list[Document]:
        return list(self._documents)

    def answer(self, question: str, *, history: Sequence[str] = (), **kwargs: Any) -> Answer:
        self.answer_kwargs.append(kwargs)
        super().answer(question, history=history)
        return Answer(
            answer=f"回答: {question}",
            status="answered",
            engine="fake",
            citations=[
                Citation(
                    slide=6,
                    page=6,
                    section="研究開発税制の概要",
                    text="控除率は1～14％",
                    document_id="memo",
                    document_title="R&D memo",
                )
            ],
        )

    def overview(self, document_id: str, *, lang: str) -> SectionSummary | None:
        self.overviews.append((document_id, lang))
        document = next(d for d in self._documents if d.id == document_id)
        return SectionSummary(
            section=SectionInfo(key=document_id, title=document.title, slides=[1, 2]),
            lang=lang,
            bullets=[
                Citation(slide=1, page=1, section="概要", text="第1ページの要点", document_id=document_id),
                Citation(slide=2, page=2, section="結論", text="第2ページの要点", document_id=document_id),
            ],
        )


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = RolesSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def answerer() -> FakeLibrary:
    return FakeLibrary()


@pytest.fixture(params=["sqlite", "redis"])
async def reopen_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Callable[[], BaseConversationStore]]:
    """Opens a store over the app's data: the SQLite file after a restart, or another replica on Redis."""
    opened: list[BaseConversationStore] = []
    if request.param == "sqlite":

        def factory() -> BaseConversationStore:
            opened.append(SQLiteConversationStore(tmp_path / "conversations.sqlite3"))
            return opened[-1]
    else:
        url, prefix = request.getfixturevalue("redis_url"), f"documents{next(_prefixes)}:"

        def factory() -> BaseConversationStore:
            opened.append(RedisConversationStore(url, prefix=prefix))
            return opened[-1]

    yield factory
    for store in opened:
        await store.close()


@pytest.fixture
async def services(
    answerer: FakeLibrary, tmp_path: Path, tables, reopen_store: Callable[[], BaseConversationStore]
) -> AsyncIterator[Services]:
    """Services over the store `reopen_store` opens (SQLite in the test's data dir, or Redis)."""
    feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
    yield Services(answerer=answerer, feedback=feedback, store=reopen_store(), tables=tables)
    feedback.close()


async def deckbot(slack: SlackClient, fake: FakeSlack, text: str, *, user: str = MEMBER, n: int = 1) -> Call:
    await slack.command("/deckbot", text, response_url=fake.response_url, user_id=user)
    return (await wait_calls(fake, "chat.postEphemeral", n))[n - 1]


def dumped(call: Call) -> str:
    return json.dumps(call.blocks(), ensure_ascii=False)


async def test_documents_lists_id_title_kind_pages_and_the_scope(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    reply = await deckbot(slack, fake_slack, "documents")
    assert (reply.params["channel"], reply.params["user"]) == ("C0001", MEMBER)
    text = dumped(reply)
    assert "`meti-deck` *中間とりまとめ 参考資料* — 資料 deck · 58 ページ / pages" in text
    assert "`memo` *R&amp;D memo* — PDF · 12 ページ / pages" in text
    assert "`notes` *政策メモ* — Markdown · 3 ページ / pages" in text
    assert "This channel's scope: all documents" in text
    assert fake_slack.calls_of("users.info") == []  # listing needs no admin check
    help_reply = await deckbot(slack, fake_slack, "", n=2)
    assert "`memo` *R&amp;D memo*" in dumped(help_reply)


async def test_a_member_cannot_change_the_scope(
    slack: SlackClient, fake_slack: FakeSlack, services: Services, reopen_store
) -> None:
    reply = await deckbot(slack, fake_slack, "scope memo", user=MEMBER)
    assert "管理者またはオーナーだけ" in reply.params["text"]
    assert "Only workspace admins or owners" in dumped(reply)
    [info] = fake_slack.calls_of("users.info")
    assert info.params["user"] == MEMBER
    assert await services.store.channel_documents("C0001") is None
    assert await reopen_store().channel_documents("C0001") is None


async def test_an_admin_sets_the_scope_and_it_outlives_the_store(
    slack: SlackClient, fake_slack: FakeSlack, services: Services, reopen_store
) -> None:
    reply = await deckbot(slack, fake_slack, "scope memo, notes", user=ADMIN)
    assert "Channel scope updated" in reply.params["text"]
    assert "`memo` *R&amp;D memo*" in dumped(reply) and "`notes`" in dumped(reply)
    assert await reopen_store().channel_documents("C0001") == ["memo", "notes"]  # restart / other replica
    listed = await deckbot(slack, fake_slack, "documents", n=2)
    assert "This channel's scope: `memo`, `notes`" in dumped(listed)

    cleared = await deckbot(slack, fake_slack, "scope all", user=OWNER, n=3)
    assert "Channel scope cleared" in cleared.params["text"]
    assert await reopen_store().channel_documents("C0001") is None


async def test_unknown_ids_are_refused_with_the_known_ids(
    slack: SlackClient, fake_slack: FakeSlack, services: Services
) -> None:
    reply = await deckbot(slack, fake_slack, "scope memo nope", user=ADMIN)
    text = dumped(reply)
    assert "`nope`" in text and "the scope was not changed" in text
    assert "Known ids: `meti-deck`, `memo`, `notes`" in text
    assert await services.store.channel_documents("C0001") is None


async def test_answers_in_a_scoped_channel_pass_its_documents(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeLibrary
) -> None:
    await slack.event(mention("before the scope", ts="1700000001.000100"))
    await wait_calls(fake_slack, "chat.postMessage", 1)
    await deckbot(slack, fake_slack, "scope memo", user=ADMIN)
    await slack.event(mention("in the scoped channel", ts="1700000002.000100"))
    await slack.event(mention("in another channel", ts="1700000003.000100", channel="C0002"))
    await wait_calls(fake_slack, "chat.postMessage", 3)
    asked = dict(zip((q for q, _ in answerer.questions), answerer.answer_kwargs, strict=True))
    assert asked == {
        "before the scope": {},  # every document: no keyword at all
        "in the scoped channel": {"documents": ["memo"]},
        "in another channel": {},
    }


async def test_the_citation_line_names_the_document(slack: SlackClient, fake_slack: FakeSlack) -> None:
    await slack.event(mention("控除率は？", ts="1700000010.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    contexts = [b for b in post.blocks() if b["type"] == "context"]
    lines = [e["text"] for c in contexts for e in c["elements"]]
    assert "*R&amp;D memo* p.6 研究開発税制の概要 — 控除率は1～14％" in lines


async def test_app_home_has_a_summarize_button_per_document(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    await slack.event({"type": "app_home_opened", "user": MEMBER, "tab": "home", "event_ts": "1.1"})
    [publish] = await wait_calls(fake_slack, "views.publish")
    blocks = publish.json_param("view")["blocks"]
    assert len(blocks) <= 100
    buttons = [b["accessory"] for b in blocks if b.get("accessory")]
    documents = [b for b in buttons if b["action_id"] == HOME_SUMMARIZE_DOCUMENT_ACTION]
    assert [b["value"] for b in documents] == ["meti-deck", "memo", "notes"]
    assert any(b["action_id"] == "home_summarize" for b in buttons)  # the deck's sections stay
    text = json.dumps(blocks, ensure_ascii=False)
    assert "文書 / Documents" in text and "*R&amp;D memo*\\n`memo` · PDF · 12 ページ / pages" in text


async def test_the_document_button_posts_its_overview_to_the_user(
    slack: SlackClient, fake_slack: FakeSlack, answerer: FakeLibrary
) -> None:
    await slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": MEMBER},
            "trigger_id": "1.2.3",
            "container": {"type": "view", "view_id": "V2"},
            "view": {"id": "V2", "type": "home"},
            "actions": [
                {
                    "action_id": HOME_SUMMARIZE_DOCUMENT_ACTION,
                    "block_id": "b1",
                    "type": "button",
                    "value": "notes",
                    "action_ts": "1.1",
                }
            ],
        }
    )
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert post.params["channel"] == MEMBER
    assert answerer.overviews == [("notes", "ja")]
    text = dumped(post)
    assert "政策メモ" in text and "• 第1ページの要点 _(p.1)_\\n• 第2ページの要点 _(p.2)_" in text


class ManyDocumentsLibrary(FakeLibrary):
    def __init__(self) -> None:
        super().__init__(
            [Document(f"doc-{n:02d}", f"文書{n}", "text", Entry(1, 1, "a.txt")) for n in range(45)]
        )


async def test_app_home_bounds_the_documents_shown(
    slack: SlackClient, fake_slack: FakeSlack, services
) -> None:
    services.answerer = ManyDocumentsLibrary()
    await slack.event({"type": "app_home_opened", "user": MEMBER, "tab": "home", "event_ts": "1.1"})
    [publish] = await wait_calls(fake_slack, "views.publish")
    blocks = publish.json_param("view")["blocks"]
    assert len(blocks) <= 100
    documents = [
        b for b in blocks if b.get("accessory", {}).get("action_id") == HOME_SUMMARIZE_DOCUMENT_ACTION
    ]
    assert len(documents) == 20
    assert "+25 more" in json.dumps(blocks, ensure_ascii=False)


async def test_engines_of_one_document_still_list_the_served_deck(
    slack: SlackClient, fake_slack: FakeSlack, services: Services
) -> None:
    services.answerer = FakeAnswerer()  # no documents(), no documents= keyword
    reply = await deckbot(slack, fake_slack, "documents")
    assert f"`{services.bundle.id}`" in dumped(reply)
    await deckbot(slack, fake_slack, f"scope {services.bundle.id}", user=ADMIN, n=2)
    await slack.event(mention("控除率は？", ts="1700000020.000100"))
    [post] = await wait_calls(fake_slack, "chat.postMessage")
    assert "回答: 控除率は？" in post.params["text"]  # answered, not an error from an unknown keyword


@pytest.mark.integration
async def test_the_real_library_lists_the_deck_and_posts_its_overview(
    fake_slack: FakeSlack, deck_data_dir: Path
) -> None:
    from bot.app import start_http_server
    from bot.services import build_services
    from bot.settings import Settings
    from tests.slack.conftest import SIGNING_SECRET

    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.url,
        data_dir=deck_data_dir,
    )
    services = build_services(settings)
    [deck] = services.answerer.documents()  # type: ignore[attr-defined]
    runner, port = await start_http_server(settings, services, port=0)
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            slack = SlackClient(f"http://127.0.0.1:{port}", http)
            await slack.event({"type": "app_home_opened", "user": MEMBER, "tab": "home", "event_ts": "1.1"})
            [publish] = await wait_calls(fake_slack, "views.publish", timeout=30)
            blocks = publish.json_param("view")["blocks"]
            [button] = [
                b["accessory"]
                for b in blocks
                if b.get("accessory", {}).get("action_id") == HOME_SUMMARIZE_DOCUMENT_ACTION
            ]
            assert button["value"] == deck.id
            pages = len(deck.bundle.slides)
            assert f"資料 deck · {pages} ページ / pages" in json.dumps(blocks, ensure_ascii=False)
            await slack.interaction(
                {
                    "type": "block_actions",
                    "user": {"id": MEMBER},
                    "trigger_id": "1.2.3",
                    "container": {"type": "view", "view_id": "V2"},
                    "actions": [{**button, "block_id": "b1", "action_ts": "1.1"}],
                }
            )
            [post] = await wait_calls(fake_slack, "chat.postMessage", timeout=30)
            assert post.params["channel"] == MEMBER
            bullets = [b for b in post.blocks() if b["type"] == "section"]
            assert bullets and "• " in bullets[0]["text"]["text"] and "_(p." in bullets[0]["text"]["text"]
            await slack.event(mention("研究開発税制の控除率は？", ts="1700000900.000100"))
            [_, answer] = await wait_calls(fake_slack, "chat.postMessage", 2, timeout=30)
            lines = [e["text"] for b in answer.blocks() if b["type"] == "context" for e in b["elements"]]
            assert any(line.startswith(f"*{deck.title}* p.") for line in lines)
    finally:
        await runner.cleanup()
        await services.aclose()
