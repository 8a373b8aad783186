"""Fixtures for the chart tests: the deck's tables loaded once, and a PNG header reader."""

import struct

import pytest

from corpus.bundle import default_bundle
from retrieval.tables import load_tables
from tools.rankings import TableSet

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails the test if the bytes are not a PNG."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG signature"
    length, chunk_type = struct.unpack(">I4s", data[8:16])
    assert chunk_type == b"IHDR" and length == 13, "first chunk is not IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert data[-8:-4] == b"IEND", "no IEND chunk at the end"
    return width, height


@pytest.fixture(scope="session")
def tables() -> TableSet:
    """The deck's structured tables."""
    return load_tables(default_bundle())
