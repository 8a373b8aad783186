"""Issue #12: what is specific to one document lives in its bundle. No slide title, subtitle or chapter
heading of the shipped deck, no 「」-quoted phrase of it and no deck line number may appear in the product
code's strings (bot/, retrieval/, tools/, charts/); tests and corpus/ may name them."""

import ast
import io
import re
import tokenize
from pathlib import Path

from corpus.anchors import squash
from corpus.bundle import default_bundle

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "retrieval", "tools", "charts")
# Still in code: the deck's international-comparison cells, which tax_compare keeps as a constant checked
# cell by cell against the bundle's extracted table (tests/tools/test_tax_compare.py).
STILL_IN_CODE = {
    "tools/tax_compare.py": {"×10%（最大）"},
}
_LINE_NUMBER = re.compile(r"\b(?:deck )?lines? \d{2,4}\b|行目\s*\d{2,4}|\d{2,4}\s*行目")


def _deck_names() -> set[str]:
    names = set()
    for slide in default_bundle().slides[1:]:  # the cover's "title" is its whole text
        for text in (slide.title, slide.heading, slide.chapter):
            if text and len(squash(text)) >= 6:
                names.add(squash(text))
    return names


def _strings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    found = [
        (node.lineno, node.value) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)
    ]
    comments = [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    return [(line, value) for line, value in found if isinstance(value, str)] + comments


def _findings(path: Path, names: set[str], deck: str) -> set[str]:
    found = set()
    for _, value in _strings(path):
        squashed = squash(value)
        found |= {name for name in names if name in squashed}
        found |= {
            q for q in re.findall(r"「([^」]{4,})」", value) if len(squash(q)) >= 6 and squash(q) in deck
        }
        found |= set(_LINE_NUMBER.findall(value))
    return found


def test_no_deck_titles_quoted_phrases_or_line_numbers_in_product_code():
    names, deck = _deck_names(), squash(default_bundle().text)
    unexpected = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            allowed = {squash(text) for text in STILL_IN_CODE.get(relative, set())}
            extra = {item for item in _findings(path, names, deck) if squash(item) not in allowed}
            if extra:
                unexpected[relative] = sorted(extra)
    assert unexpected == {}


def test_the_check_sees_a_title_in_code(tmp_path):
    title = default_bundle().rule_slide("rd_tax").title
    sample = tmp_path / "sample.py"
    sample.write_text(f'SLIDE = "{title}"  # deck lines 1700-1760\n', encoding="utf-8")
    found = _findings(sample, _deck_names(), squash(default_bundle().text))
    assert squash(title) in found and "deck lines 1700" in found
