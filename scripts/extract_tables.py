"""Extract the deck's tables into corpus/tables/*.csv plus corpus/tables/tables.json.

Rows are parsed from the deck text by regex where each row sits on one line; where the PDF flattening
interleaves cells (multi-line names, two-column lists, the tax comparison), rows are HAND-ENTERED below,
each marked `# HAND` and carrying the deck line range it was read from. Every cell is later checked
against those deck lines by tests/tables/test_provenance.py. Run: `python scripts/extract_tables.py`.
"""

# ruff: noqa: E501  (long Japanese data literals copied from the deck)
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DECK = ROOT / "corpus" / "deck" / "000_d03e23c33eb45987.txt"
OUT = ROOT / "corpus" / "tables"

LINES: list[str] = DECK.read_text(encoding="utf-8").splitlines()


def line(n: int) -> str:
    """Deck line n (1-based), stripped."""
    return LINES[n - 1].strip()


def span(a: int, b: int) -> str:
    """Lines a..b joined without separators (cells wrapped across lines), blank lines dropped."""
    joined = ""
    for i in range(a, b + 1):
        part = LINES[i - 1].strip()
        if not part:
            continue
        # keep a space where a wrapped line meets ASCII text ("...8.5%） or 中小型"), none between CJK
        if joined and (
            joined[-1].isascii() and joined[-1].isalnum() or part[0].isascii() and part[0].isalnum()
        ):
            joined += " "
        joined += part
    return joined


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def regex_rows(first: int, last: int, pattern: str) -> list[tuple[int, re.Match[str]]]:
    """(line number, match) for every non-blank line in first..last matching pattern."""
    compiled = re.compile(pattern)
    found = []
    for n in range(first, last + 1):
        text = line(n)
        if not text:
            continue
        match = compiled.fullmatch(text)
        if match:
            found.append((n, match))
    return found


TABLES: list[dict] = []


def col(name: str, type_: str, ja: str, en: str, unit: str | None = None) -> dict:
    return {"name": name, "type": type_, "label_ja": ja, "label_en": en, "unit": unit}


def add_table(meta: dict, rows: list[dict]) -> None:
    """Register a table; rows hold column values (deck strings), `lines`, and optional `aliases`."""
    for row in rows:
        row.setdefault("slide_title", meta["slide_title"])
        row.setdefault("aliases", "")
    meta["row_count"] = len(rows)
    TABLES.append({"meta": meta, "rows": rows})


# --- Startup Genome 2024 (deck lines 304-336) -------------------------------------------------
SG_SLIDE = "“イノベーション拠点競争” と戦略分野への重点投資①"
SG_ALIASES = {
    "シリコンバレー": "Silicon Valley;SV",
    "ニューヨーク": "New York;NYC;NY",
    "ロンドン": "London",
    "テルアビブ": "Tel Aviv",
    "ロサンゼルス": "Los Angeles;LA",
    "ボストン": "Boston",
    "シンガポール": "Singapore",
    "北京": "Beijing",
    "ソウル": "Seoul",
    "東京": "Tokyo",
    "上海": "Shanghai",
    "ワシントンD.C.": "Washington D.C.;Washington DC;Washington",
    "アムステルダム": "Amsterdam",
    "パリ": "Paris",
    "ベルリン": "Berlin",
}
rows = []
for n, m in regex_rows(306, 334, r"(\S+?)[（(](\S+?)[）)] (\S+) (\S+)"):
    rows.append(
        {
            "rank": nfkc(m[1]),
            "prior_rank": nfkc(m[2]),
            "city": m[3],
            "country": m[4],
            "lines": str(n),
            "aliases": SG_ALIASES[m[3]],
        }
    )
assert len(rows) == 15, rows
add_table(
    {
        "id": "startup_genome_2024",
        "title_ja": "グローバルスタートアップエコシステムランキング(2024)",
        "title_en": "Startup Genome Global Startup Ecosystem Ranking 2024",
        "slide_title": SG_SLIDE,
        "source": "（出典）Startup genome 「The Global Startup Ecosystem Report 2024」",
        "notes": [
            "（注）括弧内は前年順位 (prior_rank = the 2023 rank shown in brackets); ties such as ２（２） are kept as printed."
        ],
        "columns": [
            col("rank", "int", "順位", "Rank 2024"),
            col("prior_rank", "int", "前年順位", "Rank 2023"),
            col("city", "text", "都市名", "City"),
            col("country", "text", "国名", "Country"),
        ],
        "entity_column": "city",
        "rank_column": "rank",
        "change": ["prior_rank", "rank"],
        "change_labels": ["2023", "2024"],
        "search_columns": ["country"],
        "keywords": [
            "startup genome",
            "スタートアップエコシステム",
            "エコシステムランキング",
            "エコシステム",
            "ecosystem",
            "startup ecosystem",
            "global startup ecosystem",
            "gser",
        ],
        "extraction": "regex",
    },
    rows,
)

# --- GII 2024 science and technology clusters (lines 1262-1292; also 345-375) ------------------
GII_ALIASES = {
    "東京‐横浜": "Tokyo-Yokohama;Tokyo;Yokohama",
    "深セン‐香港‐広州": "Shenzhen-Hong Kong-Guangzhou;Shenzhen;Hong Kong;Guangzhou",
    "北京": "Beijing",
    "ソウル": "Seoul",
    "上海‐蘇州": "Shanghai-Suzhou;Shanghai;Suzhou",
    "サンノゼ‐サンフランシスコ(カリフォルニア州)": "San Jose-San Francisco, CA;San Jose;San Francisco;Silicon Valley",
    "大阪‐神戸‐京都": "Osaka-Kobe-Kyoto;Osaka;Kobe;Kyoto;Kansai",
    "ボストン‐ケンブリッジ(マサチューセッツ州)": "Boston-Cambridge, MA;Boston;Cambridge",
    "南京": "Nanjing",
    "サンディエゴ(カリフォルニア州)": "San Diego, CA;San Diego",
    "ニューヨーク(ニューヨーク州)": "New York City, NY;New York;NYC",
    "パリ": "Paris",
    "武漢": "Wuhan",
    "杭州": "Hangzhou",
    "名古屋": "Nagoya",
}
rows = []
for n, m in regex_rows(1264, 1292, r"(\d+) (\S+) (\S+)"):
    rows.append(
        {"rank": m[1], "cluster": m[2], "economy": m[3], "lines": str(n), "aliases": GII_ALIASES[m[2]]}
    )
assert len(rows) == 15, rows
assert [r["cluster"] for r in rows] == [m[2] for _, m in regex_rows(347, 375, r"(\d+) (\S+) (\S+)")]
add_table(
    {
        "id": "gii_clusters_2024",
        "title_ja": "2024年世界トップ15のGII科学技術クラスター(規模別)",
        "title_en": "WIPO Global Innovation Index 2024: top 15 science and technology clusters (by size)",
        "slide_title": "我が国のイノベーション拠点の強みと課題②",
        "also_on_slides": [SG_SLIDE],
        "source": "（出典）WIPO(世界知的所有権機関） Global Innovation Index 2024",
        "notes": [
            "※科学技術クラスターは、特許出願活動と発表された科学論文の分析に基づいて定められ、世界の中で発明者と科学論文の著者が最も集中している地理的地域を示す。",
            "The same 15-row table also appears on slide “イノベーション拠点競争” と戦略分野への重点投資① (deck lines 345-375).",
        ],
        "columns": [
            col("rank", "int", "ランキング", "Rank"),
            col("cluster", "text", "クラスター名", "Cluster"),
            col("economy", "text", "経済圏", "Economy"),
        ],
        "entity_column": "cluster",
        "rank_column": "rank",
        "search_columns": ["economy"],
        "keywords": [
            "gii",
            "global innovation index",
            "グローバル・イノベーション・インデックス",
            "クラスター",
            "cluster",
            "科学技術クラスター",
            "wipo",
            "世界知的所有権機関",
        ],
        "extraction": "regex",
    },
    rows,
)

# --- QS World University Rankings 2025, Asia-Oceania extract (lines 2334-2369) -----------------
QS_ALIASES = {
    "シンガポール国立大学": "National University of Singapore;NUS",
    "メルボルン大学": "University of Melbourne;Melbourne",
    "北京大学": "Peking University;PKU",
    "南洋理工大学（NTU)": "Nanyang Technological University;NTU;南洋理工大学",
    "香港大学": "University of Hong Kong;HKU",
    "シドニー大学": "University of Sydney;Sydney",
    "ニューサウスウェールズ大学": "UNSW Sydney;UNSW;University of New South Wales",
    "清華大学": "Tsinghua University;Tsinghua",
    "オーストラリア国立大学": "Australian National University;ANU",
    "ソウル大学": "Seoul National University;SNU",
    "東京大学": "University of Tokyo;The University of Tokyo;UTokyo;Todai;東大",
    "香港中文大学（CUHK)": "Chinese University of Hong Kong;CUHK;香港中文大学",
    "モナシュ大学": "Monash University;Monash",
    "復旦大学": "Fudan University;Fudan",
    "クイーンズランド大学": "University of Queensland;UQ",
    "上海交通大学": "Shanghai Jiao Tong University;SJTU",
    "浙江大学": "Zhejiang University",
    "京都大学": "Kyoto University;Kyoto;京大",
    "KAIST（韓国先端科学技術大学院大学）": "KAIST;Korea Advanced Institute of Science and Technology",
    "延世大学": "Yonsei University;Yonsei",
    "マラヤ大学": "Universiti Malaya;University of Malaya",
    "香港城市大学": "City University of Hong Kong;CityU",
    "オークランド大学": "University of Auckland;Auckland",
    "高麗大学": "Korea University",
    "台湾大学": "National Taiwan University;NTU Taiwan",
    "西オーストラリア大学": "University of Western Australia;UWA",
    "アデレート大学": "University of Adelaide;Adelaide;アデレード大学",
    "東京工業大学": "Tokyo Institute of Technology;Tokyo Tech;東工大;東京科学大学",
    "大阪大学": "Osaka University;Osaka;阪大",
    "シドニー工科大学": "University of Technology Sydney;UTS",
    "浦項工科大学": "POSTECH;Pohang University of Science and Technology",
    "東北大学": "Tohoku University;Tohoku",
}
rows = []
for n, m in regex_rows(2335, 2369, r"(\(?)(\d+)\)? (\S+) (\S+)"):
    rows.append(
        {
            "rank": m[2],
            "rank_as_printed": m[0].split(" ")[0],
            "university": m[3],
            "country": m[4],
            "lines": str(n),
            "aliases": QS_ALIASES[m[3]],
        }
    )
assert len(rows) == 32 and rows[-1]["rank_as_printed"] == "(107)", rows
add_table(
    {
        "id": "qs_2025_asia_oceania",
        "title_ja": "2025年 QS大学ランキング（アジア・オセアニアのみ抜粋）",
        "title_en": "QS World University Rankings 2025 (Asia-Oceania extract)",
        "slide_title": "アジアにおいても相対的に低迷する日本の科学力と成長する大学の必要性⑤",
        "source": "出典）QS World University Rankingsを基に作成",
        "notes": [
            "QSランキング2025年世界トップ100から各国上位2大学を掲載 ※例外）韓国は3大学掲載",
            "東北大学 is listed after '… … …' with its rank in brackets: (107), i.e. outside the top 100.",
        ],
        "columns": [
            col("rank", "int", "順位", "Rank"),
            col("rank_as_printed", "text", "順位（表記）", "Rank as printed"),
            col("university", "text", "大学名", "University"),
            col("country", "text", "国・地域", "Country/region"),
        ],
        "entity_column": "university",
        "rank_column": "rank",
        "search_columns": ["country"],
        "keywords": ["qs", "大学ランキング", "university ranking", "world university", "大学", "university"],
        "extraction": "regex",
    },
    rows,
)

# --- ASPI Critical Technology Tracker: Japan's rank by technology (lines 2241-2325) -----------
ASPI_ALIASES = {
    "先進光通信": "Advanced optical communications;optical communications",
    "分散型台帳": "Distributed ledgers;blockchain",
    "高性能コンピューティング": "High-performance computing;HPC",
    "AIアルゴリズムとハードウェア・アクセラレーター": "AI algorithms and hardware accelerators;AI algorithms",
    "自然言語処理": "Natural language processing;NLP",
    "先進磁石・超伝導体": "Advanced magnets and superconductors;magnets;superconductors",
    "ワイド＆ウルトラワイドバンドギャップ半導体": "Wide and ultrawide bandgap semiconductors;wide bandgap semiconductors;WBG",
    "スマート材料": "Smart materials",
    "ナノスケール材料・製造": "Nanoscale materials and manufacturing;nanomaterials",
    "重要鉱物抽出・加工": "Critical minerals extraction and processing;critical minerals",
    "合成生物学": "Synthetic biology",
    "遺伝子工学": "Genetic engineering",
    "ゲノム配列決定・解析": "Genome and genetic sequencing and analysis;genome sequencing",
    "新規抗生物質・抗ウイルス薬": "Novel antibiotics and antivirals;antibiotics;antivirals",
    "自律システム運用技術": "Autonomous systems operation technology;autonomous systems",
    "宇宙打ち上げシステム": "Space launch systems;space launch",
    "ドローン・群ロボット・協働ロボット": "Drones, swarming and collaborative robots;drones",
    "先進ロボット工学": "Advanced robotics;robotics",
    "電池": "Electric batteries;batteries;battery",
    "太陽光発電": "Photovoltaics;solar",
    "水素・アンモニア燃料": "Hydrogen and ammonia for power;hydrogen;ammonia",
    "指向性エネルギー技術": "Directed energy technologies;directed energy",
    "核廃棄物管理とリサイクル": "Nuclear waste management and recycling;nuclear waste",
    "スーパーキャパシタ": "Supercapacitors",
    "原子力エネルギー": "Nuclear energy",
    "量子センサ": "Quantum sensors",
    "量子コンピューティング": "Quantum computing",
    "慣性航法システム": "Inertial navigation systems",
    "レーダー": "Radar",
    "光センサ": "Photonic sensors",
    "原子時計": "Atomic clocks",
    "空気非依存推進力": "Air-independent propulsion;AIP",
}
rows = []
category, category_line = None, 0
for n in range(2245, 2326):
    text = line(n)
    if not text or text.startswith(("カテゴリ", "日本における", "主な機関")):
        continue
    m = re.fullmatch(r"(?:(その他AUKUS関連技術) )?(\S+) (\d+) → (\d+) (\S+)", text)
    if m:
        rows.append(
            {
                "category": m[1] or category,
                "technology": m[2],
                "rank_2003_2007": m[3],
                "rank_2019_2023": m[4],
                "main_institution_japan": m[5],
                "lines": str(n) if m[1] else f"{category_line}-{n}",
                "aliases": ASPI_ALIASES[m[2]],
            }
        )
    else:
        category, category_line = text, n  # a category label line precedes its rows in the flattened text
assert len(rows) == 32, len(rows)
add_table(
    {
        "id": "aspi_japan_tech_ranks",
        "title_ja": "ASPI重要技術トラッカー：日本の技術分野別順位（2003-07年→2019-23年）",
        "title_en": "ASPI Critical Technology Tracker: Japan's rank by technology (2003-07 -> 2019-23)",
        "slide_title": "アジアにおいても相対的に低迷する日本の科学力と成長する大学の必要性④",
        "source": "（出典）豪・戦略政策研究所「重要技術トラッカー」ウェブサイト及びASPI提供情報より",
        "notes": [
            "日本が2000年代初頭には６４分野中３２分野で上位５カ国入りしていたが、直近では８分野のみ。",
            "Ranks read 'earlier → latest'; the deck's summary slide dates the periods 2003年～07年 and 2019-2023 (21年分(2003-2023年)).",
            "Category = the nearest category label above the row in the flattened text (the PDF layout is a merged cell).",
            "main_institution_japan '-' means the deck names no institution.",
        ],
        "columns": [
            col("category", "text", "カテゴリ", "Category"),
            col("technology", "text", "技術分野", "Technology"),
            col("rank_2003_2007", "int", "順位（2003-07年）", "Japan's rank 2003-07"),
            col("rank_2019_2023", "int", "順位（2019-23年）", "Japan's rank 2019-23"),
            col("main_institution_japan", "text", "日本における主な機関", "Main Japanese institution"),
        ],
        "entity_column": "technology",
        "rank_column": "rank_2019_2023",
        "change": ["rank_2003_2007", "rank_2019_2023"],
        "change_labels": ["2003-2007", "2019-2023"],
        "search_columns": ["main_institution_japan", "category"],
        "keywords": [
            "aspi",
            "重要技術",
            "critical technology",
            "technology tracker",
            "重要技術トラッカー",
            "戦略政策研究所",
            "技術分野",
            "上位5カ国",
            "top 5",
        ],
        "extraction": "regex",
    },
    rows,
)

# --- Clarivate Top 100 Global Innovators 2024: 38 Japanese companies (lines 1211-1260) ---------
# HAND: the two alphabetical columns are flattened side by side; the right-hand names are listed here
# and the split is asserted to reproduce each deck line exactly.
RIGHT_COLUMN = [
    "Nichia",
    "Nidec",
    "Nitto Denko",
    "Omron",
    "Panasonic",
    "Ricoh",
    "SCREEN",
    "Seiko Epson",
    "Shimano",
    "Shin-Etsu Chemical",
    "Sony",
    "Sumitomo Chemical",
    "Sumitomo Electric",
    "TDK",
    "Tokyo Electron",
    "Toshiba",
    "Toyota",
    "Yamaha",
    "Yazaki",
]
CLARIVATE_JA = {
    "Brother Industries": "ブラザー工業;ブラザー",
    "Canon": "キヤノン",
    "Daikin Industries": "ダイキン工業;ダイキン",
    "Denso": "デンソー",
    "Disco": "ディスコ",
    "Fanuc": "ファナック",
    "FujiFilm": "富士フイルム",
    "Fujitsu": "富士通",
    "Hitachi": "日立製作所;日立",
    "Honda": "本田技研工業;ホンダ;本田",
    "Kawasaki Heavy Industries": "川崎重工業;川崎重工",
    "Kioxia": "キオクシア",
    "Komatsu": "小松製作所;コマツ",
    "Konica Minolta": "コニカミノルタ",
    "Kyocera": "京セラ",
    "Mitsubishi Electric": "三菱電機",
    "Mitsubishi Heavy Industries": "三菱重工業;三菱重工",
    "Murata Manufacturing": "村田製作所",
    "NEC": "日本電気",
    "Nichia": "日亜化学工業;日亜",
    "Nidec": "ニデック;日本電産",
    "Nitto Denko": "日東電工",
    "Omron": "オムロン",
    "Panasonic": "パナソニック",
    "Ricoh": "リコー",
    "SCREEN": "SCREENホールディングス",
    "Seiko Epson": "セイコーエプソン;エプソン",
    "Shimano": "シマノ",
    "Shin-Etsu Chemical": "信越化学工業;信越化学",
    "Sony": "ソニー",
    "Sumitomo Chemical": "住友化学",
    "Sumitomo Electric": "住友電気工業;住友電工",
    "TDK": "ティーディーケイ",
    "Tokyo Electron": "東京エレクトロン",
    "Toshiba": "東芝",
    "Toyota": "トヨタ自動車;トヨタ",
    "Yamaha": "ヤマハ",
    "Yazaki": "矢崎総業;矢崎",
}
left, right = [], []
for n, right_name in zip(range(1222, 1259, 2), RIGHT_COLUMN, strict=True):
    text = line(n)
    assert text.endswith(" " + right_name), (n, text)
    left.append((n, text[: -len(right_name) - 1]))
    right.append((n, right_name))
rows = [{"company": name, "lines": str(n), "aliases": CLARIVATE_JA[name]} for n, name in left + right]
assert len(rows) == 38
add_table(
    {
        "id": "clarivate_top100_japan_2024",
        "title_ja": "Top 100 Global Innovatorsに選出された38社の日本企業",
        "title_en": "Clarivate Top 100 Global Innovators 2024: the 38 Japanese companies",
        "slide_title": "我が国のイノベーション拠点の強みと課題②",
        "source": "（出典）Clarivate社 Top100 Global Innovators 2024",
        "notes": [
            "※アルファベット順 (alphabetical; the list is not a ranking).",
            "Japanese company names in the aliases column are NOT in the deck (lookup help only).",
        ],
        "columns": [col("company", "text", "企業名", "Company")],
        "entity_column": "company",
        "keywords": [
            "clarivate",
            "クラリベイト",
            "top 100",
            "top100",
            "global innovators",
            "トップ100",
            "innovator",
        ],
        "extraction": "hand-assisted (column split asserted against each deck line)",
    },
    rows,
)

counts_line = line(1212)
rows = [{"country": "日本", "companies": "38", "lines": "1211", "aliases": "Japan;JP"}]
COUNTRY_EN = {
    "米国": "United States;US;USA;America",
    "韓国": "Korea;South Korea",
    "ドイツ": "Germany",
    "フランス": "France",
    "中国": "China",
}
for m in re.finditer(r"(\w+?)(\d+)社", counts_line):
    rows.append({"country": m[1], "companies": m[2], "lines": "1212", "aliases": COUNTRY_EN[m[1]]})
assert len(rows) == 6, rows
add_table(
    {
        "id": "clarivate_top100_countries_2024",
        "title_ja": "Top 100 Global Innovators 2024 国別選出企業数",
        "title_en": "Clarivate Top 100 Global Innovators 2024: companies by country",
        "slide_title": "我が国のイノベーション拠点の強みと課題②",
        "source": "（出典）Clarivate社 Top100 Global Innovators 2024",
        "notes": [
            "Only the countries the deck names: 日本38社 and （米国17社、韓国8社、ドイツ7社、フランス6社、中国5社）."
        ],
        "columns": [
            col("country", "text", "国", "Country"),
            col("companies", "int", "選出企業数", "Companies", "社"),
        ],
        "entity_column": "country",
        "rank_by": "companies",
        "keywords": [
            "clarivate",
            "クラリベイト",
            "top 100",
            "top100",
            "global innovators",
            "how many companies",
        ],
        "extraction": "regex",
    },
    rows,
)

# --- Domestic unicorns (lines 2830-2848) -------------------------------------------------------
UNICORN_ALIASES = {
    "Preferred Networks": "PFN;プリファードネットワークス",
    "スマートニュース": "SmartNews",
    "Playco": "プレイコー",
    "SmartHR": "スマートHR",
    "Spiber": "スパイバー",
    "Opn": "オプン",
    "GO": "GO Inc.",
    "Sakana AI": "サカナAI;Sakana",
}
rows = [
    {"no": m[1], "company": m[2], "lines": str(n), "aliases": UNICORN_ALIASES[m[2]]}
    for n, m in regex_rows(2832, 2846, r"(\d+) (.+)")
]
assert len(rows) == 8
add_table(
    {
        "id": "unicorns_japan_2024",
        "title_ja": "国内のユニコーン企業",
        "title_en": "Japanese unicorns (CB Insights, December 2024)",
        "slide_title": "スタートアップのグローバル接続不足と更なる資金供給の必要性①",
        "source": "（出典）CB Insights 「現在」は2024年12月現在の数値。",
        "notes": [
            "時価総額10億ドル以上のユニコーンが増加（2021年：６社→現在：８社）",
            "上場含む累計：上場企業と合計すると、累計ユニコーンは70社強。",
        ],
        "columns": [col("no", "int", "番号", "No."), col("company", "text", "企業名", "Company")],
        "entity_column": "company",
        "rank_column": "no",
        "keywords": ["ユニコーン", "unicorn", "cb insights"],
        "extraction": "regex",
    },
    rows,
)

# --- Notable startup IPOs 2021-2024 (lines 2850-2871) ------------------------------------------
rows = [  # HAND: the Astroscale row wraps over three lines
    {
        "year": "2024",
        "company": "タイミー",
        "initial_market_cap": "1,760",
        "lines": "2856",
        "aliases": "Timee",
    },
    {
        "year": "2024",
        "company": "アストロスケールホールディングス",
        "initial_market_cap": "1,448",
        "lines": "2858-2862",
        "aliases": "Astroscale;Astroscale Holdings;アストロスケール",
    },
    {
        "year": "2023",
        "company": "ispace",
        "initial_market_cap": "804",
        "lines": "2864",
        "aliases": "アイスペース",
    },
    {
        "year": "2021",
        "company": "ビジョナル",
        "initial_market_cap": "2,545",
        "lines": "2866",
        "aliases": "Visional;BizReach;ビズリーチ",
    },
    {
        "year": "2021",
        "company": "セーフィー",
        "initial_market_cap": "1,646",
        "lines": "2868",
        "aliases": "Safie",
    },
]
add_table(
    {
        "id": "startup_ipos_2021_2024",
        "title_ja": "2021年～2024年の主なスタートアップのIPO",
        "title_en": "Major startup IPOs in Japan, 2021-2024 (initial market capitalisation)",
        "slide_title": "スタートアップのグローバル接続不足と更なる資金供給の必要性①",
        "source": "（出典）日本取引所グループ",
        "notes": [
            "大型IPOが複数発生：対2021年比でIPO数が減少する中でも大型IPOは発生（2021年：125社→2023年：96社）"
        ],
        "columns": [
            col("year", "int", "年", "Year"),
            col("company", "text", "企業名", "Company"),
            col("initial_market_cap", "int", "初期時価総額", "Initial market cap", "億円"),
        ],
        "entity_column": "company",
        "rank_by": "initial_market_cap",
        "keywords": ["ipo", "上場", "初期時価総額", "初値", "listing", "大型ipo"],
        "extraction": "hand",
    },
    rows,
)

# --- Startup funding rankings 2024 and 2018 (lines 2971-3058) ----------------------------------
FUNDING_ALIASES = {
    "Sakana AI": "サカナAI;Sakana",
    "newmo": "ニューモ",
    "五常・アンド・カンパニー": "Gojo & Company;Gojo;五常",
    "SmartHR": "スマートHR",
    "Spiber": "スパイバー",
    "MOON-X": "ムーンエックス",
    "ティアフォー": "TIER IV;Tier IV",
    "ログラス": "Loglass",
    "Preferred Networks": "PFN",
    "アークエッジ・スペース": "ArkEdge Space;ArkEdge",
    "レナリスファーマ": "Renalys Pharma",
    "エネコートテクノロジーズ": "EneCoat Technologies;EneCoat",
    "Synspective": "シンスペクティブ",
    "FRDジャパン": "FRD Japan",
    "URSIDERホールディングス": "URSIDER",
    "ポケトーク": "Pocketalk",
    "Turing": "チューリング",
    "ギフトモール": "Giftmall",
    "アスエネ": "asuene",
    "CBcloud": "シービークラウド",
    "JapanTaxi": "ジャパンタクシー;Japan Taxi",
    "FOLIO": "フォリオ",
    "freee": "フリー",
    "Finatextホールディングス": "Finatext",
    "Paidy": "ペイディー",
    "WHILL": "ウィル",
    "お金のデザイン": "THEO",
    "FiNC Technologies": "FiNC;フィンク",
    "メルカリ": "Mercari",
    "ABEJA": "アベジャ",
    "ウェルスナビ": "WealthNavi",
    "エルピクセル": "LPixel",
    "TBM": "ティービーエム",
    "Loop": "ループ",
    "エブリー": "every",
    "Sansan": "サンサン",
    "トレタ": "Toreta",
    "ココン": "Cocon",
}


def funding_rows(first: int, last: int) -> list[dict]:
    found = []
    for n, m in regex_rows(first, last, r"(\d+) (.+)（(.+)） ([\d,]+)"):
        found.append(
            {
                "rank": m[1],
                "company": m[2],
                "business": m[3],
                "amount": m[4],
                "lines": str(n),
                "aliases": FUNDING_ALIASES[m[2]],
            }
        )
    assert len(found) == 20, (first, found)
    return found


FUNDING_COLUMNS = [
    col("rank", "int", "ランキング", "Rank"),
    col("company", "text", "企業名", "Company"),
    col("business", "text", "事業内容", "Business"),
    col("amount", "int", "調達額", "Amount raised", "億円"),
]
FUNDING_SLIDE = "スタートアップのグローバル接続不足と更なる資金供給の必要性③"
add_table(
    {
        "id": "startup_funding_2024",
        "title_ja": "国内スタートアップ資金調達ランキング（2024年）",
        "title_en": "Japanese startup funding ranking 2024 (top 20)",
        "slide_title": FUNDING_SLIDE,
        "source": "（出典）株式会社ユーザベース「Japan Startup Finance 2024」",
        "notes": ["The business description is the text in brackets after each company name in the deck."],
        "columns": FUNDING_COLUMNS,
        "entity_column": "company",
        "rank_column": "rank",
        "search_columns": ["business"],
        "keywords": [
            "資金調達",
            "調達額",
            "funding",
            "raised",
            "2024",
            "資金調達ランキング",
            "japan startup finance",
        ],
        "extraction": "regex",
    },
    funding_rows(2975, 3013),
)
add_table(
    {
        "id": "startup_funding_2018",
        "title_ja": "【参考】国内スタートアップ資金調達ランキング（2018年）",
        "title_en": "Japanese startup funding ranking 2018 (top 20, reference)",
        "slide_title": FUNDING_SLIDE,
        "source": "（出典）株式会社ユーザベース「Japan Startup Finance 2018」",
        "notes": ["The business description is the text in brackets after each company name in the deck."],
        "columns": FUNDING_COLUMNS,
        "entity_column": "company",
        "rank_column": "rank",
        "search_columns": ["business"],
        "keywords": [
            "資金調達",
            "調達額",
            "funding",
            "raised",
            "2018",
            "資金調達ランキング",
            "japan startup finance",
        ],
        "extraction": "regex",
    },
    funding_rows(3018, 3056),
)

# --- METI R&D funds (lines 1622-1689) ----------------------------------------------------------
rows = [  # HAND: fund names wrap; summaries are whole paragraphs (page number '25' dropped from the last one)
    {
        "fund": "ムーンショット型研究開発基金（経済産業省分：目標４）",
        "budget": "504",
        "summary": span(1634, 1636),
        "lines": "1630-1636",
        "aliases": "Moonshot;Moonshot R&D fund;ムーンショット",
    },
    {
        "fund": "ポスト５Ｇ情報通信システム基盤強化研究開発基金",
        "budget": "26,840",
        "summary": span(1643, 1647),
        "lines": "1638-1647",
        "aliases": "Post-5G fund;Post 5G;ポスト5G基金;ポスト５Ｇ基金",
    },
    {
        "fund": "グリーンイノベーション基金",
        "budget": "27,564",
        "summary": span(1650, 1652),
        "lines": "1649-1652",
        "aliases": "Green Innovation Fund;GI fund;GI基金",
    },
    {
        "fund": "経済安全保障重要技術育成基金（経済産業省分）",
        "budget": "2,500",
        "summary": span(1659, 1662),
        "lines": "1654-1662",
        "aliases": "Economic security key technology fund;K Program;Kプログラム;経済安保基金",
    },
    {
        "fund": "バイオものづくり革命推進基金",
        "budget": "3,000",
        "summary": span(1665, 1667),
        "lines": "1664-1667",
        "aliases": "Biomanufacturing fund;bio-manufacturing;バイオものづくり基金",
    },
    {
        "fund": "ディープテック・スタートアップ支援基金",
        "budget": "1,000",
        "summary": span(1674, 1677),
        "lines": "1669-1677",
        "aliases": "Deep-tech startup fund;deep tech;ディープテック基金",
    },
    {
        "fund": "宇宙戦略基金（経済産業省分）",
        "budget": "2,260",
        "summary": span(1684, 1689).removesuffix(" 25").removesuffix("25"),
        "lines": "1679-1689",
        "aliases": "Space strategy fund;space fund;宇宙基金",
    },
]
add_table(
    {
        "id": "meti_rd_funds",
        "title_ja": "経済産業省における主な研究開発関連基金（R7.3月時点）",
        "title_en": "METI's main R&D funds (as of March 2025)",
        "slide_title": "我が国の研究開発インセンティブの現状と課題②",
        "source": "経済産業省における主な研究開発関連基金（R7.3月時点）",
        "notes": [
            "The slide carries no separate 出典 line; the source field repeats its heading.",
            "Budgets are in 億円 as printed; they are METI's share where the name says 経済産業省分.",
        ],
        "columns": [
            col("fund", "text", "基金事業名", "Fund"),
            col("budget", "int", "予算", "Budget", "億円"),
            col("summary", "text", "事業概要", "Summary"),
        ],
        "entity_column": "fund",
        "rank_by": "budget",
        "keywords": [
            "基金",
            "fund",
            "予算",
            "budget",
            "ムーンショット",
            "グリーンイノベーション",
            "ポスト５g",
            "ポスト5g",
            "宇宙戦略",
            "バイオものづくり",
            "ディープテック",
            "経済安全保障",
        ],
        "extraction": "hand",
    },
    rows,
)

# --- IPO market capitalisation by city (lines 3532-3542) ---------------------------------------
CITY_ALIASES = {
    "シリコンバレー": "Silicon Valley;SV",
    "ボストン": "Boston",
    "テルアビブ": "Tel Aviv",
    "ベルリン": "Berlin",
    "ロンドン": "London",
    "シンガポール": "Singapore",
    "東京": "Tokyo",
}
rows = [
    {"city": m[1], "mean": m[2], "median": m[3], "lines": str(n), "aliases": CITY_ALIASES[m[1]]}
    for n, m in regex_rows(3532, 3538, r"(\S+?)（([\d,]+)、([\d,]+)）")
]
assert len(rows) == 7
add_table(
    {
        "id": "ipo_market_cap_by_city",
        "title_ja": "（参考）各都市におけるIPO時の時価総額（平均値、中央値）",
        "title_en": "Market capitalisation at IPO by city (mean, median; startups that IPO'd since 2010)",
        "slide_title": "スタートアップのグローバル接続不足と更なる資金供給の必要性⑯",
        "source": "（出典）2024年3月18日 内閣府科学技術・イノベーション推進局「令和５年度 グローバル・スタートアップ・キャンパス構想関連調査 成果報告書」",
        "notes": [
            "※調査対象は、2010年以降にIPOを実施したスタートアップ",
            "※国際通貨基金（IMF)の2023年11月7日時点のレート表を参照、各国の通貨を円に統一。",
        ],
        "columns": [
            col("city", "text", "都市", "City"),
            col("mean", "int", "平均値", "Mean", "億円"),
            col("median", "int", "中央値", "Median", "億円"),
        ],
        "entity_column": "city",
        "rank_by": "mean",
        "keywords": [
            "時価総額",
            "market cap",
            "market capitalisation",
            "market capitalization",
            "ipo時",
            "at ipo",
            "平均値",
            "中央値",
            "median",
            "average",
            "mean",
        ],
        "extraction": "regex",
    },
    rows,
)

# --- Overseas investment into Japanese startups by year (lines 3223-3229) -----------------------
years = line(3223).split()
overseas = line(3225).split()[1:]
domestic = line(3227).split()[1:]
share = line(3229).split()[1:]
assert len(years) == len(overseas) == len(domestic) == len(share) == 11
rows = [
    {"year": y, "overseas": o, "domestic": d, "overseas_share": s, "lines": "3223-3229"}
    for y, o, d, s in zip(years, overseas, domestic, share, strict=True)
]
add_table(
    {
        "id": "overseas_investment_by_year",
        "title_ja": "海外からの日本のスタートアップへの投資額の推移",
        "title_en": "Investment into Japanese startups from overseas and domestic investors, by year",
        "slide_title": "スタートアップのグローバル接続不足と更なる資金供給の必要性⑧",
        "source": "（出典）株式会社ユーザベース「Japan Startup Finance 2024」を基に作成",
        "notes": [
            "※2021年の海外投資はPaidyのPayPal Holdingsによる買収（約3,000億円）が含まれている。当該3,000億円を除いた場合の海外比率は16.6%",
            "Amounts in 億円 (the chart's axis; unit inferred from the ~3,000億円 note).",
        ],
        "columns": [
            col("year", "int", "年", "Year"),
            col("overseas", "int", "海外", "Overseas", "億円"),
            col("domestic", "int", "国内", "Domestic", "億円"),
            col("overseas_share", "text", "海外比率", "Overseas share", "%"),
        ],
        "entity_column": "year",
        "rank_by": "overseas",
        "keywords": [
            "海外",
            "overseas",
            "foreign",
            "海外比率",
            "海外投資",
            "投資額の推移",
            "investment from overseas",
        ],
        "extraction": "regex",
    },
    rows,
)

# --- R&D tax credit international comparison (lines 1823-1953) -------------------------------
rows = [  # HAND: text cells, read column by column
    {
        "item": "控除率",
        "japan": span(1830, 1843),
        "us": span(1845, 1854),
        "uk": line(1856),
        # France: the flattened text puts each bracketed condition before its rate; re-paired here (30% / 5%)
        "france": "研究開発費×30%（研究開発費１億ユーロ以下）／研究開発費×5%（研究開発費１億ユーロ超過分）／"
        + span(1864, 1868),
        "germany": span(1870, 1872),
        "korea": span(1874, 1892),
        "lines": "1828-1892",
    },
    {
        "item": "控除上限",
        "japan": span(1896, 1902),
        "us": span(1904, 1906),
        "uk": span(1908, 1910),
        "france": line(1912),
        "germany": span(1913, 1914),
        "korea": span(1916, 1919),
        "lines": "1894-1919",
    },
    {
        "item": "海外委託費",
        "japan": "○",
        "us": "×",
        "uk": "△（国内でできない研究開発である等の要件あり※１）",
        "france": "△（EU圏内のみ）",
        "germany": "△（EU圏内のみ）",
        "korea": "○",
        "lines": "1921-1936",
    },
    {
        "item": "繰越制度",
        "japan": "×",
        "us": "20年",
        "uk": "無期限※2",
        "france": "３年※3",
        "germany": "×",
        "korea": "10年",
        "lines": "1938",
    },
    {
        "item": "給付付き税額控除",
        "japan": "×",
        "us": "×",
        "uk": "○",
        "france": "○",
        "germany": "○",
        "korea": "×",
        "lines": "1940-1943",
    },
]
add_table(
    {
        "id": "rd_tax_international_comparison",
        "title_ja": "研究開発税制国際比較",
        "title_en": "R&D tax incentives: international comparison (Japan, US, UK, France, Germany, Korea)",
        "slide_title": "我が国の研究開発インセンティブの現状と課題⑤",
        "source": "（参照資料）各国政府等のホームページから情報を整理",
        "notes": [
            line(1945),
            line(1946),
            line(1947),
            span(1948, 1950),
            line(1951).removesuffix(" 28"),
            "The 海外委託費 row is read by column order (○ × △ ... in the flattened text); UK △ carries note ※１.",
        ],
        "columns": [
            col("item", "text", "項目", "Item"),
            col("japan", "text", "日本", "Japan"),
            col("us", "text", "米国", "US"),
            col("uk", "text", "英国", "UK"),
            col("france", "text", "フランス", "France"),
            col("germany", "text", "ドイツ", "Germany"),
            col("korea", "text", "韓国", "Korea"),
        ],
        "entity_column": "item",
        "keywords": [
            "国際比較",
            "international comparison",
            "控除率",
            "控除上限",
            "繰越",
            "海外委託",
            "給付付き",
            "tax credit rate",
            "carry forward",
            "refundable",
            "r&d tax",
            "研究開発税制",
        ],
        "extraction": "hand",
    },
    rows,
)
ITEM_ALIASES = {
    "控除率": "credit rate;rate;rates",
    "控除上限": "cap;credit cap;limit",
    "海外委託費": "overseas R&D;foreign contract R&D",
    "繰越制度": "carry forward;carryforward;carry-forward",
    "給付付き税額控除": "refundable credit;refundable;payable credit",
}
for row in TABLES[-1]["rows"]:
    row["aliases"] = ITEM_ALIASES[row["item"]]

# --- Korea's R&D tax credit rates by technology class (lines 628-687) -------------------------
rows = [  # HAND
    {
        "category": "一般技術",
        "large_company_rate": "大企業は、売上高研究開発費比率×0.5（上限2%）",
        "lines": "665-666",
        "aliases": "general technology;general",
    },
    {
        "category": "新成長・源泉技術",
        "large_company_rate": "大企業の場合、20～30％ ※売上高比率連動",
        "lines": "668-669",
        "aliases": "new growth and source technology;new growth",
    },
    {
        "category": "国家戦略技術（特定5分野(注)）",
        "large_company_rate": "大企業の場合、30～40％ ※売上高比率連動",
        "lines": "671-674",
        "aliases": "national strategic technology;strategic technology;特定5分野",
    },
    {
        "category": "国家戦略技術（12分野）",
        "large_company_rate": "政府によるR&D集中支援、研究拠点支援、公共調達などスタートアップ支援、人材育成支援",
        "lines": "676-678",
        "aliases": "12 national strategic technologies;12分野",
    },
]
add_table(
    {
        "id": "korea_rd_tax_rates",
        "title_ja": "韓国の税制支援施策例（研究開発）",
        "title_en": "Korea: R&D tax support by technology class (large companies)",
        "slide_title": "“イノベーション拠点競争” と戦略分野への重点投資④",
        "source": "【第１次国家戦略技術育成基本計画】（2024年8月）",
        "notes": [
            "（特定技術（半導体・ディスプレイ、二次電池、先端モビリティ、先端バイオ、水素）のみ）",
            span(686, 687),
            "国家戦略技術（12分野） is a support package, not a tax rate; its cell quotes the deck.",
        ],
        "columns": [
            col("category", "text", "技術区分", "Technology class"),
            col(
                "large_company_rate",
                "text",
                "控除率・支援（大企業）",
                "Credit rate / support (large companies)",
            ),
        ],
        "entity_column": "category",
        "keywords": ["韓国", "korea", "korean", "国家戦略技術", "新成長", "源泉技術", "strategic technology"],
        "extraction": "hand",
    },
    rows,
)

# --- Post-war innovations (lines 1145-1190) ----------------------------------------------------
rows = [  # HAND
    {
        "case": "内視鏡",
        "summary": span(1152, 1154),
        "lines": "1151-1154",
        "aliases": "endoscope;Olympus;オリンパス",
    },
    {
        "case": "ウォークマン",
        "summary": "ソニーが1979年に開発・販売を開始",
        "lines": "1156",
        "aliases": "Walkman;Sony",
    },
    {
        "case": "発光ダイオード",
        "summary": span(1159, 1161),
        "lines": "1158-1161",
        "aliases": "LED;blue LED;青色LED;Nichia;日亜",
    },
    {
        "case": "ハイブリッド車",
        "summary": span(1164, 1166),
        "lines": "1163-1166",
        "aliases": "hybrid car;hybrid;Prius;Toyota",
    },
    {
        "case": "家庭用ゲーム機器、ソフト",
        "summary": span(1171, 1176),
        "lines": "1168-1176",
        "aliases": "game console;Famicom;PlayStation;ファミコン;プレイステーション;Nintendo;任天堂",
    },
    {
        "case": "炭素繊維",
        "summary": span(1180, 1184),
        "lines": "1178-1184",
        "aliases": "carbon fibre;carbon fiber;Toray;東レ",
    },
    {
        "case": "裏面照射型CMOSイメージセンサー",
        "summary": span(1189, 1190),
        "lines": "1186-1190",
        "aliases": "back-illuminated CMOS image sensor;CMOS;image sensor",
    },
]
for row in rows:
    row["summary"] = row["summary"].removeprefix("• ")
add_table(
    {
        "id": "postwar_innovations_japan",
        "title_ja": "日本における戦後のイノベーション創出事例",
        "title_en": "Post-war innovations created in Japan",
        "slide_title": "我が国のイノベーション拠点の強みと課題①",
        "source": "日本における戦後のイノベーション創出事例",
        "notes": ["The slide carries no 出典 line for this table; the source field repeats its heading."],
        "columns": [col("case", "text", "事例", "Case"), col("summary", "text", "概要", "Summary")],
        "entity_column": "case",
        "search_columns": ["summary"],
        "keywords": [
            "戦後",
            "post-war",
            "postwar",
            "イノベーション創出事例",
            "innovation examples",
            "内視鏡",
            "ウォークマン",
            "発光ダイオード",
            "炭素繊維",
        ],
        "extraction": "hand",
    },
    rows,
)

# --- Universities receiving funds from global companies (lines 819-900) ------------------------
rows = [  # HAND
    {
        "company": "富士通",
        "university": "シンガポール国立大学",
        "period_amount": "2014年から5年／5,400万シンガポールドル（約61億円）",
        "content": span(832, 836).replace("• ", ""),
        "lines": "825-836",
        "aliases": "Fujitsu;NUS",
    },
    {
        "company": "サムスン電子",
        "university": "テキサスA＆M大学／テキサス大学",
        "period_amount": "2023年／470万USドル（約7.1億円）",
        "content": span(848, 851).replace("• ", ""),
        "lines": "838-853",
        "aliases": "Samsung;Texas A&M;University of Texas",
    },
    {
        "company": "日立、三菱重工、塩野義製薬等",
        "university": "インペリアル・カレッジ・ロンドン",
        "period_amount": "10年間で25社以上と協業／総額1700万USドル（約25億円）",
        "content": span(866, 870).replace("• ", ""),
        "lines": "855-870",
        "aliases": "Imperial College London;Imperial;Hitachi",
    },
    {
        "company": "トヨタ自動車",
        "university": "MIT／スタンフォード",
        "period_amount": "2015年から5年／5000万USドル（約76億円）",
        "content": span(883, 887).replace("• ", ""),
        "lines": "872-887",
        "aliases": "Toyota;Stanford",
    },
    {
        "company": "IBM／Google",
        "university": "東京大学／シカゴ大学",
        "period_amount": "2023年から10年／最大1億USドル（約153億円）（2つのパートナーシップ合算）",
        "content": span(812, 817).replace("• ", "").removesuffix(" 13"),
        "lines": "812-898",
        "aliases": "University of Tokyo;University of Chicago;UTokyo",
    },
]
add_table(
    {
        "id": "university_global_company_funding",
        "title_ja": "大学によるグローバル企業の資金受入れ",
        "title_en": "Universities receiving funding from global companies",
        "slide_title": "成長する大学とグローバルな活力の取り込み④",
        "source": "（出典）各社・各大学発表資料をもとに作成",
        "notes": ["Cells joined with ／ combine separate deck cells (period and amount; two universities)."],
        "columns": [
            col("company", "text", "企業", "Company"),
            col("university", "text", "大学", "University"),
            col("period_amount", "text", "期間・合計投資金額", "Period and total investment"),
            col("content", "text", "連携内容", "Partnership"),
        ],
        "entity_column": "company",
        "search_columns": ["university"],
        "keywords": [
            "産学連携",
            "グローバル企業",
            "資金受入れ",
            "university partnership",
            "partnership",
            "寄付",
            "共同研究",
            "ibm",
            "google",
            "imperial",
        ],
        "extraction": "hand",
    },
    rows,
)

# --- Global firms' new R&D centres in Japan (lines 1407-1537) ---------------------------------
rows = [  # HAND: companies listed on one line, then one announcement cell per company in the same order
    {
        "company": "Microsoft",
        "announcement": span(1413, 1415),
        "lines": "1407-1415",
        "aliases": "マイクロソフト",
    },
    {"company": "BOSCH", "announcement": span(1417, 1419), "lines": "1407-1426", "aliases": "Bosch;ボッシュ"},
    {
        "company": "TSMC",
        "announcement": span(1428, 1431),
        "lines": "1407-1431",
        "aliases": "台湾積体電路製造",
    },
    {"company": "Apple", "announcement": span(1433, 1435), "lines": "1407-1435", "aliases": "アップル"},
    {
        "company": "Samsung",
        "announcement": span(1437, 1441),
        "lines": "1407-1445",
        "aliases": "サムスン;Samsung Electronics",
    },
    {
        "company": "NVIDIA",
        "announcement": span(1447, 1449),
        "lines": "1407-1449",
        "aliases": "エヌビディア;Nvidia",
    },
    {
        "company": "BASF",
        "announcement": span(1451, 1453),
        "lines": "1407-1459",
        "aliases": "ビーエーエスエフ",
    },
    {"company": "DuPont", "announcement": span(1461, 1466), "lines": "1407-1472", "aliases": "デュポン"},
]
add_table(
    {
        "id": "global_rd_centres_in_japan",
        "title_ja": "グローバル企業の日本におけるイノベーション拠点新設（※設置予定も含む）",
        "title_en": "Global companies' new R&D / innovation centres in Japan (including planned)",
        "slide_title": "我が国のイノベーション拠点の強みと課題④",
        "source": "（出典）各社HP、プレスリリース",
        "notes": [
            "Only the announcement cell per company is tabulated; research fields are interleaved in the flattened text."
        ],
        "columns": [
            col("company", "text", "企業", "Company"),
            col("announcement", "text", "日本拠点・所在地", "Japan centre and location"),
        ],
        "entity_column": "company",
        "keywords": [
            "研究開発拠点",
            "r&d centre",
            "r&d center",
            "拠点新設",
            "イノベーション拠点",
            "research centre",
            "設立",
        ],
        "extraction": "hand",
    },
    rows,
)

# --- J-Startup selection rounds (lines 3131-3141) ---------------------------------------------
rows = [
    {"round": m[1].strip(), "companies": m[2], "date": m[3].strip(), "lines": str(n)}
    for n, m in regex_rows(3131, 3139, r"(.+?)：(\d+)社（(.+?)）")
]
assert len(rows) == 5, rows
add_table(
    {
        "id": "j_startup_selections",
        "title_ja": "J-Startup 選定企業数",
        "title_en": "J-Startup selection rounds",
        "slide_title": "スタートアップのグローバル接続不足と更なる資金供給の必要性⑥",
        "source": "J-Startup は 合計2３９社 に",
        "notes": [
            "J-Startup は 合計2３９社 に （※ 選定企業のうち７社については、M&A、解散等）",
            "J-Startup（含Impact）：239 社 / J-Startup地域版 ：358 社（2025年2月12日現在）",
        ],
        "columns": [
            col("round", "text", "選定", "Round"),
            col("companies", "int", "選定企業数", "Companies", "社"),
            col("date", "text", "時期", "Date"),
        ],
        "entity_column": "round",
        "keywords": ["j-startup", "jstartup", "j startup", "選定企業", "選定"],
        "extraction": "regex",
    },
    rows,
)

# --- Startup ecosystem indicators (lines 2779-2895) --------------------------------------------
rows = [  # HAND
    {
        "indicator": "国内ユニコーン数",
        "earlier": "2021年：６社",
        "latest": "現在：８社",
        "lines": "2779-2786",
        "aliases": "unicorns;number of unicorns",
    },
    {
        "indicator": "スタートアップ数",
        "earlier": "2021年：16,100社",
        "latest": "2023年：22,000社",
        "lines": "2789-2792",
        "aliases": "number of startups;startups",
    },
    {
        "indicator": "大学発スタートアップ数",
        "earlier": "2021年：3,305社",
        "latest": "2023年：4,288社",
        "lines": "2794-2798",
        "aliases": "university startups;university spin-offs;大学発ベンチャー",
    },
    {
        "indicator": "IPO数",
        "earlier": "2021年：125社",
        "latest": "2023年：96社",
        "lines": "2800-2805",
        "aliases": "number of IPOs;IPOs",
    },
    {
        "indicator": "国内スタートアップの資金調達額",
        "earlier": "2021年：8,827億円",
        "latest": "2023年：8,139億円程度",
        "lines": "2892-2895",
        "aliases": "startup funding;funding total",
    },
]
add_table(
    {
        "id": "startup_ecosystem_indicators",
        "title_ja": "スタートアップ・エコシステムの「裾野」と「芽」の指標",
        "title_en": "Japan startup ecosystem indicators (2021 vs latest)",
        "slide_title": "スタートアップのグローバル接続不足と更なる資金供給の必要性①",
        "source": "（出典）CB Insights／株式会社ユーザベース「スピーダスタートアップ情報リサーチ」／経済産業省「令和５年度大学発ベンチャー実態等調査」／日本取引所グループ／INITIAL 「Japan Startup Finance」",
        "notes": ["The source field lists the slide's several 出典 lines joined with ／."],
        "columns": [
            col("indicator", "text", "指標", "Indicator"),
            col("earlier", "text", "2021年", "2021"),
            col("latest", "text", "最新", "Latest"),
        ],
        "entity_column": "indicator",
        "keywords": [
            "スタートアップ数",
            "大学発スタートアップ",
            "ipo数",
            "number of startups",
            "university startups",
            "ユニコーン数",
            "資金調達額",
        ],
        "extraction": "hand",
    },
    rows,
)
# the source above joins several 出典 lines; provenance checks each ／ part


# Titles composed for tables whose slide shows no heading of their own (every other title_ja is deck text).
COMPOSED_TITLES = {
    "aspi_japan_tech_ranks",
    "clarivate_top100_countries_2024",
    "korea_rd_tax_rates",
    "j_startup_selections",
    "startup_ecosystem_indicators",
}


def write() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    metas = []
    for table in TABLES:
        meta, rows = table["meta"], table["rows"]
        fields = [c["name"] for c in meta["columns"]] + ["slide_title", "lines", "aliases"]
        path = OUT / f"{meta['id']}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: row.get(k, "") for k in fields})
        meta["file"] = path.name
        meta["title_from_deck"] = meta["id"] not in COMPOSED_TITLES
        metas.append(meta)
    (OUT / "tables.json").write_text(
        json.dumps({"tables": metas}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(metas)} tables to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    write()
