"""Slash-command text -> typed inputs, with field-named bilingual errors (never a traceback)."""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, Field

from tools.amounts import parse_amount
from tools.errors import ToolInputError
from tools.rd_credit import RdCreditInput, parse_rdcredit_input

# key as typed (after NFKC + casefold) -> canonical field
RDCREDIT_KEYS: dict[str, str] = {
    "rd": "rd",
    "試験研究費": "rd",
    "研究開発費": "rd",
    "prior": "prior",
    "前3年": "prior",
    "過去3年": "prior",
    "prior_rd": "prior",
    "sales": "sales",
    "売上": "sales",
    "売上金額": "sales",
    "売上高": "sales",
    "tax": "tax",
    "法人税額": "tax",
    "調整前法人税額": "tax",
    "oi_university": "oi_university",
    "oi_startup": "oi_startup",
    "oi_other": "oi_other",
}
RDCREDIT_FLAGS: dict[str, str] = {
    "sme": "sme",
    "中小": "sme",
    "中小企業": "sme",
    "venture": "venture",
    "ベンチャー": "venture",
    "founding": "founding",
    "設立": "founding",
    "設立事業年度": "founding",
    "suspended": "suspended",
    "適用停止": "suspended",
}
HELP_WORDS = {"help", "ヘルプ", "使い方", "-h", "--help", "?"}
_LIST_SPLIT = re.compile(r"[,、，/／]")


class RdCreditArgs(BaseModel):
    """The /rdcredit inputs as parsed from text or the modal, amounts already in yen."""

    rd: int = Field(description="試験研究費 this year, 円.")
    prior: list[int] = Field(description="試験研究費 of the prior fiscal years, newest first, 円.")
    sales: list[int] = Field(description="Sales of this year then the prior years, 円.")
    tax: int = Field(description="調整前法人税額, 円.")
    sme: bool = False
    venture: bool = False
    founding: bool = False
    suspended: bool = False
    oi_university: int = 0
    oi_startup: int = 0
    oi_other: int = 0


class CommandInputErrors(ValueError):
    """One or more field errors; `errors` holds each with its field and bilingual message."""

    def __init__(self, errors: list[ToolInputError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def field_errors(error: CommandInputErrors | ToolInputError) -> list[ToolInputError]:
    """Return the field errors either error type carries, calculator field names mapped to typed ones."""
    if isinstance(error, CommandInputErrors):
        return error.errors
    field = _TOOL_FIELD_TO_ARG.get(error.field.split(".")[0], error.field.split(".")[0])
    return [ToolInputError(field, error.message_ja, error.message_en)]


def is_help(text: str) -> bool:
    """Tell whether the command text asks for usage."""
    return _normalise(text).strip().casefold() in HELP_WORDS


def split_rdcredit_text(text: str) -> tuple[dict[str, str], set[str]]:
    """Split `rd=105億 prior=… sme` into raw key values and flags; unknown words raise an error.

    Raises:
        CommandInputErrors: unknown keys or stray words, each named.
    """
    values: dict[str, str] = {}
    flags: set[str] = set()
    errors: list[ToolInputError] = []
    for token in _normalise(text).split():
        key, sep, value = token.partition("=")
        key = key.strip().casefold()
        if not sep:
            if key in RDCREDIT_FLAGS:
                flags.add(RDCREDIT_FLAGS[key])
            else:
                errors.append(
                    ToolInputError(
                        key,
                        f"「{key}」は解釈できません。`キー=値` の形で書いてください（/rdcredit help）。",
                        f"Cannot understand '{key}'. Write key=value (see /rdcredit help).",
                    )
                )
            continue
        if key not in RDCREDIT_KEYS:
            errors.append(
                ToolInputError(
                    key,
                    f"「{key}」という項目はありません。使える項目: rd, prior, sales, tax, "
                    "oi_university, oi_startup, oi_other（試験研究費= 前3年= 売上= 法人税額=）",
                    f"Unknown key '{key}'. Known keys: rd, prior, sales, tax, oi_university, "
                    "oi_startup, oi_other.",
                )
            )
            continue
        values[RDCREDIT_KEYS[key]] = value
    if errors:
        raise CommandInputErrors(errors)
    return values, flags


def parse_rdcredit_fields(values: dict[str, str | None], flags: set[str]) -> RdCreditArgs:
    """Turn raw field texts into `RdCreditArgs`, collecting every field's error at once.

    Raises:
        CommandInputErrors: missing or unreadable fields, each named (modal errors map onto blocks).
    """
    errors: list[ToolInputError] = []
    parsed: dict[str, object] = {}
    required = {
        "rd": "試験研究費 / R&D (rd=)",
        "prior": "前3年の試験研究費 / prior R&D (prior=)",
        "sales": "売上金額 / sales (sales=)",
        "tax": "調整前法人税額 / corporate tax (tax=)",
    }
    for name, label in required.items():
        raw = (values.get(name) or "").strip()
        if not raw and not (name == "prior" and "founding" in flags):
            errors.append(
                ToolInputError(
                    name,
                    f"{label.split(' / ')[0]}を入力してください。",
                    f"Please give {label.split(' / ')[1]}.",
                )
            )
            continue
        try:
            if name in ("prior", "sales"):
                parsed[name] = [
                    parse_amount(part, field=name) for part in _LIST_SPLIT.split(raw) if part.strip()
                ]
            else:
                parsed[name] = parse_amount(raw, field=name)
        except ToolInputError as error:
            errors.append(error)
    for name in ("oi_university", "oi_startup", "oi_other"):
        raw = (values.get(name) or "").strip()
        if raw:
            try:
                parsed[name] = parse_amount(raw, field=name)
            except ToolInputError as error:
                errors.append(error)
    if isinstance(parsed.get("prior"), list) and len(parsed["prior"]) > 3:  # type: ignore[arg-type]
        errors.append(
            ToolInputError(
                "prior",
                "前3年の試験研究費は3つまでです（新しい順）。",
                "Give at most 3 prior years of R&D (newest first).",
            )
        )
    if isinstance(parsed.get("sales"), list) and len(parsed["sales"]) > 4:  # type: ignore[arg-type]
        errors.append(
            ToolInputError(
                "sales",
                "売上金額は当期＋前3年の4つまでです。",
                "Give at most 4 sales figures: this year, then the prior 3.",
            )
        )
    if errors:
        raise CommandInputErrors(errors)
    return RdCreditArgs(**parsed, **{flag: True for flag in flags})  # type: ignore[arg-type]


def parse_rdcredit_text(text: str) -> RdCreditArgs:
    """Parse `/rdcredit` text such as `rd=105億 prior=100億,100億,100億 sales=… tax=50億 sme`.

    Raises:
        CommandInputErrors: every problem found, each naming its field.
    """
    values, flags = split_rdcredit_text(text)
    return parse_rdcredit_fields(values, flags)


# calculator field -> the command/modal field a person typed it in
_TOOL_FIELD_TO_ARG = {
    "prior_rd": "prior",
    "founding_year": "prior",
    "oi": "oi_university",
    "input": "rd",
    "company": "rd",
    "credit_suspended": "rd",
    "other_credits": "rd",
}


def to_rdcredit_input(args: RdCreditArgs) -> RdCreditInput:
    """Build the calculator's input from parsed arguments.

    Raises:
        CommandInputErrors: the calculator's consistency checks, renamed to the typed field.
    """
    data: dict[str, object] = {
        "rd": args.rd,
        "prior_rd": args.prior,
        "sales": args.sales or None,
        "tax": args.tax,
        "company": "sme" if args.sme else "large",
        "founding_year": args.founding,
        "venture": args.venture,
        "credit_suspended": args.suspended,
    }
    if args.oi_university or args.oi_startup or args.oi_other:
        data["oi"] = {"university": args.oi_university, "startup": args.oi_startup, "other": args.oi_other}
    try:
        return parse_rdcredit_input(data)
    except ToolInputError as error:
        raise CommandInputErrors(field_errors(error)) from None


def format_rdcredit_text(args: RdCreditArgs) -> str:
    """Write `args` back as canonical command text (kept in the Share button's value)."""
    parts = [
        f"rd={args.rd}",
        f"prior={','.join(map(str, args.prior))}" if args.prior else "",
        f"sales={','.join(map(str, args.sales))}",
        f"tax={args.tax}",
    ]
    parts += [
        f"{name}={getattr(args, name)}"
        for name in ("oi_university", "oi_startup", "oi_other")
        if getattr(args, name)
    ]
    parts += [flag for flag in ("sme", "venture", "founding", "suspended") if getattr(args, flag)]
    return " ".join(p for p in parts if p)


class RankArgs(BaseModel):
    """/deckrank TABLE [entity | rank | a-b | top N]."""

    table: str
    entity: str | None = None
    rank: int | None = None
    rank_range: tuple[int, int] | None = None
    top: int | None = None


def parse_rank_text(text: str) -> RankArgs | None:
    """Parse `/deckrank` text; None when no table was given (show the list)."""
    words = _normalise(text).split(maxsplit=1)
    if not words:
        return None
    table, rest = words[0], (words[1].strip() if len(words) > 1 else "")
    if match := re.fullmatch(r"(?i)top\s*(\d{1,3})|上位\s*(\d{1,3})", rest):
        return RankArgs(table=table, top=int(match.group(1) or match.group(2)))
    if match := re.fullmatch(r"(\d{1,4})\s*位?", rest):
        return RankArgs(table=table, rank=int(match.group(1)))
    if match := re.fullmatch(r"(\d{1,4})\s*[-~〜～]\s*(\d{1,4})\s*位?", rest):
        low, high = int(match.group(1)), int(match.group(2))
        return RankArgs(table=table, rank_range=(min(low, high), max(low, high)))
    return RankArgs(table=table, entity=rest or None)


def _normalise(text: str) -> str:
    # NFKC turns full-width ＝, digits and spaces into ASCII so Japanese keyboards work as typed.
    return unicodedata.normalize("NFKC", text or "")
