"""Index lifecycle: built once, reopened when current, rebuilt when the embedder or chunking changes."""

import hashlib
import shutil

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

import retrieval.index as index_module
from corpus.bundle import default_bundle, load_bundle
from retrieval.index import COLLECTION, build_or_open


class FakeEmbedder(DeterministicFakeEmbedding):
    """Deterministic vectors so lifecycle tests need not run the real model."""

    model_id: str = "fake-1"


@pytest.fixture
def fake():
    return FakeEmbedder(size=16)


def test_builds_then_reopens_without_rebuilding(tmp_path, fake):
    first = build_or_open(tmp_path, embedder=fake)
    assert first.built
    assert first.collection.count() == first.chunk_count > 60
    assert (tmp_path / "chroma").is_dir()
    again = build_or_open(tmp_path, embedder=fake)
    assert not again.built
    assert again.chunk_count == first.chunk_count
    meta = again.collection.metadata
    assert meta["embedder"] == "fake-1" and len(meta["deck_sha"]) == 64


def test_stored_metadata_round_trips(tmp_path, fake):
    index = build_or_open(tmp_path, embedder=fake)
    chunk = next(c for c in index.chunks if c.section == "我が国の研究開発インセンティブの現状と課題④")
    stored = index.collection.get(ids=[chunk.id], include=["metadatas", "documents"])
    assert stored["documents"][0] == chunk.text
    meta = stored["metadatas"][0]
    assert meta["slide"] == 27 and meta["heading"] == "研究開発税制の概要"
    assert (meta["line_start"], meta["line_end"]) == (chunk.line_start, chunk.line_end)


def test_rebuilds_when_the_embedder_changes(tmp_path, fake):
    build_or_open(tmp_path, embedder=fake)
    other = FakeEmbedder(size=16, model_id="fake-2")
    rebuilt = build_or_open(tmp_path, embedder=other)
    assert rebuilt.built
    assert rebuilt.collection.metadata["embedder"] == "fake-2"


def test_rebuilds_when_the_chunking_version_changes(tmp_path, fake, monkeypatch):
    build_or_open(tmp_path, embedder=fake)
    monkeypatch.setattr(index_module, "CHUNKING_VERSION", "test-next")
    rebuilt = build_or_open(tmp_path, embedder=fake)
    assert rebuilt.built
    assert rebuilt.collection.metadata["chunking_version"] == "test-next"
    assert rebuilt.collection.count() == rebuilt.chunk_count


def test_force_rebuilds(tmp_path, fake):
    build_or_open(tmp_path, embedder=fake)
    assert build_or_open(tmp_path, embedder=fake, force=True).built
    assert COLLECTION == "deck_chunks"


def edited_bundle(folder, edit):
    """A copy of the shipped bundle whose text `edit` changed (bundle.yaml records the new sha256)."""
    shutil.copytree(default_bundle().root, folder)
    source = folder / "source.txt"
    source.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    meta = folder / "bundle.yaml"
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    meta.write_text(meta.read_text(encoding="utf-8").replace(default_bundle().sha256, sha), encoding="utf-8")
    return load_bundle(folder)


def test_rebuilds_when_the_deck_changes(tmp_path, fake):
    build_or_open(tmp_path / "data", embedder=fake)
    changed = edited_bundle(tmp_path / "bundle", lambda text: text + "\n追記\n")
    rebuilt = build_or_open(tmp_path / "data", embedder=fake, bundle=changed)
    assert rebuilt.built
    assert rebuilt.collection.metadata["deck_sha"] == changed.sha256 != default_bundle().sha256
    assert rebuilt.chunks[0].id.startswith(changed.sha256[:8] + "-")
    assert rebuilt.bundle is changed


def test_the_version_names_the_bundle(tmp_path, fake):
    index = build_or_open(tmp_path, embedder=fake)
    assert index.collection.metadata["bundle"] == default_bundle().id == index.version["bundle"]
