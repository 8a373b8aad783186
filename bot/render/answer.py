"""Render an engine `Answer`: the text, its citations as context, notes, and 👍/👎 feedback buttons."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.text import (
    MAX_BLOCKS,
    MAX_CONTEXT_ELEMENTS,
    SlackMessage,
    escape_mrkdwn,
    markdown_to_mrkdwn,
    paginate,
    split_text,
    truncate,
)
from retrieval.models import Answer, Citation

FEEDBACK_UP_ACTION = "feedback_up"
FEEDBACK_DOWN_ACTION = "feedback_down"
MAX_MESSAGES = 4  # beyond ~580 KB of text an answer is not worth reading in Slack
_CITATION_SNIPPET = 60
_CITATION_TITLE = 80  # a document title in a citation line


def format_citation(citation: Citation) -> str:
    """Format one citation as `*<document>* p.<page> <section> — snippet…` (mrkdwn-escaped); without a
    document title (a single-document engine) as `p.<slide> *<section>* — snippet…`."""
    if citation.document_title is None:
        where = f"p.{citation.slide}" if citation.slide is not None else "p.?"
        label = f"{where} *{escape_mrkdwn(citation.section)}*"
    else:
        page = citation.page if citation.page is not None else citation.slide
        title = escape_mrkdwn(truncate(" ".join(citation.document_title.split()), _CITATION_TITLE))
        label = f"*{title}* p.{page if page is not None else '?'} {escape_mrkdwn(citation.section)}"
    snippet = " ".join(citation.text.split())
    if snippet:
        label += " — " + escape_mrkdwn(truncate(snippet, _CITATION_SNIPPET))
    return truncate(label, 600)


def citation_blocks(citations: list[Citation]) -> list[Block]:
    """Render citations as context blocks of at most 10 elements each, de-duplicated by (document, slide)."""
    seen: set[tuple[str | None, int | None, str]] = set()
    elements = []
    for citation in citations:
        key = (citation.document_id or citation.document_title, citation.slide, citation.section)
        if key in seen:
            continue
        seen.add(key)
        elements.append(MarkdownTextObject(text=format_citation(citation)))
    return [
        ContextBlock(
            elements=[MarkdownTextObject(text=":page_facing_up: 出典 / Sources")] + elements[i : i + 9]
        )
        if i == 0
        else ContextBlock(elements=elements[i : i + MAX_CONTEXT_ELEMENTS])
        for i in range(0, len(elements), 9)
    ][:3]


def feedback_block(answer_id: str) -> ActionsBlock:
    """Two buttons that record 👍 or 👎 for the stored answer `answer_id`."""
    return ActionsBlock(
        block_id="feedback",
        elements=[
            ButtonElement(
                text=PlainTextObject(text="👍 役に立った", emoji=True),
                action_id=FEEDBACK_UP_ACTION,
                value=answer_id,
            ),
            ButtonElement(
                text=PlainTextObject(text="👎 違う", emoji=True),
                action_id=FEEDBACK_DOWN_ACTION,
                value=answer_id,
            ),
        ],
    )


def render_answer(answer: Answer, *, answer_id: str | None = None) -> list[SlackMessage]:
    """Render an answer as one or more messages, each within Slack's block and text limits.

    Args:
        answer: What the engine returned.
        answer_id: Feedback key from the feedback store; buttons are left out when None.

    Returns:
        Messages to post in order; citations and buttons go on the last one.
    """
    body = [
        SectionBlock(text=MarkdownTextObject(text=piece))
        for piece in split_text(markdown_to_mrkdwn(answer.answer))
    ]
    if not body:
        body = [SectionBlock(text=MarkdownTextObject(text="_(empty answer)_"))]
    tail: list[Block] = []
    if answer.status == "not_in_deck":
        tail.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=":mag: 資料に該当する記述が見つかりませんでした / Not found in the deck"
                    )
                ]
            )
        )
    tail.extend(citation_blocks(answer.citations))
    notes = [n for n in answer.notes if n.strip()]
    if not answer.grounded and answer.ungrounded_numbers:
        notes.append(
            "資料で確認できない数値があります / unverified figures: "
            + ", ".join(answer.ungrounded_numbers[:10])
        )
    if notes:
        tail.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(text=truncate(escape_mrkdwn(n), 1000))
                    for n in notes[:MAX_CONTEXT_ELEMENTS]
                ]
            )
        )
    if answer_id:
        tail.append(feedback_block(answer_id))

    room = MAX_BLOCKS * MAX_MESSAGES - len(tail)
    if len(body) > room:
        body = body[: room - 1] + [SectionBlock(text=MarkdownTextObject(text="_… (省略 / truncated)_"))]
    pages = paginate(body)
    if len(pages[-1]) + len(tail) <= MAX_BLOCKS:
        pages[-1].extend(tail)
    else:
        pages.append(tail)
    fallback = truncate(answer.answer, 2900)
    return [
        SlackMessage(text=fallback if i == 0 else "(続き / continued)", blocks=page)
        for i, page in enumerate(pages)
    ]
