"""Document bundles (one folder per document: its text, tables, English renderings and metadata, as data)
and the generic rules that parse them. `corpus.bundle.load_bundle(path)` reads one; `default_bundle()` is
the shipped deck.
"""

from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
# The bundle the bot serves unless told otherwise (DECKBOT_BUNDLE).
DEFAULT_BUNDLE_DIR = CORPUS_DIR / "meti-innovation-2025-04-17"
