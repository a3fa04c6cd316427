"""Whole messages that only acknowledge, take leave or ask for the menu: "awesome",
"ok great thanks", "end chat", "menu", "太好了", "好的拜拜".

One or two words with no card question in them give the classifier little to go on, and
it reads many of them as off topic. A message made of nothing but such phrases is their
intent, whatever the classifier says; one with any other word is left to it ("ok, and for
kids?"). The phrases, by intent, come from knowledge/data/vocabulary.yml; the classifier
applies the rule (components/intent_classifier.py).
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Mapping, Optional, Tuple

from knowledge.base import DATA_DIR, _load
from knowledge.regions import simplified
from knowledge.schema import VocabularyFile

# Taking leave after an acknowledgement ("ok thanks bye") is taking leave.
GOODBYE, THANK = "goodbye", "thank"


def _words(text: str) -> str:
    """Lower case, Simplified, no punctuation or emoji; Chinese run together ("太 好 了" as
    segmented is "太好了"), other words one space apart."""
    words = re.sub(r"[\W_]+", " ", simplified(text).lower()).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", words)


class WholeMessages:
    """The intent of a message made of nothing but conversational phrases."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        intent_of: Dict[str, str] = {}
        for intent, forms in phrases.items():
            intent_of.update({_words(f): intent for f in forms if _words(f)})
        # longest first, as _cover's cache keys them
        self._phrases: Tuple[Tuple[str, str], ...] = tuple(
            sorted(intent_of.items(), key=lambda item: len(item[0]), reverse=True)
        )

    def intent_of(self, text: str) -> Optional[str]:
        """The intent, if every word of `text` belongs to one of the phrases (spaces between
        them or not: "ok thanks", "好的谢谢"), and they are of one intent or acknowledge then
        take leave."""
        words = _words(text)
        intents = _cover(words, self._phrases) if words else None
        if not intents:
            return None
        if len(intents) == 1:
            return next(iter(intents))
        if intents == {GOODBYE, THANK}:
            return GOODBYE
        return None


@lru_cache(maxsize=4096)
def _cover(words: str, phrases: Tuple[Tuple[str, str], ...]) -> Optional[FrozenSet[str]]:
    """The intents of the phrases that `words` is made of, in a row, or None. A phrase
    ends where a word ends: "kroger" is no "k" and "roger"."""
    words = words.lstrip(" ")
    if not words:
        return frozenset()
    for phrase, intent in phrases:
        if not words.startswith(phrase):
            continue
        rest = words[len(phrase) :]
        if rest and _latin(phrase[-1]) and _latin(rest[0]):
            continue
        found = _cover(rest, phrases)
        if found is not None:
            return found | {intent}
    return None


def _latin(character: str) -> bool:
    return character.isascii() and character.isalnum()


def load_whole_messages(data_dir: Path = DATA_DIR) -> WholeMessages:
    vocabulary = _load(Path(data_dir) / "vocabulary.yml", VocabularyFile)
    return WholeMessages(vocabulary.whole_messages)
