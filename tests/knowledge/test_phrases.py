"""knowledge/phrases.py: a message read as a row of known phrases."""

import pytest

from knowledge.phrases import Phrases, words

PHRASES = Phrases({"ok": "yes", "k": "yes", "roger": "yes", "好的": "yes", "拜拜": "bye"})


@pytest.mark.parametrize(
    "text, written",
    [("OK, 好 的!", "ok 好的"), ("太 好 了", "太好了"), ("I'm", "i m"), ("臺北 👍", "台北")],
)
def test_words_are_compared_lower_case_simplified_and_chinese_run_together(text, written):
    assert words(text) == written


@pytest.mark.parametrize(
    "text, kinds",
    [("ok", {"yes"}), ("ok k roger", {"yes"}), ("好的拜拜", {"yes", "bye"}), ("ok好的", {"yes"})],
)
def test_a_row_of_phrases_gives_their_kinds(text, kinds):
    assert PHRASES.kinds_of(words(text)) == kinds


@pytest.mark.parametrize("text", ["kroger", "okay", "ok then", "好的呀"])
def test_a_word_of_no_phrase_or_a_phrase_inside_a_word_gives_none(text):
    assert PHRASES.kinds_of(words(text)) is None
