"""Places in Hong Kong, Macao and Taiwan: "我在香港", "hi, Macau", "live in Kowloon".

No mainland division issues the card there, so the region directory does not hold them;
their residents get a card where they work or live on the mainland, which the answer for
foreigners and Hong Kong, Macao and Taiwan residents gives. The names come from
knowledge/data/vocabulary.yml; the classifier applies the rule
(components/intent_classifier.py).
"""

import re
from pathlib import Path
from typing import Iterable

from knowledge.base import DATA_DIR, _load
from knowledge.regions import simplified
from knowledge.schema import VocabularyFile


class OutsideTheMainland:
    """Whether a message names a place in Hong Kong, Macao or Taiwan."""

    def __init__(self, names: Iterable[str], saying_where: Iterable[str] = ()) -> None:
        forms = sorted({name.lower() for name in names if name}, key=len, reverse=True)
        chinese = [f for f in forms if not f.isascii()]
        english = [f for f in forms if f.isascii()]
        alternatives = [re.escape(f) for f in chinese] + [
            r"\b" + r"\s*".join(map(re.escape, f.split())) + r"\b" for f in english
        ]
        self._pattern = re.compile("|".join(alternatives) or r"(?!)")
        # "i'm from" is written as the message's words are compared: "i m from"
        leads = sorted({_words(w) for w in saying_where if w}, key=len, reverse=True)
        lead = "|".join(r"\s*".join(map(re.escape, w.split())) for w in leads)
        self._whole = re.compile(
            (f"(?:(?:{lead})\\s*)?" if lead else "") + f"(?:{self._pattern.pattern})(?:人|市)?"
        )

    def named_in(self, text: str) -> bool:
        return bool(self._pattern.search(simplified(text).lower()))

    def only_named(self, text: str) -> bool:
        """The message is nothing but such a place ("臺北", "Taipei", "高雄人"), or only
        says one is from or lives there ("from Kaohsiung", "我来自高雄")."""
        return bool(self._whole.fullmatch(_words(simplified(text))))


def _words(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def load_outside_the_mainland(data_dir: Path = DATA_DIR) -> OutsideTheMainland:
    vocabulary = _load(Path(data_dir) / "vocabulary.yml", VocabularyFile)
    return OutsideTheMainland(vocabulary.outside_the_mainland, vocabulary.saying_where_one_is)
