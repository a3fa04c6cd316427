"""A tokenizer for English and Chinese in one pass.

Chinese has no spaces, so runs of Han characters are segmented with jieba, using a
user dictionary of the card's vocabulary and every Chinese place name, so that
社保卡, 人社局 or 乌鲁木齐 stay whole. Traditional characters (社保卡遺失, 臺州) are read as
Simplified ones (OpenCC, character for character, so every token keeps its place in the
text): the dictionaries and the training data are Simplified. Everything else is split into
words and punctuation, as a whitespace language would be. Each token's lemma is its
normalised form (Simplified, lower case), which the classifier reads.

The user dictionary is part of the pipeline: `spacy_pipeline.build` fills it from the
knowledge module, and it is written with the pipeline (`to_disk`) and read back from
there (`from_disk`), so a built pipeline — and the Rasa model that packages it
(components/spacy_nlp.py) — tokenizes the same way whatever the knowledge files say later.
"""

import logging
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Tuple, Union

import jieba
import srsly
from opencc import OpenCC
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

REGISTERED_NAME = "sscard.BilingualTokenizer.v1"
USER_DICTIONARY = "user_dictionary.json"

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_OTHER_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|\S", re.UNICODE)
# A high frequency makes jieba prefer the dictionary word over its own splits.
_USER_WORD_FREQUENCY = 100_000


class BilingualTokenizer:
    """spaCy tokenizer: jieba for Han characters, words and punctuation for the rest."""

    def __init__(self, vocab: Vocab, user_words: Iterable[str] = (), simplify: bool = True) -> None:
        self.vocab = vocab
        self.simplify = simplify
        self._to_simplified = OpenCC("t2s")
        self.user_words: List[str] = []
        jieba.setLogLevel(logging.WARNING)
        self.segmenter = jieba.Tokenizer()
        self.add_user_words(user_words)

    def add_user_words(self, words: Iterable[str]) -> None:
        """Words that segmentation keeps whole (the card's vocabulary, place names)."""
        for word in words:
            if word and word not in self.user_words:
                self.user_words.append(word)
                self.segmenter.add_word(word, freq=_USER_WORD_FREQUENCY)

    def __call__(self, text: str) -> Doc:
        pairs = list(self._words(text))
        if not pairs:
            return Doc(self.vocab, words=[], spaces=[])
        words, spaces = get_words_and_spaces([word for word, _ in pairs], text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for token, (_, normal) in zip(doc, pairs):
            token.lemma_ = normal
        return doc

    def _words(self, text: str) -> Iterator[Tuple[str, str]]:
        """(the token as written, its normalised form) for every token."""
        position = 0
        for han in _HAN_RUN.finditer(text):
            yield from ((w, w.lower()) for w in _OTHER_TOKEN.findall(text[position : han.start()]))
            written = han.group(0)
            simple = self.simplified(written)
            offset = 0
            for word in self.segmenter.cut(simple, HMM=True):
                yield written[offset : offset + len(word)], word
                offset += len(word)
            position = han.end()
        yield from ((w, w.lower()) for w in _OTHER_TOKEN.findall(text[position:]))

    def simplified(self, han: str) -> str:
        """A run of Han characters in Simplified script, of the same length."""
        if not self.simplify:
            return han
        converted = self._to_simplified.convert(han)
        if len(converted) == len(han):
            return converted
        return "".join(
            c if len(c) == 1 else ch
            for ch, c in ((ch, self._to_simplified.convert(ch)) for ch in han)
        )

    def to_bytes(self, **kwargs) -> bytes:
        return srsly.json_dumps(self._state()).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs) -> "BilingualTokenizer":
        return self._restore(srsly.json_loads(data.decode("utf-8")))

    def to_disk(self, path: Union[str, Path], **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / USER_DICTIONARY, self._state())

    def from_disk(self, path: Union[str, Path], **kwargs) -> "BilingualTokenizer":
        return self._restore(srsly.read_json(Path(path) / USER_DICTIONARY))

    def _state(self) -> dict:
        return {"user_words": self.user_words, "simplify": self.simplify}

    def _restore(self, state: dict) -> "BilingualTokenizer":
        self.add_user_words(state["user_words"])
        self.simplify = state.get("simplify", True)
        return self


def create_bilingual_tokenizer() -> Callable[..., BilingualTokenizer]:
    """spaCy registry factory (entry point `spacy_tokenizers`): an empty dictionary,
    filled by `spacy_pipeline.build` or read back by `from_disk`."""

    def make(nlp) -> BilingualTokenizer:
        return BilingualTokenizer(nlp.vocab)

    return make
