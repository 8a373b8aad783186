"""`ToolSpec`: everything deckbot needs to know about one tool, declared once (pure, no I/O).

The answer engines' LangChain tools, the `deckbot` subcommands and the offline planner's calculator routing
are all generated from the specs in `tools.registry`; see docs/adding-a-tool.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from tools.errors import tool_error_from_validation

Lang = Literal["ja", "en"]
Status = Literal["ready", "needs_input", "not_applicable"]


class ToolProposal(BaseModel):
    """What a chat question asks of one tool, as its `from_question` parser read it."""

    status: Status
    arguments: dict[str, Any] = Field(default_factory=dict, description="the tool's raw input, when ready")
    missing: list[str] = Field(default_factory=list, description="inputs still needed")
    message_ja: str = Field("", description="what is still needed (needs_input), Japanese")
    message_en: str = Field("", description="what is still needed (needs_input), English")
    follow_up: bool = Field(False, description="built on an earlier question of the thread")


QuestionParser = Callable[[str, Sequence[str]], ToolProposal]
"""(question, history) -> proposal; history is the thread's earlier turns, oldest first, question first."""


@dataclass(frozen=True, eq=False)  # eq=False: hashable by identity though `flags` is a dict
class Cli:
    """Command-line hints for one input field, put in the field's `Annotated[...]` metadata.

    Metadata, not `json_schema_extra`, so the JSON schema the LLM sees carries no CLI-only keys.

    Attributes:
        names: extra option names kept for users (e.g. ``("--prior",)`` for ``prior_rd``).
        flags: flag options that set the field to a value (e.g. ``{"--sme": "sme"}`` for ``company``).
        metavar: how the value is shown in --help (e.g. ``"AMOUNT"``).
    """

    names: tuple[str, ...] = ()
    flags: Mapping[str, Any] = field(default_factory=dict)
    metavar: str | None = None


@dataclass(frozen=True)
class RuleSlide:
    """The deck slide a tool's rules rest on: the offline answer searches for it and cites it.

    Attributes:
        title: the slide's rule key (tools/rd_credit_rules.py SLIDE_*), which the document bundle resolves to
            the title it prints (its ``rule_slides``), or the title itself.
        query: a deck search that finds the slide (the bundle's wins when it names one).
        quote_terms: words whose best lines of the slide are quoted; None quotes the slide's opening.
        topic_ja: what the answer's rule line says it rests on (e.g. "控除率カーブ・控除上限").
        topic_en: the same in English (e.g. "the credit-rate curve and cap").
    """

    title: str
    query: str = ""  # the document bundle names the query that finds its slide
    quote_terms: str | None = None
    topic_ja: str | None = None
    topic_en: str | None = None


def _plain_json(result: BaseModel, lang: Lang) -> str:
    return result.model_dump_json()


@dataclass(frozen=True)
class ToolSpec:
    """One tool: the pure function, its typed input and result, and how each surface reaches it.

    Attributes:
        name: the tool name models call (snake_case); the CLI subcommand is the name without underscores.
        function: the pure function, ``function(input) -> result`` (``function(tables, input)`` when
            ``needs_tables``).
        input_model: pydantic model of the input; its fields become the CLI options and the LLM's schema.
        result_model: pydantic model of the result (the tool message's artifact).
        description: what the tool does, shown to models and as the subcommand's help.
        from_question: reads a chat question (and its thread) into a proposal; None = not routed offline.
        render_text: plain text of a result in ``lang``, for the CLI and chat answers.
        rule_slide: the deck slide the tool's rules rest on, cited with its answers.
        question_order: the offline planner asks the parsers in this order (lower first), so a specific
            reader (the innovation box) is asked before a broad one (the R&D credit).
        needs_tables: the function reads the document's tables: it is called ``function(tables, input)``
            with the served bundle's TableSet (None when the document has none).
        generated: the toolkit, the CLI and the planner generate their surfaces from this spec.
    """

    name: str
    function: Callable[..., BaseModel]
    input_model: type[BaseModel]
    result_model: type[BaseModel]
    description: str
    from_question: QuestionParser | None = None
    render_text: Callable[[Any, Lang], str] = _plain_json
    rule_slide: RuleSlide | None = None
    question_order: int = 50
    needs_tables: bool = False
    generated: bool = True

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name.lower() != self.name:
            raise ValueError(f"tool name {self.name!r} must be a snake_case identifier")
        for model in (self.input_model, self.result_model):
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                raise TypeError(f"{self.name}: {model!r} is not a pydantic model")

    def call(self, arguments: Mapping[str, Any], *, tables: Any = None) -> BaseModel:
        """Validate `arguments` against the input model and run the function.

        Args:
            arguments: Raw arguments (e.g. from a model's tool call).
            tables: The TableSet, for tools that read the deck's tables.

        Raises:
            pydantic.ValidationError: when the arguments do not fit the input model.
        """
        parsed = self.input_model.model_validate(dict(arguments))
        if self.needs_tables:
            return self.function(tables, parsed)
        return self.function(parsed)

    def parse(self, arguments: Mapping[str, Any]) -> BaseModel:
        """Validate raw arguments into the input model.

        Raises:
            ToolInputError: naming the bad field, in Japanese and English.
        """
        try:
            return self.input_model.model_validate(dict(arguments))
        except ValidationError as error:
            raise tool_error_from_validation(error) from None
