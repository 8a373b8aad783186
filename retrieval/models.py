"""Result models shared by retrieval, the answer engines and the Slack renderers."""

from typing import Any, Literal

from pydantic import BaseModel, Field


class Chunk(BaseModel):
    """One searchable piece of the deck: a slide, or part of a long slide."""

    id: str = Field(description="Stable id: deck sha prefix + slide + part.")
    slide: int | None = Field(description="Slide (page) number in the deck, 1-based.")
    section: str = Field(description="Slide title as printed, series number (①②…) included.")
    chapter: str | None = Field(None, description="Chapter heading the slide belongs to.")
    heading: str | None = Field(None, description="The slide's own subtitle, when it prints one.")
    line_start: int = Field(description="First source line (1-based) in the deck text.")
    line_end: int = Field(description="Last source line (inclusive).")
    text: str = Field(description="Display text: the original lines, blank lines folded.")


class Hit(BaseModel):
    """A chunk returned by search, with its fused score (higher is better)."""

    id: str
    slide: int | None
    section: str
    text: str
    score: float
    chunk: Chunk | None = Field(None, exclude=True)


class Citation(BaseModel):
    """A slide (or page) an answer rests on, and the document it is in."""

    slide: int | None
    section: str
    text: str
    document_id: str | None = Field(None, description="Id of the document (`deckbot documents`).")
    document_title: str | None = Field(None, description="The document's title, as shown to users.")
    page: int | None = Field(None, description="Page of the document's PDF (the slide number for the deck).")


class ToolCall(BaseModel):
    """One deterministic tool call made while answering."""

    name: str
    args: dict[str, Any]
    result: Any


class Answer(BaseModel):
    """What any engine returns for one question."""

    answer: str
    # needs_input: a calculation was asked for but inputs are missing; the answer names them (not answered).
    status: Literal["answered", "not_in_deck", "needs_input"]
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    engine: str
    grounded: bool = True
    ungrounded_numbers: list[str] = Field(default_factory=list)
    lang: Literal["ja", "en"] = "ja"
    notes: list[str] = Field(default_factory=list)
