"""A Japanese-English lexicon of general names and terms (countries, cities, institutions, companies, policy
and tax vocabulary), for English questions and English glosses. A document bundle adds the few phrases only
its document uses (`Lexicon`, from bundle.yaml's `lexicon`)."""

import re
from dataclasses import dataclass
from functools import lru_cache

Entries = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Lexicon:
    """One document's own names and terms, added to the general lists below."""

    entities: Entries = ()
    terms: Entries = ()


NO_EXTRA = Lexicon()

# (Japanese as printed in the deck, English forms; the first English form is used in glosses).
# Entity kinds matter for refusals: a named entity the question asks about must appear in the evidence.
ENTITIES: list[tuple[str, tuple[str, ...]]] = [
    ("米国", ("US", "U.S.", "United States", "USA", "America", "American")),
    ("アメリカ", ("America",)),
    ("中国", ("China", "Chinese")),
    ("韓国", ("South Korea", "Korea", "Korean")),
    ("日本", ("Japan", "Japanese")),
    ("英国", ("UK", "United Kingdom", "Britain", "British", "England")),
    ("イギリス", ("UK", "Britain")),
    ("ドイツ", ("Germany", "German")),
    ("独国", ("Germany",)),
    ("フランス", ("France", "French")),
    ("イタリア", ("Italy", "Italian")),
    ("インド", ("India", "Indian")),
    ("豪州", ("Australia", "Australian")),
    ("オーストラリア", ("Australia", "Australian")),
    ("カナダ", ("Canada", "Canadian")),
    ("オランダ", ("Netherlands", "Dutch")),
    ("シンガポール", ("Singapore",)),
    ("イスラエル", ("Israel", "Israeli")),
    ("台湾", ("Taiwan", "Taiwanese")),
    ("香港", ("Hong Kong",)),
    ("スイス", ("Switzerland", "Swiss")),
    ("ベルギー", ("Belgium",)),
    ("スペイン", ("Spain",)),
    ("マレーシア", ("Malaysia",)),
    ("ニュージーランド", ("New Zealand",)),
    ("インドネシア", ("Indonesia",)),
    ("ロシア", ("Russia",)),
    ("ウクライナ", ("Ukraine",)),
    ("ブラジル", ("Brazil",)),
    ("スウェーデン", ("Sweden",)),
    ("シリコンバレー", ("Silicon Valley",)),
    ("ボストン", ("Boston",)),
    ("テルアビブ", ("Tel Aviv",)),
    ("ベルリン", ("Berlin",)),
    ("ロンドン", ("London",)),
    ("パリ", ("Paris",)),
    ("ニューヨーク", ("New York",)),
    ("ロサンゼルス", ("Los Angeles",)),
    ("北京", ("Beijing",)),
    ("上海", ("Shanghai",)),
    ("ソウル", ("Seoul",)),
    ("東京", ("Tokyo",)),
    ("横浜", ("Yokohama",)),
    ("大阪", ("Osaka",)),
    ("京都", ("Kyoto",)),
    ("神戸", ("Kobe",)),
    ("名古屋", ("Nagoya",)),
    ("札幌", ("Sapporo",)),
    ("北海道", ("Hokkaido",)),
    ("福岡", ("Fukuoka",)),
    ("仙台", ("Sendai",)),
    ("広島", ("Hiroshima",)),
    ("北九州", ("Kitakyushu",)),
    ("つくば", ("Tsukuba",)),
    ("深セン", ("Shenzhen",)),
    ("渋谷", ("Shibuya",)),
    ("金沢", ("Kanazawa",)),
    ("長岡", ("Nagaoka",)),
    ("滋賀", ("Shiga",)),
    ("茨城", ("Ibaraki",)),
    ("神奈川", ("Kanagawa",)),
    ("川崎", ("Kawasaki",)),
    ("愛知", ("Aichi",)),
    ("兵庫", ("Hyogo",)),
    ("長野", ("Nagano",)),
    ("松本", ("Matsumoto",)),
    ("沖縄", ("Okinawa",)),
    ("浜松", ("Hamamatsu",)),
    ("千葉", ("Chiba",)),
    ("埼玉", ("Saitama",)),
    ("長崎", ("Nagasaki",)),
    ("四日市", ("Yokkaichi",)),
    ("武漢", ("Wuhan",)),
    ("杭州", ("Hangzhou",)),
    ("南京", ("Nanjing",)),
    ("サンディエゴ", ("San Diego",)),
    ("サンフランシスコ", ("San Francisco",)),
    ("サンノゼ", ("San Jose",)),
    ("広州", ("Guangzhou",)),
    ("アムステルダム", ("Amsterdam",)),
    ("ワシントン", ("Washington",)),
    ("ストックホルム", ("Stockholm",)),
    ("東京大学", ("University of Tokyo", "UTokyo", "Tokyo University")),
    ("京都大学", ("Kyoto University",)),
    ("大阪大学", ("Osaka University",)),
    ("東北大学", ("Tohoku University",)),
    ("筑波大学", ("University of Tsukuba", "Tsukuba")),
    ("九州大学", ("Kyushu University",)),
    ("信州大学", ("Shinshu University",)),
    ("東京工業大学", ("Tokyo Institute of Technology", "Tokyo Tech")),
    ("ワシントン大学", ("University of Washington", "Washington")),
    ("シカゴ大学", ("University of Chicago", "Chicago")),
    ("ハーバード大学", ("Harvard",)),
    ("スタンフォード", ("Stanford",)),
    ("北京大学", ("Peking University",)),
    ("清華大学", ("Tsinghua University", "Tsinghua")),
    ("ソウル大学", ("Seoul National University",)),
    ("シンガポール国立大学", ("National University of Singapore", "NUS")),
    ("メルボルン大学", ("University of Melbourne", "Melbourne")),
    ("経済産業省", ("METI", "Ministry of Economy, Trade and Industry")),
    ("文部科学省", ("MEXT", "Ministry of Education")),
    ("内閣府", ("Cabinet Office",)),
    ("財務省", ("Ministry of Finance",)),
    ("総務省", ("Ministry of Internal Affairs",)),
    ("中小企業庁", ("SME Agency",)),
    ("産総研", ("AIST",)),
    ("産業技術総合研究所", ("AIST",)),
    ("日亜化学工業", ("Nichia",)),
    ("トヨタ自動車", ("Toyota",)),
    ("ソニー", ("Sony",)),
    ("任天堂", ("Nintendo",)),
    ("東レ", ("Toray",)),
    ("オリンパス", ("Olympus",)),
    ("富士通", ("Fujitsu",)),
    ("日立", ("Hitachi",)),
    ("サムスン", ("Samsung",)),
    ("マイクロソフト", ("Microsoft",)),
    ("アマゾン", ("Amazon",)),
    ("エヌビディア", ("NVIDIA", "Nvidia")),
    ("グーグル", ("Google",)),
    ("アップル", ("Apple",)),
    ("インテル", ("Intel",)),
    ("ボッシュ", ("Bosch", "BOSCH")),
    ("アイビーエム", ("IBM",)),
    ("シーメンス", ("Siemens",)),
    ("中外製薬", ("Chugai",)),
    ("スマートニュース", ("SmartNews",)),
    ("欧州委員会", ("European Commission",)),
    ("ボストン・コンサルティング", ("Boston Consulting Group", "BCG")),
]

# Topic words: English question words -> Japanese search terms (not entities; never cause a refusal alone).
TERMS: list[tuple[str, tuple[str, ...]]] = [
    ("研究開発税制", ("R&D tax credit", "R&D tax", "tax credit", "research and development tax")),
    ("控除率", ("credit rate", "rates", "rate")),
    ("控除上限", ("cap", "credit cap", "ceiling", "upper limit")),
    ("試験研究費", ("R&D spending", "R&D expenditure", "R&D expenses")),
    ("研究開発", ("R&D", "research and development")),
    ("税額控除", ("tax credit", "credit")),
    ("中小企業", ("SME", "SMEs", "small and medium")),
    ("ベンチャー", ("venture",)),
    ("大企業", ("large company", "large companies", "large firms")),
    ("オープンイノベーション", ("open innovation",)),
    ("イノベーションボックス", ("innovation box", "IP box")),
    ("イノベーション拠点税制", ("innovation box",)),
    ("国際比較", ("international comparison",)),
    ("時価総額", ("market capitalisation", "market capitalization", "market cap", "valuation")),
    ("中央値", ("median",)),
    ("平均値", ("average", "mean")),
    ("IPO", ("IPO", "listing")),
    ("スタートアップ", ("startup", "startups", "start-up", "start-ups")),
    ("大学発スタートアップ", ("university startups", "university spin-offs", "university-launched startups")),
    ("ユニコーン", ("unicorn", "unicorns")),
    ("資金調達", ("funding", "raised", "fundraising", "financing")),
    ("調達額", ("amount raised", "amounts raised")),
    ("ランキング", ("ranking", "rankings", "league table")),
    ("順位", ("rank", "position", "positions", "place")),
    ("大学", ("university", "universities")),
    ("クラスター", ("cluster", "clusters")),
    ("科学技術クラスター", ("science and technology cluster",)),
    ("エコシステム", ("ecosystem",)),
    ("拠点都市", ("hub city", "hub cities", "global hub cities")),
    ("重点分野", ("priority fields", "focus areas", "priority areas")),
    ("人材", ("talent", "human resources", "workforce")),
    ("AI人材", ("AI talent",)),
    ("博士号", ("PhD", "doctorate", "doctoral")),
    ("論文", ("papers", "publications", "paper")),
    ("重要技術", ("critical technology", "critical technologies")),
    ("重要技術トラッカー", ("Critical Technology Tracker",)),
    ("VCファンド", ("VC fund", "VC funds", "venture capital fund", "venture capital funds")),
    ("基金", ("fund", "funds")),
    ("予算措置", ("budget measures", "budget measure", "budgetary measures")),
    ("税制措置", ("tax measures", "tax measure", "tax incentives")),
    ("補助金", ("subsidies", "subsidy", "grants")),
    ("予算", ("budget",)),
    ("ムーンショット", ("Moonshot",)),
    ("グリーンイノベーション基金", ("Green Innovation Fund",)),
    ("半導体", ("semiconductor", "semiconductors", "chips")),
    ("量子", ("quantum",)),
    ("共同研究", ("joint research", "collaborative research")),
    ("産学連携", ("industry-academia", "university-industry")),
    ("海外比率", ("overseas share", "foreign share", "share from overseas")),
    ("投資額", ("investment", "investment amount")),
    ("買収", ("acquisition", "buyout")),
    ("研究開発拠点", ("R&D hub", "R&D centre", "R&D center", "research hub")),
    ("中央研究所", ("central research", "central laboratory", "corporate research")),
    ("発光ダイオード", ("LED", "light-emitting diode", "blue LED")),
    ("ハイブリッド車", ("hybrid car", "hybrid cars", "hybrid vehicle", "hybrid vehicles")),
    ("量産", ("mass-produce", "mass-producing", "mass production", "mass-produced", "mass produce")),
    ("内視鏡", ("endoscope", "endoscopes")),
    ("ウォークマン", ("Walkman",)),
    ("炭素繊維", ("carbon fiber", "carbon fibre")),
    ("家庭用ゲーム機器", ("game console", "game consoles", "video game")),
    ("イメージセンサー", ("image sensor", "image sensors", "CMOS")),
    ("イノベーションモデル", ("innovation model",)),
    ("株主還元", ("shareholder returns",)),
    ("成長投資", ("growth investment",)),
    ("官公需", ("public procurement", "government procurement")),
    ("調達", ("procurement",)),
    ("外国人起業", ("foreign entrepreneurs",)),
    ("スタートアップ・ビザ", ("startup visa",)),
    ("経済効果", ("economic impact", "economic effect")),
    ("転職", ("job change", "job changes", "career move")),
    ("戦略分野", ("strategic technology fields", "strategic fields", "strategic sectors", "strategic areas")),
    ("各国", ("by country", "each country", "country by country", "countries' ")),
    ("比較", ("comparison", "comparing", "compared")),
    ("資本市場", ("capital markets", "capital market")),
    ("対話", ("dialogue", "dialog", "engagement")),
    ("機関投資家", ("institutional investors", "institutional investor")),
    ("国際化", ("internationalisation", "internationalization", "internationalising", "internationalizing")),
    ("国家戦略技術", ("national strategic technologies",)),
    ("ドラギ", ("Draghi",)),
    ("ディープテック", ("deep tech", "deeptech")),
    ("所得控除", ("income deduction", "deduction")),
    ("控除", ("deduct", "deducted", "deduction", "deductible")),
    ("繰越", ("carry-forward", "carry forward", "carryforward")),
    ("増減試験研究費割合", ("increase ratio", "change in R&D")),
    ("試験研究費割合", ("R&D-to-sales", "R&D intensity")),
    ("法人税額", ("corporate tax",)),
    ("発明", ("invention",)),
    ("特許", ("patent", "patents")),
    ("ライセンス", ("license", "licence", "licensing")),
    ("技術移転", ("technology transfer",)),
    ("投資", ("invest", "investing", "invested", "investment", "investments")),
    ("パートナーシップ", ("partnership", "partnerships")),
    ("オープンイノベーション促進税制", ("open innovation promotion tax", "OI promotion tax")),
    ("取得", ("acquisition", "acquire", "acquired", "acquiring", "acquisition price")),
    ("株式", ("shares", "stock", "equity")),
    ("運用資産額", ("assets under management", "AUM")),
    ("運用総額", ("fund size", "total fund size")),
    ("創業", ("founded", "founding", "started")),
    ("拠点", ("hub", "base", "site")),
    ("売上高", ("sales", "revenue")),
    ("契約", ("contract", "contracts", "agreement")),
    ("上場", ("listed", "listing", "go public")),
    ("事例", ("example", "examples", "case", "cases")),
    ("目標", ("target", "goal", "objective")),
    ("所得", ("income", "taxable income")),
    ("宇宙", ("space",)),
    ("環境", ("environment",)),
    ("エネルギー", ("energy",)),
    ("一次産業", ("primary industries", "primary industry")),
    ("人工知能", ("artificial intelligence",)),
    ("防衛", ("defence", "defense")),
    ("原子力", ("nuclear",)),
    ("バイオ", ("bio", "biotech")),
    ("医薬品", ("pharmaceuticals", "drugs")),
    ("創薬", ("drug discovery",)),
    ("免疫", ("immunology",)),
    ("脱炭素", ("decarbonisation", "decarbonization")),
    ("安全保障", ("security",)),
    ("イノベーション", ("innovation",)),
    ("経済効果", ("economic effect",)),
    ("雇用", ("employment", "jobs")),
    ("博士号取得者", ("PhD holders", "doctorate holders")),
    ("論文", ("papers",)),
    ("共著", ("co-authored", "co-authorship")),
    ("逆転", ("reversal", "overtook")),
    ("減少", ("decline",)),
    ("増加", ("increase",)),
    ("税制", ("tax regime", "tax scheme", "tax system", "tax incentive")),
    ("ラボ", ("laboratory", "laboratories", "lab", "labs")),
    ("研究所", ("research institute", "research laboratory")),
    ("調査", ("survey", "surveyed", "surveys", "study", "studied")),
    ("国際移動", ("moved internationally", "international mobility", "flows", "migration")),
    ("流入", ("inflow", "inflows")),
    ("選定", ("selected", "designated", "chosen")),
    ("設立", ("established", "set up", "founded", "opened")),
    ("発売", ("launched", "released")),
    ("支援", ("support", "providing", "provide", "funding support")),
    ("増加", ("increase", "increased", "grew", "growth")),
    ("減少", ("decrease", "decreased", "declined", "fell")),
    ("割合", ("share", "proportion", "ratio")),
    ("件数", ("number of cases",)),
    ("特許出願", ("patent applications",)),
    ("博士", ("doctoral", "PhD holders")),
    ("研究者", ("researchers", "researcher")),
]


def _pattern(english: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z])" + re.escape(english) + r"(?![A-Za-z])", re.IGNORECASE)


@lru_cache(maxsize=8)
def _compiled(extra: Lexicon = NO_EXTRA) -> list[tuple[str, re.Pattern[str], bool]]:
    rows: list[tuple[str, re.Pattern[str], bool]] = []
    for japanese, forms in (*ENTITIES, *extra.entities):
        rows += [(japanese, _pattern(form), True) for form in forms]
    for japanese, forms in (*TERMS, *extra.terms):
        rows += [(japanese, _pattern(form), False) for form in forms]
    # Longest English form first, so "University of Tsukuba" wins over "Tsukuba".
    rows.sort(key=lambda row: -len(row[1].pattern))
    return rows


def english_to_japanese(question: str, extra: Lexicon = NO_EXTRA) -> tuple[list[str], list[str], str]:
    """Map the English names and terms of a question to the document's Japanese.

    Args:
        question: An English question.
        extra: The document's own names and terms.

    Returns:
        `(entities, terms, rest)`: Japanese entity names, Japanese topic terms, and the question with the
        matched phrases removed (what is left may hold names the lexicon does not know).
    """
    entities: list[str] = []
    terms: list[str] = []
    rest = question
    for japanese, pattern, is_entity in _compiled(extra):
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            target = entities if is_entity else terms
            if japanese not in target:
                target.append(japanese)
    return entities, terms, rest


@lru_cache(maxsize=8)
def _japanese_to_english(extra: Lexicon = NO_EXTRA) -> list[tuple[str, str, bool]]:
    rows = [(japanese, forms[0], True) for japanese, forms in (*ENTITIES, *extra.entities)]
    rows.sort(key=lambda row: -len(row[0]))
    return rows


@lru_cache(maxsize=8)
def _term_glosses(extra: Lexicon = NO_EXTRA) -> list[tuple[str, str]]:
    rows = ((japanese, forms[0]) for japanese, forms in (*TERMS, *extra.terms))
    return sorted(rows, key=lambda row: -len(row[0]))


def english_terms_in(text: str, *, limit: int = 10, extra: Lexicon = NO_EXTRA) -> list[str]:
    """English glosses of the lexicon's topic terms that appear in a Japanese text (longest first)."""
    found: list[str] = []
    remaining = text
    for japanese, english in _term_glosses(extra):
        if japanese in remaining and english not in found:
            found.append(english)
            remaining = remaining.replace(japanese, "\u3000" * len(japanese))
    return found[:limit]


def english_names_in(text: str) -> list[str]:
    """List the English names of the lexicon's entities in a Japanese text, in order of appearance."""
    found: list[tuple[int, str]] = []
    remaining = text
    for japanese, english, _ in _japanese_to_english():
        position = remaining.find(japanese)
        if position >= 0:
            found.append((position, english))
            remaining = remaining.replace(japanese, "\u3000" * len(japanese))
    names: list[str] = []
    for _, english in sorted(found):
        if english not in names:
            names.append(english)
    return names


# Japanese writes a country as one character inside a compound: 日米 (Japan–US), 米中, 欧米, 日韓. A text with
# the compound names the country. General usage, not any one document's.
COMPOUND_FORMS: dict[str, tuple[str, ...]] = {
    "米国": ("日米", "米中", "欧米", "英米", "米欧", "米系", "在米", "訪米", "対米", "米・"),
    "アメリカ": ("日米", "米中", "欧米", "英米", "米欧"),
    "中国": ("日中", "米中", "中韓", "対中", "訪中", "中・"),
    "韓国": ("日韓", "中韓", "対韓", "訪韓", "韓・"),
    "英国": ("日英", "英米", "英仏", "英独", "訪英", "英・"),
    "ドイツ": ("日独", "英独", "独仏", "独・"),
    "フランス": ("日仏", "英仏", "独仏", "仏・"),
    "欧州": ("欧米", "日欧", "米欧"),
}


def compound_forms(japanese: str) -> tuple[str, ...]:
    """The compounds that name a country by one character (日米 for 米国), or ()."""
    return COMPOUND_FORMS.get(japanese, ())


def english_forms(japanese: str) -> list[str]:
    """The English forms the lexicon knows for a Japanese entity name."""
    return [form for name, forms in ENTITIES if name == japanese for form in forms]


def japanese_entities_in(text: str, extra: Lexicon = NO_EXTRA) -> list[str]:
    """List the lexicon's Japanese entity names that appear in a Japanese text (longest match first)."""
    found: list[str] = []
    remaining = text
    for japanese, _, _ in _japanese_to_english(extra):
        if japanese in remaining:
            found.append(japanese)
            remaining = remaining.replace(japanese, "\u3000" * len(japanese))
    return found
