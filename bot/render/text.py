"""Slack text helpers shared by the renderers: escaping, Slack's size limits, splitting, aligned tables."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from slack_sdk.models.blocks import Block

from tools.text import has_japanese

MAX_BLOCKS = 50  # per message
MAX_HOME_BLOCKS = 100  # per Home tab or modal view
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 3000  # notification text; Slack truncates long ones anyway

_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")


@dataclass
class SlackMessage:
    """One message to post: notification `text` plus Block Kit `blocks`."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Slack parses the fallback `text` as mrkdwn too, so raw user text there could carry <!channel>,
        # <!here> or <!subteam^…>. Every message is built here, so escaping once here covers every renderer.
        self.text = truncate(escape_mrkdwn(self.text), MAX_FALLBACK_TEXT)

    def block_dicts(self) -> list[dict]:
        """Return the blocks as JSON-ready dicts (this also validates Slack's limits)."""
        return [block.to_dict() for block in self.blocks]


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters.

    The one escape for user text: with `<` and `>` escaped, no <!channel>, <!here>, <!subteam^…> or <@U…>
    written by a user can become a mention in anything the bot posts.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_to_mrkdwn(text: str) -> str:
    """Escape `text` and turn common Markdown (**bold**, # headings) into Slack mrkdwn."""
    escaped = escape_mrkdwn(text)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"*\1*", escaped)
    return re.sub(r"(?m)^#{1,6}\s+(.+)$", r"*\1*", escaped)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut `text` to at most `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis)]
    tail = _ENTITY_TAIL.search(cut)
    if tail:  # never leave half an &amp; entity behind
        cut = cut[: tail.start()]
    return cut + ellipsis


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Split `text` into pieces of at most `limit` characters, at paragraph, line or sentence ends."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = max(window.rfind("。"), window.rfind(". "), window.rfind(" "))
            cut = cut + 1 if cut >= limit // 2 else -1
        if cut <= 0:
            cut = limit
            tail = _ENTITY_TAIL.search(rest[:cut])
            if tail and tail.start() > 0:
                cut = tail.start()
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        pieces.append(rest)
    return pieces


def display_width(text: str) -> int:
    """Columns `text` takes in a monospaced font (CJK wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad `text` with spaces to `width` display columns."""
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def code_tables(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[bool] = (),
    limit: int = MAX_SECTION_TEXT,
) -> list[str]:
    """Render rows as aligned ``` code blocks, each within `limit` characters, repeating the header."""
    cells = [[escape_mrkdwn(str(c)) for c in row] for row in rows]
    head = [escape_mrkdwn(h) for h in headers]
    widths = [
        max([display_width(h)] + [display_width(r[i]) for r in cells if i < len(r)])
        for i, h in enumerate(head)
    ]
    right = list(numeric) + [False] * (len(head) - len(numeric))

    def line(values: Sequence[str]) -> str:
        return "  ".join(pad(v, widths[i], right=right[i]) for i, v in enumerate(values)).rstrip()

    header_lines = [line(head), "  ".join("-" * w for w in widths)]
    blocks: list[str] = []
    current = list(header_lines)
    for row in cells:
        candidate = truncate(line(row), limit - 200)
        if len("\n".join(current + [candidate])) + 8 > limit and len(current) > len(header_lines):
            blocks.append("```\n" + "\n".join(current) + "\n```")
            current = list(header_lines)
        current.append(candidate)
    blocks.append("```\n" + "\n".join(current) + "\n```")
    return blocks


def paginate(blocks: Sequence[Block], *, max_blocks: int = MAX_BLOCKS) -> list[list[Block]]:
    """Group blocks into messages of at most `max_blocks` each."""
    return [list(blocks[i : i + max_blocks]) for i in range(0, len(blocks), max_blocks)] or [[]]


def contains_japanese(text: str) -> bool:
    """Tell whether `text` has kana or kanji (used to pick the reply language)."""
    return has_japanese(text)
