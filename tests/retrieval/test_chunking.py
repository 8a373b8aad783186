"""Chunk metadata and windowing on the real slides."""

from corpus.bundle import default_bundle
from retrieval.chunking import MAX_BODY_CHARS, chunk_slides, embedding_text, lexical_text, normalize
from retrieval.corpus import load_slides


def test_every_slide_has_chunks_with_its_metadata():
    slides = load_slides(default_bundle())
    chunks = chunk_slides(slides, sha_prefix="abcd1234")
    assert {c.slide for c in chunks} == {s.number for s in slides}
    fourth = [c for c in chunks if c.section == "我が国の研究開発インセンティブの現状と課題④"]
    assert fourth and all(c.slide == 27 for c in fourth)
    assert all(c.heading == "研究開発税制の概要" for c in fourth)
    assert all(c.chapter == "２．イノベーションを巡る我が国の現状と課題" for c in fourth)
    assert fourth[0].id == "abcd1234-s27-p0"
    assert fourth[0].line_start == 1704  # body starts right after the title line 1703
    assert fourth[-1].line_end == 1819


def test_ids_are_unique_and_stable():
    first = [c.id for c in chunk_slides(load_slides(default_bundle()), sha_prefix="x")]
    second = [c.id for c in chunk_slides(load_slides(default_bundle()), sha_prefix="x")]
    assert first == second
    assert len(first) == len(set(first))


def test_long_slides_are_windowed_with_overlap_and_lose_no_line():
    slides = load_slides(default_bundle())
    chunks = chunk_slides(slides)
    funding = [c for c in chunks if c.slide == 48]  # the two funding-ranking tables, ~1,600 characters
    assert len(funding) >= 3
    for chunk in funding:
        assert len(chunk.text.replace("\n", "")) <= MAX_BODY_CHARS + 60
    for before, after in zip(funding, funding[1:], strict=False):
        assert before.text.split("\n")[-1] == after.text.split("\n")[0]  # one line of overlap
    joined = normalize("".join(c.text for c in funding))
    assert normalize("5 Spiber（構造タンパク質素材） 79") in joined
    assert normalize("4 Spiber（構造タンパク質素材） 62") in joined


def test_embedded_text_leads_with_title_and_subtitle_and_drops_bare_numbers():
    chunks = chunk_slides(load_slides(default_bundle()))
    chunk = next(c for c in chunks if c.slide == 27)
    text = embedding_text(chunk)
    assert text.startswith("我が国の研究開発インセンティブの現状と課題④ 研究開発税制の概要\n")
    axis = next(c for c in chunks if c.slide == 2)
    assert "\n0\n" not in embedding_text(axis)
    assert "4,288" in lexical_text(next(c for c in chunks if c.slide == 46 and "4,288" in c.text))


def test_normalize_applies_nfkc_and_drops_whitespace():
    assert normalize("１５ 名古屋\n日本") == "15名古屋日本"
