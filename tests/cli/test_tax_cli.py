"""deckbot rdcredit / taxcompare / innovationbox / oipromotion through click's CliRunner."""

import json

from click.testing import CliRunner

from bot.cli import main

CASE10 = [
    "rdcredit",
    "--rd",
    "12億",
    "--prior",
    "10億",
    "10億",
    "10億",
    "--sales",
    "200億",
    "200億",
    "200億",
    "200億",
    "--tax",
    "4億",
]


def run(args):
    return CliRunner().invoke(main, args)


def test_rdcredit_table_shows_the_working():
    result = run(CASE10)
    assert result.exit_code == 0, result.output
    assert "120,000,000円" in result.output  # spec Case 10 credit
    assert "168,000,000円" in result.output  # 税額控除限度額
    assert "控除上限額" in result.output


def test_rdcredit_json_case05():
    result = run(
        [
            "rdcredit",
            "--rd",
            "1,050,000,000",
            "--prior",
            "10億",
            "10億",
            "10億",
            "--sales",
            "200億",
            "200億",
            "200億",
            "200億",
            "--tax",
            "１０億",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total_credit"] == 101_850_000
    assert data["general"]["rate"]["percent"] == "9.7%"
    assert data["general"]["rate_before_truncation"]["decimal"] == "0.0975"


def test_rdcredit_sme_oi_and_fiscal_year_flags():
    result = run(
        [
            "rdcredit",
            "--rd",
            "12億",
            "--prior",
            "10億",
            "10億",
            "10億",
            "--sales",
            "200億",
            "200億",
            "200億",
            "200億",
            "--tax",
            "10億",
            "--oi-university",
            "1億",
            "--oi-startup",
            "5,000万",
            "--oi-other",
            "3000万",
            "--fiscal-year-start",
            "2026-04-01",
            "--json",
        ]
    )
    data = json.loads(result.output)
    assert data["total_credit"] == 191_300_000  # spec Case 14, method A
    assert data["warnings"][0]["code"] == "regime-after-r8-reform"


def test_rdcredit_bad_input_exit_2_bilingual():
    result = run(["rdcredit", "--rd", "12億", "--prior", "-10億", "--sales", "200億", "--tax", "1億"])
    assert result.exit_code == 2
    assert (
        "prior_rd" in result.output and "cannot be negative" in result.output and "負の金額" in result.output
    )
    assert "Traceback" not in result.output


def test_rdcredit_missing_prior_and_zero_sales():
    missing = run(["rdcredit", "--rd", "12億", "--sales", "200億", "--tax", "1億"])
    assert missing.exit_code == 2 and "prior_rd" in missing.output
    zero = run(["rdcredit", "--rd", "12億", "--prior", "10億", "--sales", "0", "0", "--tax", "1億"])
    assert zero.exit_code == 2 and "sales" in zero.output
    founding = run(
        ["rdcredit", "--rd", "5,000万", "--founding-year", "--sales", "10億", "--tax", "3,000万", "--json"]
    )
    assert json.loads(founding.output)["total_credit"] == 4_250_000  # spec Case 13


def test_rdcredit_batch_keeps_order_and_survives_a_bad_line(tmp_path):
    lines = [
        {
            "rd": 600_000_000,
            "prior_rd": [10**9] * 3,
            "sales": [2 * 10**10] * 4,
            "tax": 10**9,
            "company": "large",
        },
        "this is not json",
        {
            "rd": "3,000万",
            "prior_rd": ["2,500万"] * 3,
            "sales": ["5億"] * 4,
            "tax": "1,500万",
            "company": "sme",
        },
        {"rd": 10**9, "prior_rd": [], "sales": [10**10], "tax": 10**9, "company": "large"},
        {
            "id": "sub-5",
            "memo": "ignored",
            "rd": 50_000_000,
            "prior_rd": [],
            "sales": [10**9],
            "tax": 30_000_000,
            "company": "large",
            "founding_year": True,
            "oi": {"university": 0, "startup": 0, "other": 0},
            "fiscal_year_start": "2025-04-01",
        },
    ]
    path = tmp_path / "companies.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    result = run(["rdcredit", "--json", "--batch", str(path)])
    assert result.exit_code == 0, result.output
    outputs = [json.loads(line) for line in result.output.splitlines()]
    assert len(outputs) == 5
    assert outputs[0]["total_credit"] == 6_000_000  # Case 1
    assert outputs[1]["line"] == 2 and outputs[1]["error"]["field"] == "input"
    assert (
        outputs[2]["total_credit"] == 4_500_000 and outputs[2]["sme"]["rate"]["percent"] == "15%"
    )  # Case 12
    assert outputs[3]["error"]["field"] == "prior_rd"
    assert outputs[3]["error"]["message_ja"] and outputs[3]["error"]["message_en"]
    assert outputs[4]["total_credit"] == 4_250_000  # Case 13
    assert outputs[4]["id"] == "sub-5" and outputs[4]["ignored_fields"] == ["memo"]


def test_taxcompare_json():
    result = run(["taxcompare", "--rd", "100000000", "--prior", "90000000", "90000000", "90000000", "--json"])
    assert result.exit_code == 0, result.output
    countries = {c["country"]: c for c in json.loads(result.output)["countries"]}
    assert countries["japan"]["credit_jpy"] == 11_200_000
    assert countries["germany"]["credit_local"] == "2500000"


def test_innovationbox_json_and_error():
    result = run(["innovationbox", "--income", "1億", "--taxable-income", "10億", "--json"])
    assert json.loads(result.output)["deduction"] == 30_000_000
    bad = run(["innovationbox", "--income", "abc"])
    assert bad.exit_code == 2 and "qualifying_income" in bad.output


def test_oipromotion_json():
    result = run(["oipromotion", "--price", "10億", "--price", "60億", "--json"])
    assert json.loads(result.output)["total_deduction"] == 1_500_000_000
    table = run(["oipromotion", "--price", "10億"])
    assert table.exit_code == 0 and "250,000,000円" in table.output


# Every option the hand-written commands had keeps working (the options are now derived from the models).
KEPT_OPTIONS = {
    "rdcredit": "--rd --prior --sales --tax --sme --venture --founding-year --oi-university --oi-startup "
    "--oi-other --other-credits --credit-suspended --fiscal-year-start --json --batch --chart --chart-lang",
    "taxcompare": "--rd --prior --sales --tax --size --fx --fx-date --uk-payroll --korea-field --json",
    "innovationbox": "--income --ratio --taxable-income --effective-rate --fiscal-year-start --json",
    "oipromotion": "--price --type --sme --foreign --effective-rate --json",
}


def test_every_hand_written_option_name_is_kept():
    from bot.cli.tax import calculator_command

    for command, names in KEPT_OPTIONS.items():
        options = calculator_command(command)
        assert options is not None
        declared = {name for param in options.params for name in (*param.opts, *param.secondary_opts)}
        assert set(names.split()) <= declared, (command, set(names.split()) - declared)


def test_new_model_fields_are_options_without_cli_edits():
    help_text = run(["rdcredit", "--help"]).output
    assert "--basic-cap-only" in help_text and "--company [large|sme]" in help_text
    basic = run([*CASE10, "--basic-cap-only", "--json"])
    assert json.loads(basic.output)["general"]["cap_pct"]["percent"] == "25%"
    related = run(["innovationbox", "--income", "1億", "--related-party", "--json"])
    assert json.loads(related.output)["deduction"] == 0
    french = run(
        ["taxcompare", "--rd", "200000", "--size", "sme", "--france-innovation-costs", "300000", "--json"]
    )
    france = {c["country"]: c for c in json.loads(french.output)["countries"]}["france"]
    assert france["credit_local"] == "120000"  # 200,000 × 30% + 300,000 × 20%


def test_list_values_after_one_flag_and_options_for_list_items():
    fx = run(["taxcompare", "--rd", "15億", "--fx", "usd=150", "EUR=160", "--fx-date", "2025-04", "--json"])
    assert json.loads(fx.output)["input"]["fx_rates"] == {"USD": "150", "EUR": "160"}
    deals = run(["oipromotion", "--price", "10億", "60億", "--type", "ma", "--sme", "--json"])
    data = json.loads(deals.output)
    assert [d["deal_type"] for d in data["input"]["deals"]] == ["ma", "ma"]
    assert data["input"]["investor"] == "sme"
    assert data["total_deduction"] == 1_750_000_000  # M&A: 10億 + 60億 (max 200億) × 25%
    minority = json.loads(
        run(["oipromotion", "--price", "10億", "--type", "ma", "--no-majority", "--json"]).output
    )
    assert minority["input"]["deals"][0]["majority"] is False and minority["total_deduction"] == 0


def test_errors_name_the_option():
    missing = run(["rdcredit", "--sales", "200億", "--tax", "1億"])
    assert missing.exit_code == 2 and "'rd' is required. (--rd)" in missing.output
    no_deal = run(["oipromotion"])
    assert no_deal.exit_code == 2 and "(--price)" in no_deal.output
    bad_pair = run(["taxcompare", "--rd", "1", "--fx", "USD"])
    assert bad_pair.exit_code == 2 and "KEY=VALUE" in bad_pair.output
