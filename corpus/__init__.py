"""The deck text the project owns, its structured tables, and the rules that parse them."""

from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
DECK_PATH = CORPUS_DIR / "deck" / "000_d03e23c33eb45987.txt"
TABLES_DIR = CORPUS_DIR / "tables"
