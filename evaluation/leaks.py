"""Test sentences that the training data already holds, exactly or nearly.

A test sentence counts as leaked when, after normalising both (case, width, punctuation,
spaces, Traditional to Simplified script), a training sentence is identical or at least
LEAK_SIMILARITY similar by rapidfuzz's ratio (an edit-distance similarity, 0-100): "how do
i get a card for my son" and "How do I get a card for my son?" are the same sentence, and
so are two that differ by a typo or one short word.
"""

import re
import unicodedata
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from opencc import OpenCC
from rapidfuzz import fuzz, process

LEAK_SIMILARITY = 90.0

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Rasa's entity markup in a training line: [words](entity) or [words]{...}.
_MARKUP = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
_TO_SIMPLIFIED = OpenCC("t2s")


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return _NOT_WORD.sub(" ", _TO_SIMPLIFIED.convert(text)).strip()


def near_duplicates(
    tests: Iterable[str], training: Iterable[str], threshold: float = LEAK_SIMILARITY
) -> List[Tuple[str, str, float]]:
    """(test sentence, closest training sentence, similarity) for every leaked test sentence."""
    originals: Dict[str, str] = {}
    for text in training:
        originals.setdefault(normalised(text), text)
    choices = list(originals)
    leaked = []
    for text in tests:
        key = normalised(text)
        if key in originals:
            leaked.append((text, originals[key], 100.0))
            continue
        match = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        if match:
            leaked.append((text, originals[match[0]], match[1]))
    return leaked


def drop_from_training(training_root: Path, held_out: Sequence[str]) -> int:
    """Remove from the training files every example that is (nearly) a held-out sentence;
    how many were removed. The held-out sets stay as they are."""
    removed = 0
    for path in sorted(training_root.rglob("*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = []
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("- ") and near_duplicates(
                [_MARKUP.sub(r"\1", stripped[2:])], held_out
            ):
                removed += 1
                continue
            kept.append(line)
        path.write_text("".join(kept), encoding="utf-8")
    return removed


def held_out_sentences() -> List[str]:
    """Every sentence of the test and development sets, in both languages."""
    from evaluation.nlu import LANGUAGES, dev_set_files, examples_of, held_out_files

    return [
        e.text
        for language in LANGUAGES
        for e in examples_of([*held_out_files(language), *dev_set_files(language)])
    ]


def main() -> None:
    """python -m evaluation.leaks [--drop]: list the training examples that are (nearly)
    sentences of the test or development sets; --drop removes them from data/nlu/."""
    import argparse

    from evaluation.nlu import ROOT, examples_of

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    held_out = held_out_sentences()
    training = ROOT / "data" / "nlu"
    leaked = near_duplicates(
        held_out, [e.text for e in examples_of(sorted(training.rglob("*.yml")))]
    )
    for test, train, score in leaked:
        print(f"{score:5.1f}  {test!r} ~ {train!r}")
    if args.drop:
        print(f"{drop_from_training(training, held_out)} training examples removed")


if __name__ == "__main__":
    main()
