"""The protocol every answer engine implements, and the section-summary result."""

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field

from retrieval.models import Answer, Citation


class SectionInfo(BaseModel):
    """One entry of the deck's table of contents."""

    key: str = Field(description="Stable key usable in a button value, e.g. 'ch2-incentive-4' or the slide number.")
    title: str = Field(description="Slide title as printed in the deck.")
    chapter: str | None = None
    slides: list[int] = Field(default_factory=list, description="Slide numbers the section covers.")


class SectionSummary(BaseModel):
    """An extractive summary: one bullet per key point, each with the slide it comes from."""

    section: SectionInfo
    bullets: list[Citation] = Field(description="Each bullet's text is a key point; slide/section say where.")
    lang: str = "ja"


class Answerer(Protocol):
    """What the CLI and the Slack listeners call; engines differ only in how they decide and compose."""

    engine_name: str

    def answer(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        """Answer one question; `history` holds earlier turns of the same thread, oldest first."""
        ...

    def sections(self) -> list[SectionInfo]:
        """List the deck's sections (table of contents) in deck order."""
        ...

    def summarize(self, section_query: str, *, lang: str = "ja") -> SectionSummary | None:
        """Summarise the section best matching a title, chapter number or words; None if nothing matches."""
        ...
