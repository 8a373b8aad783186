"""A document bundle: one document's text, tables, English renderings and metadata, loaded as data.

`load_bundle(path)` reads `<path>/bundle.yaml`, checks the source text against the sha256 it records and
returns a `DocumentBundle`; the slides, units, tables and renderings are derived from it on first use.
The format is described in docs/bundle-format.md.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corpus import DEFAULT_BUNDLE_DIR
from corpus.bilingual import english_by_unit
from corpus.deck import Slide, TitleRules, parse_deck
from corpus.pages import page_slides
from corpus.tables import read_tables
from corpus.units import DeckUnit, slide_units
from tools.rankings import TableSet

BUNDLE_FILE = "bundle.yaml"


class BundleError(ValueError):
    """A bundle cannot be used: missing or malformed bundle.yaml, or a source that is not the one it names."""


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Localized(_Data):
    """A text in Japanese and English."""

    ja: str
    en: str


class SourceFile(_Data):
    """The document's text and the hash that pins it (tables and renderings were checked against it)."""

    file: str = Field("source.txt", description="Text file inside the bundle, UTF-8.")
    original_name: str | None = Field(None, description="File name of the text as it was delivered.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the file's bytes.")


class Prompt(_Data):
    """A suggested prompt of the Slack assistant pane."""

    title: str
    message: str


class AssistantPane(_Data):
    """What the Slack assistant pane shows when a thread opens."""

    greeting: str
    prompts: list[Prompt] = Field(default_factory=list, max_length=4)


class RuleSlide(_Data):
    """The slide a calculator's rules rest on, as printed, and how to find and quote it."""

    title: str
    heading: str | None = None
    query: str | None = Field(
        None, description="search_deck query that finds the slide (default: its titles)."
    )
    quote_terms: str | None = Field(None, description="Words that pick the lines quoted from it.")

    @property
    def search_query(self) -> str:
        """The query that finds this slide."""
        return self.query or f"{self.title} {self.heading or ''}".strip()


class LexiconEntry(_Data):
    """A Japanese phrase of the document and the English a question may use for it."""

    ja: str
    en: list[str] = Field(min_length=1)


class BundleLexicon(_Data):
    """Names and terms only this document uses (general ones live in retrieval/glossary.py)."""

    entities: list[LexiconEntry] = Field(default_factory=list)
    terms: list[LexiconEntry] = Field(default_factory=list)


class DocumentBundle(_Data):
    """One document and everything known about it, as loaded from its bundle folder."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$", description="Readable, unique id.")
    title: Localized
    publisher: Localized | None = None
    date: datetime.date | None = None
    language: str = "ja"
    source: SourceFile
    layout: Literal["deck", "pages"] = Field(
        "deck", description="deck: slides parsed by the title rules; pages: one slide per form-feed page."
    )
    page_headings: list[str | None] | None = Field(
        None, description="The heading detected on each page of a pages layout (None: none found)."
    )
    slide_titles: TitleRules = Field(default_factory=TitleRules)
    assistant: AssistantPane
    subject: list[str] = Field(
        default_factory=list, description="Names of what the document is about (never needed on a slide)."
    )
    aliases: list[str] = Field(
        default_factory=list, description="Other names a question may call the document by (「参考資料」)."
    )
    rule_slides: dict[str, RuleSlide] = Field(default_factory=dict)
    lexicon: BundleLexicon = Field(default_factory=BundleLexicon)
    tables_dir: str | None = Field("tables", alias="tables", description="Folder with tables.yaml and CSVs.")
    units_en_dir: str | None = Field(
        "units_en", alias="units_en", description="Folder of English renderings."
    )
    root: Path = Field(exclude=True, description="The bundle folder (set by load_bundle).")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @property
    def sha256(self) -> str:
        """The source text's sha256 (it versions the search index)."""
        return self.source.sha256

    @property
    def display_title(self) -> str:
        """The Japanese title with the date, as shown to users."""
        return f"{self.title.ja}（{self.date.isoformat()}）" if self.date else self.title.ja

    @cached_property
    def text(self) -> str:
        """The document's text."""
        return (self.root / self.source.file).read_bytes().decode("utf-8")

    @cached_property
    def slides(self) -> list[Slide]:
        """The document's slides in order (parsed once)."""
        if self.layout == "pages":
            return page_slides(self.text, self.page_headings)
        return parse_deck(self.text, self.slide_titles)

    @cached_property
    def units(self) -> list[DeckUnit]:
        """Every quotable unit of every slide, with its id."""
        return [unit for slide in self.slides for unit in slide_units(slide)]

    @cached_property
    def english(self) -> dict[str, tuple[str, str]]:
        """Unit id -> (text_sha, English rendering); empty when the bundle has none."""
        folder = self.units_en_path
        return english_by_unit(folder) if folder is not None and folder.is_dir() else {}

    @cached_property
    def tables(self) -> TableSet | None:
        """The document's tables, rows located in its text; None when the bundle has no tables folder.

        Raises:
            corpus.tables.TableLoadError: a table file is malformed or does not match the text.
        """
        if self.tables_dir is None or not (self.root / self.tables_dir).is_dir():
            return None
        return read_tables(self.root / self.tables_dir, text=self.text, slides=self.slides)

    @property
    def units_en_path(self) -> Path | None:
        """The folder of English renderings, if the bundle names one."""
        return self.root / self.units_en_dir if self.units_en_dir else None

    def rule_slide(self, key: str) -> RuleSlide | None:
        """The slide a calculator rule (a SLIDE_* key of tools/rd_credit_rules.py) rests on, if named here."""
        return self.rule_slides.get(key)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"{path}: not found (a bundle folder holds {BUNDLE_FILE})") from None
    except yaml.YAMLError as error:
        raise BundleError(f"{path}: invalid YAML: {error}") from None
    if not isinstance(data, dict):
        raise BundleError(f"{path}: expected a mapping of bundle fields")
    return data


def load_bundle(path: Path | str) -> DocumentBundle:
    """Load a bundle folder (or its bundle.yaml) and check that its source text is the one it records.

    Raises:
        BundleError: bundle.yaml is missing or invalid, the source is missing, or its sha256 differs from the
            one bundle.yaml records (tables and English renderings were checked against that text).
    """
    path = Path(path)
    root = path.parent if path.name == BUNDLE_FILE else path
    data = _read_yaml(root / BUNDLE_FILE)
    try:
        bundle = DocumentBundle.model_validate({**data, "root": root.resolve()})
    except ValidationError as error:
        raise BundleError(f"{root / BUNDLE_FILE}: {error}") from None
    source = bundle.root / bundle.source.file
    try:
        actual = hashlib.sha256(source.read_bytes()).hexdigest()
    except FileNotFoundError:
        raise BundleError(f"{source}: the bundle's source text is missing") from None
    if actual != bundle.source.sha256:
        raise BundleError(
            f"{source}: sha256 is {actual}, but {BUNDLE_FILE} records {bundle.source.sha256}. "
            "The text changed: re-check the table anchors and English renderings against it, "
            "then record the new sha256."
        )
    return bundle


@lru_cache(maxsize=1)
def default_bundle() -> DocumentBundle:
    """The shipped deck's bundle (loaded once per process)."""
    return load_bundle(DEFAULT_BUNDLE_DIR)


def resolve_bundle(bundle: DocumentBundle | Path | str | None) -> DocumentBundle:
    """A loaded bundle as it is, a folder loaded, None the shipped deck: for the entry points' `bundle=`."""
    if bundle is None:
        return default_bundle()
    return bundle if isinstance(bundle, DocumentBundle) else load_bundle(bundle)
