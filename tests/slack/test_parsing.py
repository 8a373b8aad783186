"""Slash-command text parsing: keys, Japanese aliases, flags and field-named errors."""

from __future__ import annotations

import pytest

from bot.parsing import (
    CommandInputErrors,
    RankArgs,
    format_rdcredit_text,
    is_help,
    parse_rank_text,
    parse_rdcredit_text,
    to_rdcredit_input,
)

OKU = 100_000_000


def test_english_keys_and_flags() -> None:
    args = parse_rdcredit_text(
        "rd=105億 prior=100億,100億,100億 sales=1000億,1000億,1000億,1000億 tax=50億 "
        "sme venture oi_university=1億"
    )
    assert (args.rd, args.prior, args.tax) == (105 * OKU, [100 * OKU] * 3, 50 * OKU)
    assert args.sales == [1000 * OKU] * 4
    assert (args.sme, args.venture, args.founding, args.oi_university) == (True, True, False, OKU)
    inp = to_rdcredit_input(args)
    assert inp.company == "sme" and inp.prior_rd == [100 * OKU] * 3 and inp.oi.university == OKU


def test_japanese_keys_full_width_and_japanese_commas() -> None:
    args = parse_rdcredit_text("試験研究費＝１０５億　前3年=100億、100億、100億 売上=1000億 法人税額=50億")
    assert (args.rd, args.prior, args.sales, args.tax) == (105 * OKU, [100 * OKU] * 3, [1000 * OKU], 50 * OKU)


def test_every_missing_field_is_reported_at_once() -> None:
    with pytest.raises(CommandInputErrors) as caught:
        parse_rdcredit_text("rd=1億")
    assert [e.field for e in caught.value.errors] == ["prior", "sales", "tax"]


def test_founding_year_needs_no_prior_years() -> None:
    args = parse_rdcredit_text("rd=5000万 sales=10億 tax=3000万 founding")
    assert args.prior == [] and args.founding
    assert to_rdcredit_input(args).founding_year is True


def test_unknown_keys_and_stray_words_are_named() -> None:
    with pytest.raises(CommandInputErrors) as caught:
        parse_rdcredit_text("rd=1億 profit=2億 hello")
    assert [e.field for e in caught.value.errors] == ["profit", "hello"]


def test_too_many_prior_years_is_an_error_on_prior() -> None:
    with pytest.raises(CommandInputErrors) as caught:
        parse_rdcredit_text("rd=1億 prior=1億,1億,1億,1億 sales=10億 tax=1億")
    assert [e.field for e in caught.value.errors] == ["prior"]


def test_calculator_consistency_errors_map_to_typed_fields() -> None:
    args = parse_rdcredit_text("rd=1億 prior=1億 sales=10億 tax=1億 oi_university=2億")
    with pytest.raises(CommandInputErrors) as caught:
        to_rdcredit_input(args)
    assert caught.value.errors[0].field == "oi_university"


def test_canonical_text_round_trips() -> None:
    args = parse_rdcredit_text("rd=105億 prior=100億,100億,100億 sales=1000億 tax=50億 venture oi_other=3億")
    assert parse_rdcredit_text(format_rdcredit_text(args)) == args


@pytest.mark.parametrize("text", ["help", " HELP ", "ヘルプ", "？"])
def test_help_words(text: str) -> None:
    assert is_help(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("gii 東京", RankArgs(table="gii", entity="東京")),
        ("startup_genome_2024 top 5", RankArgs(table="startup_genome_2024", top=5)),
        ("qs 3", RankArgs(table="qs", rank=3)),
        ("qs 1-10", RankArgs(table="qs", rank_range=(1, 10))),
        ("aspi", RankArgs(table="aspi")),
        ("gii シリコン バレー", RankArgs(table="gii", entity="シリコン バレー")),
    ],
)
def test_rank_text(text: str, expected: RankArgs) -> None:
    assert parse_rank_text(text) == expected


def test_rank_text_empty_means_list() -> None:
    assert parse_rank_text("   ") is None


def test_rank_zero_is_parsed_and_left_for_the_lookup_to_refuse() -> None:
    assert parse_rank_text("qs 0") == RankArgs(table="qs", rank=0)
