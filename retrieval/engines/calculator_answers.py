"""Offline answer text for any registered calculator, from its result and the question's proposal.

The body is the tool's own plain-text renderer (`ToolSpec.render_text`), so every figure comes from the result
(and its tool content) and the grounding guard can check it. A tool may add notes that depend on how the
question was read (`ANSWER_NOTES`, by tool name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.spec import RuleSlide, ToolProposal, ToolSpec

# Notes of the R&D credit that say how an input the question left out was treated.
_RD_INPUT_NOTES = ("A14-sales-not-given", "A15-tax-not-given", "A16-basic-cap-only")


def _rd_credit_notes(result: Any, proposal: ToolProposal, lang: str) -> list[str]:
    """How the inputs the question left out were treated (from the calculator's own notes)."""
    ja = lang == "ja"
    slots = getattr(proposal, "slots", None)
    cap_off = slots is not None and slots.cap == "none"  # the question switched the cap off: say so
    ids = [i for i in _RD_INPUT_NOTES if not (cap_off and i == "A15-tax-not-given")]
    notes = ["※" + (note.text_ja if ja else note.text_en) for note in result.notes if note.id in ids]
    if cap_off:
        notes.append(
            "※ご指定により控除上限は考慮していません。" if ja else "Note: the cap was not applied, as asked."
        )
    return notes


ANSWER_NOTES: dict[str, Callable[[Any, ToolProposal, str], list[str]]] = {"rd_credit": _rd_credit_notes}


def calculator_answer_lines(spec: ToolSpec, result: Any, proposal: ToolProposal, lang: str) -> list[str]:
    """The answer for one calculator result: its plain text, a follow-up note, then the tool's own notes.

    Args:
        spec: the tool.
        result: the tool's result model.
        proposal: how the question (and thread) was read into the tool's input.
        lang: "ja" or "en".

    Returns:
        Lines of text in the question's language.
    """
    ja = lang == "ja"
    lines = spec.render_text(result, "ja" if ja else "en").splitlines()
    if proposal.follow_up:
        lines.insert(
            1,
            "（このスレッドの前の質問の条件に、今回の変更を反映して計算しました）"
            if ja
            else "(Recomputed from the earlier question in this thread, with your change applied.)",
        )
    notes = ANSWER_NOTES.get(spec.name)
    return lines + (notes(result, proposal, lang) if notes else [])


def rule_line(rule: RuleSlide, slide: int, section: str, lang: str) -> str:
    """The closing line naming the slide the tool's rules rest on."""
    if lang == "ja":
        return f"根拠: スライド{slide}「{section}」" + (f"の{rule.topic_ja}" if rule.topic_ja else "")
    topic = f"{rule.topic_en} on slide" if rule.topic_en else "slide"
    return f'Rule: {topic} {slide} ("{section}")'


def calculation_error(error: str, lang: str) -> str:
    """What to say when the calculator rejected the arguments read from the question."""
    if lang == "ja":
        return f"計算に必要な金額を読み取れませんでした（{error}）。"
    return f"Could not read the amounts needed for the calculation ({error})."
