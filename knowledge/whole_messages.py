"""Whole messages that only acknowledge, take leave or ask for the menu: "awesome",
"ok great thanks", "end chat", "menu", "太好了", "好的拜拜".

One or two words with no card question in them give the classifier little to go on, and
it reads many of them as off topic. A message made of nothing but such phrases is their
intent, whatever the classifier says; one with any other word is left to it ("ok, and for
kids?"). The phrases, by intent, come from knowledge/data/vocabulary.yml; the classifier
applies the rule (components/intent_classifier.py).
"""

from pathlib import Path
from typing import Dict, Iterable, Mapping, Optional

from knowledge.base import DATA_DIR, _load
from knowledge.phrases import Phrases, words
from knowledge.schema import VocabularyFile

# Taking leave after an acknowledgement ("ok thanks bye") is taking leave.
GOODBYE, THANK = "goodbye", "thank"


class WholeMessages:
    """The intent of a message made of nothing but conversational phrases."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        intent_of: Dict[str, str] = {}
        for intent, forms in phrases.items():
            intent_of.update({form: intent for form in forms})
        self._phrases = Phrases(intent_of)

    def intent_of(self, text: str) -> Optional[str]:
        """The intent, if every word of `text` belongs to one of the phrases (spaces between
        them or not: "ok thanks", "好的谢谢"), and they are of one intent or acknowledge then
        take leave."""
        intents = self._phrases.kinds_of(words(text))
        if not intents:
            return None
        if len(intents) == 1:
            return next(iter(intents))
        if intents == {GOODBYE, THANK}:
            return GOODBYE
        return None


def load_whole_messages(data_dir: Path = DATA_DIR) -> WholeMessages:
    vocabulary = _load(Path(data_dir) / "vocabulary.yml", VocabularyFile)
    return WholeMessages(vocabulary.whole_messages)
