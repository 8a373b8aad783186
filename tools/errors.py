"""Friendly, bilingual input errors shared by every pure tool (no traceback ever reaches a user)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class ToolInputError(ValueError):
    """Bad user input for a tool, naming the field, with a message in Japanese and English.

    Attributes:
        field: the input field at fault (e.g. ``"prior_rd"``), or ``"input"`` for the whole input.
        message_ja: message for Japanese users.
        message_en: message for English users.
    """

    def __init__(self, field: str, message_ja: str, message_en: str) -> None:
        self.field = field
        self.message_ja = message_ja
        self.message_en = message_en
        super().__init__(f"{field}: {message_ja} / {message_en}")

    def to_dict(self) -> dict[str, str]:
        """The error as a JSON-ready object ``{"field", "message_ja", "message_en"}``."""
        return {"field": self.field, "message_ja": self.message_ja, "message_en": self.message_en}


def _loc_to_field(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if not isinstance(part, int)]
    return ".".join(parts) if parts else "input"


def tool_error_from_validation(error: ValidationError) -> ToolInputError:
    """Turn a pydantic ValidationError into the first friendly ToolInputError it carries.

    A ToolInputError raised inside a validator is returned as is; other pydantic errors are
    rewritten into a bilingual message naming the field.

    Args:
        error: the pydantic validation error.

    Returns:
        The ToolInputError to show the user.
    """
    details = error.errors(include_url=False)
    for detail in details:
        original = (detail.get("ctx") or {}).get("error")
        if isinstance(original, ToolInputError):
            field = _loc_to_field(tuple(detail.get("loc", ())))
            if original.field == "input" and field != "input":
                # a field-agnostic validator (e.g. an amount) raised it: name the real field in the text too
                return type(original)(
                    field,
                    original.message_ja.replace("「input」", f"「{field}」"),
                    original.message_en.replace("'input'", f"'{field}'"),
                )
            return original
    first = details[0] if details else {"loc": (), "msg": str(error), "type": ""}
    field = _loc_to_field(tuple(first.get("loc", ())))
    kind = first.get("type", "")
    if kind == "missing":
        return ToolInputError(field, f"「{field}」を入力してください。", f"'{field}' is required.")
    if kind == "extra_forbidden":
        return ToolInputError(field, f"「{field}」という項目はありません。", f"Unknown field '{field}'.")
    for prefix, (hint_ja, hint_en) in _HINTS.items():
        if kind.startswith(prefix):
            return ToolInputError(
                field,
                f"「{field}」の値が正しくありません。{hint_ja}",
                f"Invalid value for '{field}'. {hint_en}",
            )
    return ToolInputError(
        field,
        f"「{field}」の値が正しくありません（{first.get('msg', '')}）。",
        f"Invalid value for '{field}': {first.get('msg', '')}.",
    )


# pydantic error type prefix -> what to type instead (ja, en)
_HINTS: dict[str, tuple[str, str]] = {
    "date": (
        "日付は YYYY-MM-DD（例: 2025-04-01）で入力してください。",
        "Give a date as YYYY-MM-DD (e.g. 2025-04-01).",
    ),
    "bool": ("true / false で指定してください。", "Give true or false."),
    "list": ('値のリストで指定してください（例: ["10億", "10億", "10億"]）。', "Give a list of values."),
    "literal": ("指定できる値のいずれかにしてください。", "Use one of the allowed values."),
    "too_short": ("値が少なすぎます。", "Too few values."),
    "model_type": ("オブジェクト（{...}）で指定してください。", "Give an object ({...})."),
}
