"""Accuracy gates on held-out test sets that the model never saw in training."""

import pytest

from evaluation.follow_ups import evaluate_follow_ups, follow_up_files, read_follow_ups
from evaluation.leaks import near_duplicates
from evaluation.nlu import (
    COMPOUND_SEPARATOR,
    LANGUAGES,
    ROOT,
    TEST_SETS,
    evaluate,
    evaluate_files,
    examples_of,
    held_out_files,
    parse_all,
)
from evaluation.places import evaluate_places
from tests.servers import MODEL

# Floors a retrained model must keep, a little under what the held-out sets measure
# (README "Understanding as people write": `make evaluate SETS=test`). A floor is raised
# when a change measured on the development sets lifts the figure, never lowered to let a
# change through.
MIN_ACCURACY = {"en": 0.92, "zh": 0.94}  # the floors of issue 11
# Of the messages answered "that is not something I cover", how many really were not about
# the card (a card question wrongly refused is the worse mistake), and of the real
# out-of-scope questions, how many were refused instead of answered as a card topic.
MIN_OUT_OF_SCOPE_PRECISION = {"en": 0.89, "zh": 0.94}
MIN_OUT_OF_SCOPE_RECALL = {"en": 0.97, "zh": 0.94}
MIN_COMPOUND = {"en": 0.80, "zh": 0.88}  # every question of the message, in order
MIN_FOLLOW_UPS = {"en": 0.72, "zh": 0.80}  # answered in the context of the previous turn
MIN_PLACES = 0.95  # recall and precision on the resolved division, not on "some place"


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


@pytest.mark.parametrize("language", LANGUAGES)
def test_out_of_scope_is_refused_and_card_questions_are_not(evaluations, language):
    result = evaluations[language]
    assert result.out_of_scope_precision >= MIN_OUT_OF_SCOPE_PRECISION[language], result.report()
    assert result.out_of_scope_recall >= MIN_OUT_OF_SCOPE_RECALL[language], result.report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_of_a_compound_message_is_answered_in_order(agent, language):
    compound = [e for e in examples_of(held_out_files(language)) if COMPOUND_SEPARATOR in e.intent]
    assert len(compound) >= 20
    result = evaluate(compound, parse_all(agent.parse_message, [e.text for e in compound]))
    assert result.accuracy >= MIN_COMPOUND[language], result.report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_follow_ups_are_answered_in_the_context_of_the_previous_answer(agent, language):
    follow_ups = read_follow_ups(follow_up_files(language, "test"))
    assert len(follow_ups) >= 40
    scores = evaluate_follow_ups(agent.parse_message, follow_ups, language)
    assert scores.accuracy >= MIN_FOLLOW_UPS[language], scores.report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_places_are_read_as_the_right_division(language):
    from knowledge import load_knowledge

    files = sorted(TEST_SETS.glob(f"test_places*_{language}.yml"))
    scores = evaluate_places(load_knowledge().regions, examples_of(files))
    assert scores.annotated >= 60
    assert scores.recall >= MIN_PLACES and scores.precision >= MIN_PLACES, scores.report()
