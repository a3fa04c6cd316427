"""Accuracy gates on test sets that the model never saw in training."""
import pytest

from tests.nlu.evaluation import TEST_SETS, evaluate, read_examples
from tests.servers import MODEL, ROOT

# Floors a retrained model must keep; the measured figures are in docs/benchmarks.md.
MIN_ACCURACY = {"en": 0.85, "zh": 0.85}
MIN_REGION_RECALL = 0.9


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL))


def test_no_test_sentence_is_in_the_training_data():
    training = {text.lower() for path in (ROOT / "data").glob("nlu*.yml")
                for text, _, _ in read_examples(path)}
    for language in MIN_ACCURACY:
        leaked = [t for t, _, _ in read_examples(TEST_SETS / f"test_{language}.yml")
                  if t.lower() in training]
        assert not leaked


@pytest.mark.parametrize("language", sorted(MIN_ACCURACY))
def test_intent_accuracy_on_the_held_out_test_set(agent, language):
    result = evaluate(agent, language)
    report = "\n".join(f"  {text!r}: expected {want}, got {got}" for text, want, got in result.errors)
    assert result.accuracy >= MIN_ACCURACY[language], (
        f"{language} accuracy {result.accuracy:.3f}, macro F1 {result.macro_f1:.3f}\n{report}")


@pytest.mark.parametrize("language", sorted(MIN_ACCURACY))
def test_places_named_in_test_sentences_are_recognised(agent, language):
    assert evaluate(agent, language).region_recall >= MIN_REGION_RECALL
