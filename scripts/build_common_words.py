"""Rebuild ``archive/facets/data/common_words.txt``: words news writes in lower case.

A capitalised word opening a sentence ("Ceasefire negotiations resumed ...") looks like a name to
the tagger. When the article itself also writes the word in lower case, the facets already know
it is a common word; this list carries the same evidence for articles that do not. It holds the
words that the training documents of ``../shared/data/entity-gold`` write in lower case at
least ``--min-lower`` times and capitalised inside a sentence at most ``--max-ratio`` times as
often (so "apple" or "rose", often names, stay out). Validation documents are not read. The
list holds single words and their counts' outcome only, no text of the documents.

Usage::

    .venv/bin/python scripts/build_common_words.py            # writes the data file
    .venv/bin/python scripts/build_common_words.py --check    # exit 1 if the file is not current
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "data" / "entity-gold" / "texts"
OUTPUT = ROOT / "archive" / "facets" / "data" / "common_words.txt"
WORD = re.compile(r"[A-Za-z][a-z]+(?:-[a-z]+)*")
SENTENCE_END = re.compile(r"[.!?:;\"'(\[]\s*$")


def count_forms(texts: list[str]) -> tuple[Counter, Counter]:
    """Per lower-cased word: how often written in lower case, and capitalised inside a sentence."""
    lower: Counter = Counter()
    capitalised: Counter = Counter()
    for text in texts:
        for line in text.splitlines():
            for match in WORD.finditer(line):
                word = match.group()
                if word[0].islower():
                    lower[word] += 1
                elif match.start() > 0 and not SENTENCE_END.search(line[: match.start()]):
                    capitalised[word.lower()] += 1
    return lower, capitalised


def render(min_lower: int, max_ratio: float) -> str:
    """The data file's text."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(GOLD.glob("train-*.txt"))]
    lower, capitalised = count_forms(texts)
    words = sorted(w for w, n in lower.items() if n >= min_lower and capitalised[w] <= n * max_ratio)
    header = (
        "# Words news writes in lower case: a capitalised one opening a sentence is not a name by itself.\n"
        f"# Built by scripts/build_common_words.py from the {len(texts)} training documents of\n"
        "# ../shared/data/entity-gold (Reuters RCV1 via CoNLL-2003, research use): written in lower case\n"
        f"# at least {min_lower} times, capitalised inside a sentence at most {max_ratio:g} times as often.\n"
    )
    return header + "".join(f"{word}\n" for word in words)


def main() -> int:
    """Build or check the data file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-lower", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, default=0.1)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is not current")
    options = parser.parse_args()
    if not GOLD.is_dir():
        print(f"build_common_words: {GOLD} is missing (the shared entity gold)", file=sys.stderr)
        return 2
    text = render(options.min_lower, options.max_ratio)
    if options.check:
        current = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print("common_words.txt is current" if current else "common_words.txt is out of date")
        return 0 if current else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count(chr(10)) - 4} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
