"""Render the /rdcredit input modal (labelled fields whose block ids are the field names)."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

# Slack enforces this in the form itself: four amounts with separators fit easily, an essay does not.
MAX_FIELD_CHARS = 120
RDCREDIT_MODAL_CALLBACK = "rdcredit_modal"
VALUE_ACTION = "value"

_TEXT_FIELDS: list[tuple[str, str, str, bool]] = [
    ("rd", "試験研究費（当期） / R&D this year", "例: 105億 or 10,500,000,000", False),
    (
        "prior",
        "前3年の試験研究費 / R&D of the prior 3 years",
        "例: 100億,100億,100億 (新しい順 / newest first)",
        True,
    ),
    (
        "sales",
        "売上金額（当期＋前3年） / Sales, this year + prior 3",
        "例: 1000億,1000億,1000億,1000億",
        False,
    ),
    ("tax", "調整前法人税額 / Corporate tax before credits", "例: 50億", False),
]
_OI_FIELDS: list[tuple[str, str]] = [
    ("oi_university", "OI型: 大学・国研等との共同研究 / with universities (30%)"),
    ("oi_startup", "OI型: スタートアップとの共同研究 / with start-ups (25%)"),
    ("oi_other", "OI型: その他の特別試験研究 / other special R&D (20%)"),
]
OPTION_FLAGS = {
    "venture": "ベンチャー特例（設立10年以内・繰越欠損金あり） / venture special",
    "founding": "設立事業年度 / founding year",
    "suspended": "適用停止措置に該当 / credit suspended (措法42条の13⑤)",
}


def render_rdcredit_modal(*, private_metadata: str = "") -> View:
    """Render the modal; submitting it sends a view_submission with callback id `rdcredit_modal`."""
    blocks: list = [
        SectionBlock(
            text=MarkdownTextObject(
                text="金額は `12億`・`3,000万円`・`1,200,000,000` のどれでも入力できます。"
                " Amounts may be typed as 12億, 3,000万円 or 1,200,000,000. 結果はあなたにだけ送ります。"
            )
        )
    ]
    for name, label, hint, optional in _TEXT_FIELDS:
        blocks.append(
            InputBlock(
                block_id=name,
                label=PlainTextObject(text=label),
                optional=optional,
                element=PlainTextInputElement(
                    action_id=VALUE_ACTION, placeholder=PlainTextObject(text=hint), max_length=MAX_FIELD_CHARS
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id="company",
            label=PlainTextObject(text="区分 / Company type"),
            element=RadioButtonsElement(
                action_id=VALUE_ACTION,
                options=[
                    Option(value="large", label="一般型（大企業等） / General"),
                    Option(value="sme", label="中小企業者等 / SME"),
                ],
                initial_option=Option(value="large", label="一般型（大企業等） / General"),
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id="options",
            label=PlainTextObject(text="該当するもの / Applies"),
            optional=True,
            element=CheckboxesElement(
                action_id=VALUE_ACTION, options=[Option(value=k, label=v) for k, v in OPTION_FLAGS.items()]
            ),
        )
    )
    for name, label in _OI_FIELDS:
        blocks.append(
            InputBlock(
                block_id=name,
                label=PlainTextObject(text=label),
                optional=True,
                element=PlainTextInputElement(
                    action_id=VALUE_ACTION,
                    placeholder=PlainTextObject(text="例: 1億"),
                    max_length=MAX_FIELD_CHARS,
                ),
            )
        )
    return View(
        type="modal",
        callback_id=RDCREDIT_MODAL_CALLBACK,
        title="研究開発税制 R&D credit",
        submit="計算 / Compute",
        close="閉じる / Close",
        blocks=blocks,
        private_metadata=private_metadata,
    )


def read_modal_state(values: dict) -> dict[str, object]:
    """Flatten a view_submission's `state.values` into {field: text | list of flags}."""
    fields: dict[str, object] = {}
    for block_id, actions in values.items():
        element = actions.get(VALUE_ACTION, {})
        if element.get("type") == "radio_buttons":
            fields[block_id] = (element.get("selected_option") or {}).get("value")
        elif element.get("type") == "checkboxes":
            fields[block_id] = [o["value"] for o in element.get("selected_options") or []]
        else:
            fields[block_id] = element.get("value")
    return fields
