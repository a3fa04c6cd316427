"""Messages that only name a card: "I have a question about my social security card",
"社保卡的事", "metro card", "hello, question re my SIM card".

Beside the name they ask nothing the classifier could read, so it guesses a topic from the
name alone. Naming the social security card and asking nothing gets what the assistant can
tell; naming another card or document and not this one is out of scope. The names and the
words that ask nothing come from knowledge/data/vocabulary.yml; the classifier applies the
rule to the normalised message (components/intent_classifier.py).
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Pattern, Set, Tuple

from knowledge.base import DATA_DIR, _load
from knowledge.regions import simplified
from knowledge.schema import VocabularyFile

ABOUT, NOTHING, WANTING = "about", "nothing", "wanting"


def _words(text: str) -> str:
    return re.sub(r"[\W_]+", " ", simplified(text).lower()).strip()


def _names(names: Iterable[str]) -> Pattern[str]:
    """Whole names, however the words or characters are spaced ("医保 卡", "driver s license")."""
    forms = sorted({_words(n).replace(" ", "") for n in names if _words(n)}, key=len, reverse=True)
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
        self._kinds: Dict[str, str] = {}
        for kind, words in ((WANTING, wanting), (NOTHING, asking_nothing), (ABOUT, asking_about)):
            self._kinds.update({_words(w): kind for w in words if _words(w)})
        # the Chinese words, longest first, and their kinds, as _cover's cache keys them
        self._run_together = tuple(
            sorted((w for w in self._kinds if not w.isascii()), key=len, reverse=True)
        )
        self._kind_items = tuple(sorted(self._kinds.items()))

    def the_card(self, text: str) -> bool:
        """It names the social security card and asks nothing more: what the assistant can
        tell is the answer. "I need a social security card" asks for one, so wanting words
        count as asking nothing only beside a word that says the message is about it."""
        words = _words(text)
        if self._other.search(words) or not self._card.search(words):
            return False
        kinds = self._kinds_of(self._card.sub(" ", words))
        return kinds is not None and (ABOUT in kinds or WANTING not in kinds)

    def another_card(self, text: str) -> bool:
        """It names another card or document, not this one, and asks nothing more."""
        words = _words(text)
        if not self._other.search(words):
            return False
        rest = self._other.sub(" ", words)
        if self._card.search(rest):
            return False
        kinds = self._kinds_of(rest)
        return kinds is not None and (ABOUT in kinds or WANTING not in kinds)

    def _kinds_of(self, rest: str) -> Optional[FrozenSet[str]]:
        """The kinds of the words left beside the names, or None if one of them asks
        something (is none of the kinds)."""
        kinds: Set[str] = set()
        for word in rest.split():
            if word.isascii():
                kind = self._kinds.get(word)
                found = frozenset({kind}) if kind else None
            else:
                found = self._cover(word)
            if found is None:
                return None
            kinds.update(found)
        return frozenset(kinds)

    def _cover(self, word: str) -> Optional[FrozenSet[str]]:
        """The kinds of the Chinese words that `word` is written of, run together."""
        return _cover(word, self._run_together, self._kind_items)


@lru_cache(maxsize=4096)
def _cover(
    word: str, parts: Tuple[str, ...], kinds: Tuple[Tuple[str, str], ...]
) -> Optional[FrozenSet[str]]:
    if not word:
        return frozenset()
    kind_of = dict(kinds)
    for part in parts:
        if word.startswith(part):
            rest = _cover(word[len(part) :], parts, kinds)
            if rest is not None:
                return rest | {kind_of[part]}
    return None


def load_naming_only(data_dir: Path = DATA_DIR) -> NamingOnly:
    vocabulary = _load(Path(data_dir) / "vocabulary.yml", VocabularyFile)
    other: List[str] = sorted({w for words in vocabulary.other_cards.values() for w in words})
    return NamingOnly(
        vocabulary.card_names,
        other,
        vocabulary.asking_about,
        vocabulary.asking_nothing,
        vocabulary.wanting,
    )
