"""A tokenizer for English and Chinese in one pass.

Chinese has no spaces, so runs of Han characters are segmented with jieba, using a
user dictionary of the card's vocabulary and every Chinese place name, so that
社保卡, 人社局 or 乌鲁木齐 stay whole. Everything else is split into words and
punctuation, as a whitespace language would be.
"""
import logging
import re
from typing import Callable, Iterator, List

import jieba
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from knowledge import load_knowledge

REGISTERED_NAME = "sscard.BilingualTokenizer.v1"

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_OTHER_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|\S", re.UNICODE)
# A high frequency makes jieba prefer the dictionary word over its own splits.
_USER_WORD_FREQUENCY = 100_000


def domain_segmenter() -> jieba.Tokenizer:
    """A jieba segmenter that knows the card's vocabulary and every Chinese place name."""
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    knowledge = load_knowledge()
    for word in [*knowledge.vocabulary, *knowledge.regions.chinese_names()]:
        segmenter.add_word(word, freq=_USER_WORD_FREQUENCY)
    return segmenter


class BilingualTokenizer:
    """spaCy tokenizer: jieba for Han characters, words and punctuation for the rest."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.segmenter = domain_segmenter()

    def __call__(self, text: str) -> Doc:
        words = list(self._words(text))
        if not words:
            return Doc(self.vocab, words=[], spaces=[])
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _words(self, text: str) -> Iterator[str]:
        position = 0
        for han in _HAN_RUN.finditer(text):
            yield from _OTHER_TOKEN.findall(text[position : han.start()])
            yield from self.segmenter.cut(han.group(0), HMM=True)
            position = han.end()
        yield from _OTHER_TOKEN.findall(text[position:])

    # spaCy serialises tokenizers with the pipeline; this one is rebuilt from the
    # knowledge module instead, so there is nothing to write.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "BilingualTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "BilingualTokenizer":
        return self


def create_bilingual_tokenizer() -> Callable[..., BilingualTokenizer]:
    """spaCy registry factory (entry point `spacy_tokenizers`)."""

    def make(nlp) -> BilingualTokenizer:
        return BilingualTokenizer(nlp.vocab)

    return make


def tokenize_words(text: str, tokenizer: BilingualTokenizer) -> List[str]:
    return [token.text for token in tokenizer(text)]
