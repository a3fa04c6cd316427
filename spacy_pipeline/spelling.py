"""English spelling correction for the classifier: "socail securty" reads as "social security".

A spaCy component after the tokenizer. An English word that is not in the dictionary —
symspellpy's English frequency dictionary (its more common words), the card's own
vocabulary (hukou, shebao ...) and every romanised place name — is replaced, in the token's
lemma only, by the most frequent dictionary word within one edit (two for words of eight
letters or more). Known words are never changed, so a real word is never "corrected" into
another ("human" stays "human", "Hunan" stays "Hunan"), and place names and domain terms are
dictionary words. The token's text stays as written; places are found in the written text
by the knowledge module. The dictionary is built once by spacy_pipeline.build and saved
with the pipeline.
"""

from pathlib import Path
from typing import Dict, Iterable, Union

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from symspellpy import SymSpell, Verbosity

FACTORY = "sscard_spelling"
DICTIONARY_FILE = "words.json"
# symspellpy's English frequency dictionary, restricted to words at least this frequent:
# 22,000 words load in a second (54,000 take three, at every model load) and cover what
# people write here; a rarer word is only "corrected" if it is one edit from a common one.
MIN_WORD_COUNT = 1_000_000
# Domain words and place names count as very common words, so that they win a tie.
DOMAIN_WORD_COUNT = 10_000_000_000
MIN_LENGTH = 4
LONG_WORD = 8


def english_frequency_words(min_count: int = MIN_WORD_COUNT) -> Dict[str, int]:
    """symspellpy's bundled English word frequencies, the words counted min_count or more."""
    import symspellpy

    path = Path(symspellpy.__file__).with_name("frequency_dictionary_en_82_765.txt")
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, count = line.split()
        if int(count) >= min_count:
            words[word] = int(count)
    return words


class SpellingCorrector:
    """Corrects the lemma of misspelt English words against a frequency dictionary."""

    def __init__(self, nlp: Language, name: str = FACTORY) -> None:
        self.name = name
        self.words: Dict[str, int] = {}
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)

    def add_words(self, counts: Dict[str, int]) -> None:
        for word, count in counts.items():
            word = word.lower()
            if word and count > self.words.get(word, 0):
                self.words[word] = count
                self._symspell.create_dictionary_entry(word, count)

    def add_domain_words(self, words: Iterable[str]) -> None:
        self.add_words({word.lower(): DOMAIN_WORD_COUNT for word in words if word.isascii()})

    def correct(self, word: str) -> str:
        """The dictionary word a misspelt English word stands for, or the word itself."""
        lower = word.lower()
        if (
            len(lower) < MIN_LENGTH
            or not lower.isalpha()
            or not lower.isascii()
            or lower in self.words
        ):
            return lower
        distance = 2 if len(lower) >= LONG_WORD else 1
        suggestions = self._symspell.lookup(lower, Verbosity.TOP, max_edit_distance=distance)
        return suggestions[0].term if suggestions else lower

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if token.is_alpha and token.text.isascii():
                token.lemma_ = self.correct(token.text)
        return doc

    def to_disk(self, path: Union[str, Path], **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / DICTIONARY_FILE, self.words)

    def from_disk(self, path: Union[str, Path], **kwargs) -> "SpellingCorrector":
        self.add_words(srsly.read_json(Path(path) / DICTIONARY_FILE))
        return self


@Language.factory(FACTORY)
def make_spelling(nlp: Language, name: str) -> SpellingCorrector:
    """spaCy factory (entry point `spacy_factories`): an empty dictionary, filled by
    spacy_pipeline.build or read back by `from_disk`."""
    return SpellingCorrector(nlp, name)
