"""Messages that only name a card: "I have a question about my social security card",
"社保卡的事", "metro card", "hello, question re my SIM card".

Beside the name they ask nothing the classifier could read, so it guesses a topic from the
name alone. Naming the social security card and asking nothing gets what the assistant can
tell; naming another card or document and not this one is out of scope. The names and the
words that ask nothing come from knowledge/data/vocabulary.yml; the classifier applies the
rule to the normalised message (components/intent_classifier.py).
"""

import re
from pathlib import Path
from typing import Dict, Iterable, List, Pattern

from knowledge.base import DATA_DIR, _load
from knowledge.phrases import Phrases, words
from knowledge.schema import VocabularyFile

ABOUT, NOTHING, WANTING = "about", "nothing", "wanting"


def _names(names: Iterable[str]) -> Pattern[str]:
    """Whole names, however the words or characters are spaced ("医保 卡", "driver s license")."""
    forms = sorted({words(n).replace(" ", "") for n in names if words(n)}, key=len, reverse=True)
    alternatives = [r"\s*".join(map(re.escape, form)) for form in forms]
    return re.compile(r"(?<![a-z0-9])(?:" + ("|".join(alternatives) or r"(?!)") + r")(?![a-z0-9])")


class NamingOnly:
    """Whether a message only names the card, or only names another one."""

    def __init__(
        self,
        card_names: Iterable[str],
        other_cards: Iterable[str],
        asking_about: Iterable[str],
        asking_nothing: Iterable[str],
        wanting: Iterable[str],
    ) -> None:
        self._card = _names(card_names)
        self._other = _names(other_cards)
        kinds: Dict[str, str] = {}
        for kind, phrases in ((WANTING, wanting), (NOTHING, asking_nothing), (ABOUT, asking_about)):
            kinds.update({phrase: kind for phrase in phrases})
        self._asking_nothing = Phrases(kinds)

    def the_card(self, text: str) -> bool:
        """It names the social security card and asks nothing more: what the assistant can
        tell is the answer. "I need a social security card" asks for one, so wanting words
        count as asking nothing only beside a word that says the message is about it."""
        written = words(text)
        if self._other.search(written) or not self._card.search(written):
            return False
        return self._asks_nothing(self._card.sub(" ", written))

    def another_card(self, text: str) -> bool:
        """It names another card or document, not this one, and asks nothing more."""
        written = words(text)
        if not self._other.search(written):
            return False
        rest = self._other.sub(" ", written)
        return not self._card.search(rest) and self._asks_nothing(rest)

    def _asks_nothing(self, rest: str) -> bool:
        """The words left beside the names ask nothing."""
        kinds = self._asking_nothing.kinds_of(rest)
        return kinds is not None and (ABOUT in kinds or WANTING not in kinds)


def load_naming_only(data_dir: Path = DATA_DIR) -> NamingOnly:
    vocabulary = _load(Path(data_dir) / "vocabulary.yml", VocabularyFile)
    other: List[str] = sorted({n for names in vocabulary.other_cards.values() for n in names})
    return NamingOnly(
        vocabulary.card_names,
        other,
        vocabulary.asking_about,
        vocabulary.asking_nothing,
        vocabulary.wanting,
    )
