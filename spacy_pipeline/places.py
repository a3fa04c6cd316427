"""Place names read as "a place" by the classifier: "I'm in Yanta District" and "I'm in
Haidian District" are the same question to it.

A spaCy component after the spelling corrector. A token that is the name of a division
(a Chinese form, as the tokenizer's dictionary keeps it whole, or a one-word romanised
name that is no everyday English word) gets the lemma PLACE; its text stays as written,
and the knowledge module still finds and resolves the place itself in the written text.
Without it, the thousands of place names the training data cannot all contain make a
question about an unseen place look unfamiliar, and it falls back. The word lists come
from the knowledge module and are saved with the pipeline.
"""

import re
from pathlib import Path
from typing import Iterable, Set, Union

import srsly
from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "sscard_places"
# Xi'an and Xian are one name.
_APOSTROPHES = re.compile(r"['’\-]")
PLACE = "__place__"
WORDS_FILE = "place_words.json"


class PlaceMarker:
    """Sets the lemma of place-name tokens to PLACE."""

    def __init__(self, nlp: Language, name: str = FACTORY) -> None:
        self.name = name
        self.words: Set[str] = set()

    def add_words(self, words: Iterable[str]) -> None:
        self.words.update(_APOSTROPHES.sub("", word.lower()) for word in words if word)

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if _APOSTROPHES.sub("", token.lemma_.lower()) in self.words:
                token.lemma_ = PLACE
        return doc

    def to_disk(self, path: Union[str, Path], **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / WORDS_FILE, sorted(self.words))

    def from_disk(self, path: Union[str, Path], **kwargs) -> "PlaceMarker":
        self.add_words(srsly.read_json(Path(path) / WORDS_FILE))
        return self


@Language.factory(FACTORY)
def make_place_marker(nlp: Language, name: str) -> PlaceMarker:
    """spaCy factory (entry point `spacy_factories`): an empty word list, filled by
    spacy_pipeline.build or read back by `from_disk`."""
    return PlaceMarker(nlp, name)
