"""components/intent_classifier.py: the same feature rows as Rasa's, intents, no crash."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.intent_classifier import TfidfIntentClassifier, sentence_row

EXAMPLES = {
    "ask_materials": [
        "what documents do I need",
        "which materials should I bring",
        "what do I need to bring for the card",
        "documents needed for application",
    ],
    "report_lost_card": [
        "I lost my card",
        "my card is lost",
        "someone stole my card",
        "I cannot find my social security card",
    ],
    "ask_hotline": [
        "what is the phone number",
        "which number can I call",
        "hotline number please",
        "can I call someone",
    ],
}


@pytest.fixture()
def pipeline(tmp_path):
    """A tokenizer and the project's two kinds of count featurizers, trained on EXAMPLES."""
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizers = [
        CountVectorsFeaturizer.create(
            {**CountVectorsFeaturizer.get_default_config(), **config},
            storage,
            Resource(name),
            context,
        )
        for name, config in [
            ("words", {"ngram_range": [1, 2]}),
            ("chars", {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}),
        ]
    ]
    data = TrainingData(
        [Message.build(text, intent) for intent, texts in EXAMPLES.items() for text in texts]
    )
    tokenizer.process_training_data(data)
    for featurizer in featurizers:
        featurizer.train(data)
        featurizer.process_training_data(data)

    def featurize(text):
        message = Message(data={TEXT: text})
        tokenizer.process([message])
        for featurizer in featurizers:
            featurizer.process([message])
        return message

    return storage, context, data, featurize


def test_a_row_is_what_rasas_classifier_builds(pipeline):
    _, _, _, featurize = pipeline
    message = featurize("where is my lost card, what number do I call")
    # A dense sentence feature as well, as a SpacyFeaturizer would add: it comes last.
    message.add_features(Features(np.array([[0.5, -1.0]]), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
    ours = sentence_row(message)
    rasas = LogisticRegressionClassifier._create_X(None, [message])
    assert ours.shape == rasas.shape
    assert (ours != rasas).nnz == 0


def test_trained_classifier_names_the_intent_and_ranks_the_others(pipeline):
    storage, context, data, featurize = pipeline
    classifier = TfidfIntentClassifier.create(
        TfidfIntentClassifier.get_default_config(), storage, Resource("clf"), context
    )
    classifier.train(data)
    lost, number = featurize("I have lost the card"), featurize("the phone number to call")
    classifier.process([lost, number])
    assert lost.get("intent")["name"] == "report_lost_card"
    assert number.get("intent")["name"] == "ask_hotline"
    ranking = [entry["name"] for entry in number.get("intent_ranking")]
    assert sorted(ranking) == sorted(EXAMPLES)


def test_a_message_without_features_gets_no_intent_instead_of_a_crash(pipeline):
    storage, context, data, featurize = pipeline
    classifier = TfidfIntentClassifier.create(
        TfidfIntentClassifier.get_default_config(), storage, Resource("clf"), context
    )
    classifier.train(data)
    empty, lost = Message(data={TEXT: ""}), featurize("I lost my card")
    classifier.process([empty, lost])
    assert empty.get("intent") == {"name": None, "confidence": 0.0}
    assert empty.get("intent_ranking") == []
    assert lost.get("intent")["name"] == "report_lost_card"
