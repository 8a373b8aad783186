"""The shipped bundle loads, validates its source by sha256 and names everything the code no longer does."""

import shutil

import pytest

from corpus.anchors import squash
from corpus.bundle import BundleError, default_bundle, load_bundle
from tools import rd_credit_rules as rules
from tools.registry import TOOLS


@pytest.fixture
def bundle_copy(tmp_path):
    target = tmp_path / "bundle"
    shutil.copytree(default_bundle().root, target)
    return target


def test_the_shipped_bundle_describes_the_deck():
    bundle = default_bundle()
    assert bundle.id == "meti-innovation-2025-04-17"
    assert bundle.source.original_name == "000_d03e23c33eb45987.txt"
    assert len(bundle.slides) == 64 and len(bundle.tables.tables) == 33
    assert bundle.display_title.endswith("参考資料（2025-04-17）")
    cover = squash(bundle.slides[0].title)
    assert all(squash(part) in cover for part in bundle.title.ja.split())  # the cover prints the title
    assert len(bundle.assistant.prompts) == 3 and bundle.assistant.greeting


def test_every_rule_key_of_the_calculators_names_a_slide_of_the_deck():
    bundle = default_bundle()
    keys = {value for name, value in vars(rules).items() if name.startswith("SLIDE_")}
    keys |= {spec.rule_slide.title for spec in TOOLS.values() if spec.rule_slide is not None}
    assert keys <= bundle.rule_slides.keys()
    by_title = {slide.title: slide for slide in bundle.slides}
    for key, rule in bundle.rule_slides.items():
        assert rule.title in by_title, key
        assert rule.heading in (None, by_title[rule.title].heading), key


def test_the_lexicon_names_phrases_of_the_deck():
    text = squash(default_bundle().text)
    assert all(squash(entry.ja) in text for entry in default_bundle().lexicon.terms)


def test_a_changed_source_is_a_clear_error(bundle_copy):
    source = bundle_copy / "source.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("令和７年", "令和８年"), encoding="utf-8")
    with pytest.raises(BundleError, match=r"source\.txt: sha256 is [0-9a-f]{64}, but bundle\.yaml records"):
        load_bundle(bundle_copy)


def test_a_missing_source_or_bundle_file_is_named(bundle_copy, tmp_path):
    (bundle_copy / "source.txt").unlink()
    with pytest.raises(BundleError, match="source text is missing"):
        load_bundle(bundle_copy)
    with pytest.raises(BundleError, match=r"bundle\.yaml: not found"):
        load_bundle(tmp_path / "nowhere")


def test_an_unknown_field_in_bundle_yaml_is_rejected(bundle_copy):
    meta = bundle_copy / "bundle.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "greeting_typo: hello\n", encoding="utf-8")
    with pytest.raises(BundleError, match="greeting_typo"):
        load_bundle(bundle_copy)


def test_load_bundle_takes_the_folder_or_its_bundle_yaml():
    root = default_bundle().root
    assert load_bundle(root / "bundle.yaml").id == load_bundle(root).id
