"""Key points of a slide for its summary: bullets, and the key figures the bullets leave out."""

from retrieval.sections import key_points

DIAGRAM_SLIDE = """\
⚫ 立地競争力を強化し、無形資産投資を後押しすることを目的として、新しい税制を創設。
⚫ 欧州各国で導入が始まり、アジア諸国での導入・検討が進んでいる。
⚫ 製品売却益を対象としている国も多い。
30%
所得控除
対象所得について、
29.74%から約20%相当まで引下げ
"""


def test_a_diagram_s_figures_join_the_bullets_with_their_labels():
    points = key_points(DIAGRAM_SLIDE)
    assert "30% 所得控除" in points
    assert "29.74%から約20%相当まで引下げ" in points
    assert points[0].startswith("⚫ 立地競争力")  # still in slide order


def test_a_slide_whose_bullets_give_the_figures_gets_no_extra_points():
    text = "⚫ 売上は30%増えた。\n⚫ 利益は2倍になった。\n⚫ 社員は100人を超えた。\n30%\n"
    assert key_points(text) == ["⚫ 売上は30%増えた。", "⚫ 利益は2倍になった。", "⚫ 社員は100人を超えた。"]


def test_the_sentence_a_slide_opens_with_leads_its_key_points():
    text = (
        "豪・戦略政策研究所(ASPI)は、国家安全保障・防衛・技術に関するオーストラリアの独立系シンクタンクである。\n"
        "⚫ 中国の躍進が目立つ。\n⚫ インドが科学技術大国として定着。\n⚫ 韓国が日本を逆転。\n"
    )
    points = key_points(text)
    assert points[0].startswith("豪・戦略政策研究所(ASPI)は")
    assert points[1:] == [
        "⚫ 中国の躍進が目立つ。",
        "⚫ インドが科学技術大国として定着。",
        "⚫ 韓国が日本を逆転。",
    ]


CALLOUT_SLIDE = """\
⚫ EUは域内研究開発の促進を行う。
⚫ 準参加国との研究協力により水準の向上を図る。
⚫ R&D投資額の目標値を引き上げる。
⚫ 戦略的優先事項により集中する。
準参加国19か国
その他11か国
加盟国27か国
"""


def test_a_charts_short_callouts_are_key_points_even_beside_enough_bullets():
    points = key_points(CALLOUT_SLIDE)
    assert {"準参加国19か国", "その他11か国", "加盟国27か国"} <= set(points)


def test_a_summary_about_something_keeps_the_callouts_beyond_its_limit():
    from retrieval.intent import analyze
    from retrieval.sections import DeckSections
    from corpus.deck import Slide

    slide = Slide(number=8, title="EUの研究開発", text=CALLOUT_SLIDE, line_start=1, line_end=8)
    summary = DeckSections([slide]).summarize(
        "8", about=analyze("EUの研究開発投資の目標をざっくり"), per_slide=2
    )
    assert "加盟国27か国" in [bullet.text for bullet in summary.bullets]


def test_a_plain_summary_keeps_a_callout_that_comes_after_its_limit():
    from corpus.deck import Slide
    from retrieval.sections import DeckSections

    # a case study's bullets fill the limit before the chart's last figure line
    text = "\n".join(
        [f"⚫ 取組{i}として体制を整備し、対応を強化した。" for i in range(1, 10)] + ["⇒2023年 約900件に急増"]
    )
    slide = Slide(number=8, title="大学の対応事例", text=text, line_start=1, line_end=10)
    bullets = [bullet.text for bullet in DeckSections([slide]).summarize("8", per_slide=3).bullets]
    assert bullets[:3] == [f"⚫ 取組{i}として体制を整備し、対応を強化した。" for i in (1, 2, 3)]
    assert bullets[-1] == "⇒2023年 約900件に急増"


def test_a_summary_about_a_designator_starts_with_its_heading():
    from corpus.deck import Slide
    from retrieval.intent import analyze
    from retrieval.sections import DeckSections

    text = "\n".join(
        ["第5期中長期目標（2020年4月～2025年3月）", "⚫ 研究拠点を設立した。"]
        + ["第6期中長期目標（2025年4月～2032年3月）"]
        + [f"⚫ 研究所は取組{i}として融合研究を強化する。" for i in range(1, 6)]
    )
    slide = Slide(number=8, title="研究所のミッション", text=text, line_start=1, line_end=8)
    summary = DeckSections([slide]).summarize(
        "8", about=analyze("研究所の第6期の取組をまとめて"), per_slide=3
    )
    bullets = [bullet.text for bullet in summary.bullets]
    assert bullets[0] == "第6期中長期目標（2025年4月～2032年3月）"
    assert "⚫ 研究拠点を設立した。" not in bullets


def test_a_one_slide_summary_keeps_ten_points_so_a_second_case_is_not_cut():
    from corpus.deck import Slide
    from retrieval.sections import ONE_SLIDE_POINTS, DeckSections

    text = "\n".join(f"⚫ 事例{i}では体制を整備し、対応を強化した。" for i in range(1, 13))
    slide = Slide(number=8, title="大学の対応事例", text=text, line_start=1, line_end=12)
    bullets = [bullet.text for bullet in DeckSections([slide]).summarize("8").bullets]
    assert ONE_SLIDE_POINTS == 10 and len(bullets) == 10
    assert bullets[-1] == "⚫ 事例10では体制を整備し、対応を強化した。"
