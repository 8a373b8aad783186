"""The tables read by hand from interleaved slides: cells paired as the deck prints them, and found by the
names a user types (aliases are lookup names, not deck text)."""

import pytest

from corpus.bundle import default_bundle
from retrieval.tables import load_tables
from tools.rankings import RankingQuery, find_entities, find_tables_for, lookup_ranking

TS = load_tables(default_bundle())


def only(table, entity):
    matches = lookup_ranking(TS, RankingQuery(table=table, entity=entity)).matches
    assert len(matches) == 1, [m.row.display for m in matches]
    return matches[0].row.display


@pytest.mark.parametrize(
    ("entity", "company", "lab", "location", "industry"),
    [
        ("Honda", "本田技研工業", "本田技術研究所", "埼玉県和光市", "自動車"),
        ("Toyota", "トヨタ自動車(トヨタグループ）", "豊田中央研究所", "愛知県長久手市", "自動車"),
        ("Hitachi", "日立製作所", "日立製作所中央研究所", "東京都国分寺市", "総合電機"),
        ("Mitsubishi Electric", "三菱電機", "先端技術総合研究所", "兵庫県尼崎市", "総合電機"),
        ("NEC", "NEC", "玉川事業場", "神奈川県川崎市", "通信・SIer"),
        ("Fujitsu", "富士通", "富士通研究所", "神奈川県川崎市 ほか", "通信・SIer"),
        ("MHI", "三菱重工業", "総合研究所", "長崎県長崎市 神奈川県相模原市 兵庫県高砂市 ほか", "産業用機械"),
    ],
)
def test_central_labs_pair_company_lab_and_location(entity, company, lab, location, industry):
    row = only("japan_corporate_central_labs", entity)
    assert (row["company"], row["central_lab"], row["location"], row["industry"]) == (
        company,
        lab,
        location,
        industry,
    )


def test_central_labs_are_the_table_for_a_central_lab_question():
    assert find_tables_for(TS, "日立の中央研究所はどこにありますか")[0] == "japan_corporate_central_labs"
    assert find_tables_for(TS, "Where is Honda's central research lab?")[0] == "japan_corporate_central_labs"


def test_global_rd_centres_carry_research_fields_and_existing_sites():
    tsmc = only("global_rd_centres_in_japan", "TSMC")
    assert tsmc["research_fields"] == "・半導体パッケージング(3D IC)技術"
    assert tsmc["other_existing_sites"] == ""
    samsung = only("global_rd_centres_in_japan", "Samsung")
    assert samsung["other_existing_sites"] == "・神奈川県横浜市 ・大阪府箕面市"
    assert "（みなとみらい）" in samsung["research_fields"]
    bosch = only("global_rd_centres_in_japan", "Bosch")
    assert bosch["other_existing_sites"].startswith("・北海道大空町")
    assert "・車両制御" in bosch["research_fields"]


def test_strategic_technologies_by_country():
    germany = only("national_strategic_technologies", "Germany")
    assert germany["country"] == "独国" and germany["strategy_document"] == "ホワイトペーパー技術主権（2021）"
    korea = only("national_strategic_technologies", "Korea")
    assert korea["strategy_document"].startswith("12大国家戦略技術")
    assert "• 次世代原子力" in korea["key_technology_areas"]


def test_smaller_hand_read_tables():
    assert only("innovation_box_by_country", "UK")["introduced"] == "（2013～）"
    assert only("rd_tax_open_innovation_rates", "startups")["credit_rate"] == "25%"
    assert only("quantonation_funds", "Quantonation II")["fund_size"] == "€200M（約320億円）"
    assert only("university_deeptech_startups", "Tsubame BHB")["field"] == "マテリアル"
    nagoya = find_entities(TS, "startup_ecosystem_hub_cities", "Aichi")
    assert [m.row.display["consortium"] for m in nagoya] == ["Central Japan Startup Ecosystem Consortium"]
    ma = only("open_innovation_promotion_tax", "株式取得上限額")
    assert ma["ma"] == "200億円/件／年間500億円/社"


def test_chart_tables_pair_each_value_with_its_printed_label():
    assert only("rd_expenditure_by_sector", "large companies")["amount"] == "13.8"
    assert only("rd_expenditure_by_sector", "universities")["amount"] == "3.9"
    assert only("startup_job_changers_from_large_companies", "2023")["share"] == "25.8"
    assert only("startup_job_changers_from_large_companies", "2022")["share"] == "19.8"
    assert only("quantonation_portfolio_countries", "France")["companies"] == "11"
    assert only("quantonation_portfolio_fields", "quantum computing")["companies"] == "13"
    fy2023 = only("new_sme_public_procurement", "FY2023")
    assert (fy2023["share"], fy2023["amount"], fy2023["total"]) == ("1.39%", "1,526", "109,950")


def test_chart_tables_are_found_for_their_questions():
    assert find_tables_for(TS, "Quantonationの国別の企業数は？")[0] == "quantonation_portfolio_countries"
    assert find_tables_for(TS, "Quantonation portfolio by country")[0] == "quantonation_portfolio_countries"
    assert find_tables_for(TS, "Quantonationのポートフォリオの領域別の企業数")[0] == "quantonation_portfolio_fields"
    assert find_tables_for(TS, "官公需に占める新規中小企業者の契約比率は？")[0] == "new_sme_public_procurement"
    assert find_tables_for(TS, "部門別研究開発費で大学等はいくら？")[0] == "rd_expenditure_by_sector"
    assert find_tables_for(TS, "大手企業からスタートアップへの転職者の割合は2023年に何%?")[0] == (
        "startup_job_changers_from_large_companies"
    )
