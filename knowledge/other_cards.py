"""Messages about another card: "银行卡丢了怎么办", "I lost my ID card", "信用卡密码忘了".

They read like the card's own topics (a lost card, a locked password) but name another
card or document and no social security card, so they are out of scope. The words, by the
topic another card can be the subject of, come from knowledge/data/vocabulary.yml; the
classifier applies the rule (components/intent_classifier.py).
"""

import re
from pathlib import Path
from typing import Dict, Iterable, List, Pattern

from opencc import OpenCC

from knowledge.base import DATA_DIR, _load
from knowledge.schema import VocabularyFile


def _pattern(words: Iterable[str]) -> Pattern[str]:
    # "银行 卡" and "id card" as segmented or spaced are the same words
    forms = sorted({w.lower().replace(" ", "") for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in forms) or r"(?!)")


class OtherCards:
    """Whether a message answered as one of the card's topics is about another card."""

    def __init__(self, by_topic: Dict[str, List[str]], card_mentions: Iterable[str]) -> None:
        self._by_topic = {topic: _pattern(words) for topic, words in by_topic.items()}
        self._card = _pattern(card_mentions)
        self._to_simplified = OpenCC("t2s")

    def about_another_card(self, text: str, intent: str) -> bool:
        """`text`, read as `intent`, names another card and not the social security card."""
        other = self._by_topic.get(intent)
        if other is None:
            return False
        simplified = self._to_simplified.convert(text).lower()
        return bool(other.search(simplified)) and not self._card.search(other.sub(" ", simplified))


def load_other_cards(data_dir: Path = DATA_DIR) -> OtherCards:
    vocabulary = _load(Path(data_dir) / "vocabulary.yml", VocabularyFile)
    return OtherCards(vocabulary.other_cards, vocabulary.card_mentions)
