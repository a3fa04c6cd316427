"""Accuracy gates on held-out test sets that the model never saw in training."""

import pytest

from evaluation.leaks import near_duplicates
from evaluation.nlu import LANGUAGES, ROOT, evaluate_files, examples_of, held_out_files
from tests.servers import MODEL

# Floors a retrained model must keep; the measured figures are in docs/benchmarks.md.
MIN_ACCURACY = {"en": 0.85, "zh": 0.85}


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL))


@pytest.fixture(scope="module")
def evaluations(agent):
    return {
        language: evaluate_files(agent.parse_message, held_out_files(language))
        for language in LANGUAGES
    }


def training_sentences():
    return [example.text for example in examples_of(sorted((ROOT / "data" / "nlu").rglob("*.yml")))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_test_sentence_is_in_the_training_data_even_nearly(language):
    tests = [example.text for example in examples_of(held_out_files(language))]
    leaked = near_duplicates(tests, training_sentences())
    assert not leaked, "\n".join(
        f"{score:.0f}: {test!r} ~ {train!r}" for test, train, score in leaked
    )


def test_the_leak_check_catches_copies_that_differ_in_case_punctuation_script_and_a_typo():
    training = ["How do I get a card for my son?", "社保卡丢了怎么办"]
    assert near_duplicates(["how do i get a card for my son"], training)
    assert near_duplicates(["How do I get a crad for my son?"], training)
    assert near_duplicates(["社保卡丟了怎麼辦"], training)
    assert not near_duplicates(["what documents does a foreigner need"], training)


@pytest.mark.parametrize("language", LANGUAGES)
def test_intent_accuracy_on_the_held_out_test_set(evaluations, language):
    result = evaluations[language]
    assert result.accuracy >= MIN_ACCURACY[language], f"{language}: {result.report()}"
