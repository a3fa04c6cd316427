"""The project's spaCy pipeline: built from the knowledge module, loaded from its folder."""

import pytest
import spacy

from spacy_pipeline.build import build_pipeline


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spacy_pipeline")
    build_pipeline().to_disk(folder)
    return spacy.load(folder)  # the tokenizer comes back through the package's entry point


@pytest.mark.parametrize(
    "text, whole_words",
    [
        ("社保卡丢了咋办", ["社保卡"]),
        ("人社局在哪里", ["人社局"]),
        ("我在乌鲁木齐办电子社保卡", ["乌鲁木齐", "电子社保卡"]),
        ("社会保障卡临时挂失", ["社会保障卡", "临时挂失"]),
    ],
)
def test_chinese_is_segmented_keeping_the_domain_terms_whole(nlp, text, whole_words):
    tokens = [token.text for token in nlp(text)]
    assert "".join(tokens) == text
    for word in whole_words:
        assert word in tokens


def test_english_is_split_into_words_and_punctuation(nlp):
    assert [t.text for t in nlp("Where's my e-card? In Xi'an.")] == [
        "Where's",
        "my",
        "e-card",
        "?",
        "In",
        "Xi'an",
        ".",
    ]


def test_the_user_dictionary_is_saved_with_the_pipeline_and_read_back_from_it(tmp_path):
    from spacy_pipeline.build import build_pipeline

    nlp = build_pipeline()
    nlp.tokenizer.add_user_words(["卡卡卡卡"])
    nlp.to_disk(tmp_path)
    loaded = spacy.load(tmp_path)
    assert loaded.tokenizer.user_words == nlp.tokenizer.user_words
    assert "卡卡卡卡" in [token.text for token in loaded("我的卡卡卡卡呢")]
    # A blank tokenizer that has not read the folder keeps nothing of it.
    assert "卡卡卡卡" not in [
        token.text
        for token in spacy.blank(
            "xx", config={"nlp": {"tokenizer": {"@tokenizers": "sscard.BilingualTokenizer.v1"}}}
        )("我的卡卡卡卡呢")
    ]


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\x01", "😀" * 50, "<b>hi</b>" * 500, "卡" * 12000]
)
def test_any_text_tokenizes_without_error(nlp, text):
    doc = nlp(text)
    assert doc.text == text or not text.strip()


@pytest.mark.parametrize(
    "text, lemmas",
    [
        ("socail securty cerd", ["social", "security", "card"]),
        # Chinese written in pinyin keeps its words: not "corrected" into a place
        # (shenme -> Shenmu, nali -> Ali) nor read as one (liucheng is 流程, not 柳城县).
        (
            "shebaoka shenqing liucheng shi shenme",
            ["shebaoka", "shenqing", "liucheng", "shi", "shenme"],
        ),
        ("mima zenme chongzhi", ["mima", "zenme", "chongzhi"]),
        ("banli shebaoka zai nali", ["banli", "shebaoka", "zai", "nali"]),
    ],
)
def test_english_is_spelt_right_and_pinyin_words_stay_words(nlp, text, lemmas):
    assert [token.lemma_ for token in nlp(text)] == lemmas


@pytest.mark.parametrize("text", ["I live in Shenyang", "im in Shenyng"])
def test_a_place_named_in_english_or_pinyin_is_still_a_place(nlp, text):
    assert "__place__" in [token.lemma_ for token in nlp(text)]
