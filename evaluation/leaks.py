"""Test sentences that the training data already holds, exactly or nearly.

A test sentence counts as leaked when, after normalising both (case, width, punctuation,
spaces, Traditional to Simplified script), a training sentence is identical or at least
LEAK_SIMILARITY similar by rapidfuzz's ratio (an edit-distance similarity, 0-100): "how do
i get a card for my son" and "How do I get a card for my son?" are the same sentence, and
so are two that differ by a typo or one short word.
"""

import re
import unicodedata
from typing import Dict, Iterable, List, Tuple

from opencc import OpenCC
from rapidfuzz import fuzz, process

LEAK_SIMILARITY = 90.0

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
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
