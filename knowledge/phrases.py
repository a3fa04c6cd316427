"""Messages read as a row of known phrases, for the rules that read a whole message
(knowledge/naming_only.py, knowledge/whole_messages.py).

A message's words are compared lower case, in Simplified script, without punctuation or
emoji, Chinese run together however it was segmented ("太 好 了" is "太好了"), other words
one space apart ("i'm" is "i m").
"""

import re
from functools import lru_cache
from typing import FrozenSet, Mapping, Optional, Tuple

from knowledge.regions import simplified


def words(text: str) -> str:
    """`text` as the phrases are compared with it."""
    spaced = re.sub(r"[\W_]+", " ", simplified(text).lower()).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", spaced)


class Phrases:
    """Phrases, each of a kind; which kinds a row of them is made of."""

    def __init__(self, kinds: Mapping[str, str]) -> None:
        by_phrase = {words(phrase): kind for phrase, kind in kinds.items() if words(phrase)}
        # longest first, as _kinds_of's cache keys them
        self._phrases: Tuple[Tuple[str, str], ...] = tuple(
            sorted(by_phrase.items(), key=lambda item: len(item[0]), reverse=True)
        )

    def kinds_of(self, text: str) -> Optional[FrozenSet[str]]:
        """The kinds of the phrases that `text` (as `words` gives it) is made of, in a row,
        or None if it is not made of them. A phrase ends where a word ends: "kroger" is no
        "k" and "roger"."""
        return _kinds_of(text, self._phrases)


@lru_cache(maxsize=4096)
def _kinds_of(text: str, phrases: Tuple[Tuple[str, str], ...]) -> Optional[FrozenSet[str]]:
    text = text.lstrip(" ")
    if not text:
        return frozenset()
    for phrase, kind in phrases:
        if not text.startswith(phrase):
            continue
        rest = text[len(phrase) :]
        if rest and _latin(phrase[-1]) and _latin(rest[0]):
            continue
        found = _kinds_of(rest, phrases)
        if found is not None:
            return found | {kind}
    return None


def _latin(character: str) -> bool:
    return character.isascii() and character.isalnum()
