"""An English question's words the lexicon does not translate are parts of the question to cover: a unit
that alone says one of them is quoted beside the unit that answers the rest."""

from retrieval.extract import best_units
from retrieval.intent import analyze

SLIDE = """\
⚫ 研究開発のグローバル化の事例

➢ 企業Aの研究チーム「Blue Lab」では、英国、米国、中国の拠点が協業

➢ 世界の研究者の知見を統合して研究開発を実施

研究者の専門分野の例

出典）企業A「Blue Lab」を基に作成ヘリオス計画

(海洋観測モデル)
"""

ENGLISH = {
    "⚫ 研究開発のグローバル化の事例": "⚫ Examples of the globalization of R&D",
    "➢ 企業Aの研究チーム「Blue Lab」では、英国、米国、中国の拠点が協業": (
        '➢ In Company A\'s research team "Blue Lab", sites in the UK, US and China work together'
    ),
    "➢ 世界の研究者の知見を統合して研究開発を実施": "➢ It integrates the knowledge of researchers worldwide in its R&D",
    "研究者の専門分野の例": "Examples of researchers' fields of expertise",
    "出典）企業A「Blue Lab」を基に作成ヘリオス計画": 'Source: Compiled from Company A "Blue Lab" Helios project',
    "(海洋観測モデル)": "(ocean observation model)",
}


def test_a_second_part_in_untranslated_words_brings_its_own_line():
    question = 'which countries\' sites work together in the "Blue Lab" team, and what project is shown?'
    quoted = [unit.text for unit in best_units(SLIDE, analyze(question), english=ENGLISH)]
    assert "➢ 企業Aの研究チーム「Blue Lab」では、英国、米国、中国の拠点が協業" in quoted
    assert "出典）企業A「Blue Lab」を基に作成ヘリオス計画" in quoted


def test_a_japanese_question_is_covered_by_its_terms_alone():
    quoted = [unit.text for unit in best_units(SLIDE, analyze("Blue Labではどこの拠点が協業している？"))]
    assert quoted[0] == "➢ 企業Aの研究チーム「Blue Lab」では、英国、米国、中国の拠点が協業"
    assert "出典）企業A「Blue Lab」を基に作成ヘリオス計画" not in quoted
