"""Check English unit renderings against a bundle's text: ids, wording hashes and every number.

Usage: python scripts/check_units_en.py [--bundle DIR] [FILE.jsonl ...]
(default: the shipped bundle and its units_en/*.jsonl)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from corpus.bilingual import numbers_not_in_source
from corpus.bundle import DocumentBundle, default_bundle, load_bundle


def main(bundle: DocumentBundle, paths: list[Path]) -> int:
    units = {unit.id: unit for unit in bundle.units}
    problems = 0
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            unit = units.get(row["id"])
            where = f"{path}:{number} {row['id']}"
            if unit is None:
                print(f"{where}: no such unit")
            elif row["text_sha"] != unit.text_sha:
                print(f"{where}: text_sha differs (the deck's wording is {unit.text!r})")
            elif wrong := numbers_not_in_source(row["en"], unit.text):
                print(f"{where}: numbers not in the Japanese: {wrong} | ja={unit.text!r}")
            else:
                continue
            problems += 1
    print(f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = default_bundle()
    if args[:1] == ["--bundle"]:
        chosen, args = load_bundle(args[1]), args[2:]
    folder = chosen.units_en_path
    files = [Path(p) for p in args] or (sorted(folder.glob("*.jsonl")) if folder else [])
    sys.exit(main(chosen, files))
