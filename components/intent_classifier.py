"""Intent classifier: TF-IDF-weighted word and character n-grams, logistic regression.

Rasa's LogisticRegressionClassifier fits raw counts with a fixed regularisation, and
it crashes on a message without features (an empty or whitespace-only text). This
one reweights the counts (sublinear TF, IDF, unit length) so that long messages and
common words do not dominate, makes the regularisation configurable, and answers
a featureless message with no intent, which the FallbackClassifier turns into
nlu_fallback. Measured against the alternatives in docs/benchmarks.md.

It reads only the sentence features it uses. Rasa's classifier asks each message for
all its sparse features, which also deep-copies and concatenates the per-token
(sequence) matrices of both featurizers, twice per message at prediction time: more
than half of the classifier's time (`python -m bench.profile_message`). The row is the
same as Rasa's `_create_X` builds: sparse sentence features in the order the
featurizers added them, then any dense ones.
"""

import logging
from typing import Any, Dict, List, Text

import skops.io as sio
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

logger = logging.getLogger(__name__)

# The IDF weights are stored as a sparse matrix, which skops reads as data, not code.
# Any other type that skops does not trust makes the model fail to load.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfIntentClassifier(LogisticRegressionClassifier):
    """Logistic regression over TF-IDF-weighted sparse features of the featurizers before it."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 30.0, "max_iter": 2000}

    def __init__(
        self,
        config: Dict[Text, Any],
        name: Text,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf = Pipeline(
            [
                ("tfidf", TfidfTransformer(sublinear_tf=True)),
                (
                    "logistic_regression",
                    LogisticRegression(
                        C=self.config["C"],
                        solver=self.config["solver"],
                        max_iter=self.config["max_iter"],
                        tol=self.config["tol"],
                        class_weight="balanced",
                        random_state=self.config["random_state"],
                    ),
                ),
            ]
        )

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TfidfIntentClassifier":
        component = cls(config, execution_context.node_name, model_storage, resource)
        with model_storage.read_from(resource) as model_dir:
            path = model_dir / f"{resource.name}.skops"
            untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
            if untrusted:
                raise ValueError(f"{path} holds types that are not trusted: {sorted(untrusted)}")
            component.clf = sio.load(path, trusted=TRUSTED_TYPES)
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the intent and ranking; a message without features gets no intent."""
        featured = []
        for message in messages:
            if has_sentence_features(message):
                featured.append(message)
            else:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
        if featured:
            super().process(featured)
        return messages

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        """One row per message (training and prediction): its sentence features."""
        return vstack([sentence_row(message) for message in messages], format="csr")


def has_sentence_features(message: Message) -> bool:
    return any(
        f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse()
        for f in message.features
    )


def sentence_row(message: Message) -> csr_matrix:
    """The message's sentence features of its text as one sparse row.

    Sparse sentence features first, then dense ones, each in the order the featurizers
    added them: the columns Rasa's training matrix has.
    """
    sparse: List[csr_matrix] = []
    dense: List[Any] = []
    for features in message.features:
        if features.attribute == TEXT and features.type == FEATURE_TYPE_SENTENCE:
            (sparse if features.is_sparse() else dense).append(features.features)
    return hstack([*sparse, *(csr_matrix(each) for each in dense)], format="csr")
