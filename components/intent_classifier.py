"""Intent classifier: TF-IDF word and character n-grams of the normalised tokens, logistic
regression, and the questions of a message that asks several things.

It reads the tokens the tokenizer made and their lemmas, which the project's spaCy pipeline
sets to the normalised word (Traditional script as Simplified, English spelling corrected,
lower case: spacy_pipeline/), and featurizes them itself: word unigrams and bigrams, and
character 1-4-grams within words, TF-IDF weighted (sublinear TF, IDF, unit length), into a
logistic regression with balanced class weights. Featurizing itself is what lets it read
each clause of a message on its own (components/questions.py): a message that asks two
card questions ("Which office, and is there a fee?") gets both, in order, under
`questions`; a message that states a place or greets and then asks one question, or
tells a story that it reads only unsurely as off topic around one, is classified as that
question; one that only states a place in Hong Kong, Macao or Taiwan, greets from there
or is nothing but such a place gets the answer for their residents; one that only names
the card and asks nothing ("a question about my social security card") gets what the
assistant can tell, one that only names another card ("metro card") is out of scope
(knowledge/naming_only.py); one that is nothing but acknowledgements, leave-taking or a
request for the menu ("awesome", "end chat", "菜单") is that (knowledge/whole_messages.py).
A message without words gets no intent, which the FallbackClassifier turns into
nlu_fallback (Rasa's LogisticRegressionClassifier crashes on it). The model is saved with
skops, and loading refuses any type skops does not trust beyond the ones listed here.
"""

import logging
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import numpy as np
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from components.fingerprint import source_fingerprint
from components.questions import QUESTIONS, asks_something, clauses
from knowledge.naming_only import load_naming_only
from knowledge.other_cards import load_other_cards
from knowledge.outside_the_mainland import load_outside_the_mainland
from knowledge.whole_messages import load_whole_messages
from spacy_pipeline.places import PLACE

logger = logging.getLogger(__name__)

# Intents that are no card question of their own: a clause classified as one of them does
# not count as a question of a compound message.
NOT_A_QUESTION = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "bot_challenge",
        "ask_help",
        "out_of_scope",
        "inform_region",
        "request_human",
    }
)
OUT_OF_SCOPE = "out_of_scope"
# Beside the card question of another clause, these leave the message to that question.
NO_QUESTION_OF_THEIR_OWN = frozenset({"greet", "thank", "inform_region"})
# A clause that reports something is a request even when it asks nothing ("I lost my card"),
# if the classifier is this sure of it.
REPORTS = frozenset({"report_lost_card", "report_damaged_card"})
REPORT_CONFIDENCE = 0.7
# Beside a report, a clause read as one of these asks for the new card ("card broken in half,
# can change new one"), which the report's answer covers: no question of its own.
PART_OF_A_REPORT = frozenset({"ask_process", "ask_change_details", "ask_moving", *REPORTS})
RANKING_LENGTH = 10
# A message read as only naming a place that also asks something gets the card question
# ranked next, if the classifier gives it at least this much.
PLACE_QUESTION_CONFIDENCE = 0.2
# A message read as off topic with less than this, whose one sure clause asks a card question
# that the whole message also ranks (at PLACE_QUESTION_CONFIDENCE or more), gets that question:
# "我家在中山路附近，补卡要带什么" is a question with a story around it, not chatter.
UNSURE_OUT_OF_SCOPE = 0.5
# The answer for a message that only names the card and asks nothing.
ASKS_NOTHING = "ask_help"
# The answer for a message that only names a place in Hong Kong, Macao or Taiwan.
FROM_OUTSIDE_THE_MAINLAND = "ask_foreigners"
# skops reads these as data; any other type it does not trust makes the model fail to load.
TRUSTED_TYPES = [
    "collections.defaultdict",
    "numpy.float64",
    "numpy.int64",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
]


def normalised_text(tokens: Sequence[Token]) -> str:
    """The tokens' normalised forms (their lemmas), separated by spaces."""
    return " ".join((token.lemma or token.text).lower() for token in tokens)


def unsurely_off_topic(
    intent: Dict[Text, Any], question: Dict[Text, Any], ranking: List[Dict[Text, Any]]
) -> bool:
    """The message leans off topic, unsurely, and also ranks its one sure clause's question."""
    return (
        intent["name"] == OUT_OF_SCOPE
        and intent["confidence"] < UNSURE_OUT_OF_SCOPE
        and any(
            c["name"] == question["name"] and c["confidence"] >= PLACE_QUESTION_CONFIDENCE
            for c in ranking
        )
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    """Logistic regression over TF-IDF n-grams of the normalised tokens, clause by clause."""

    @staticmethod
    def required_components() -> List[type]:
        return [Tokenizer]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Its code: Rasa's training cache reuses a trained classifier only if it is unchanged."""
        return source_fingerprint(
            "components.intent_classifier",
            "components.questions",
            "knowledge.other_cards",
            "knowledge.naming_only",
            "knowledge.whole_messages",
        )

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 30.0,
            "max_iter": 2000,
            "word_ngrams": [1, 2],
            "char_ngrams": [1, 4],
            # A clause must be this sure of a card question for the message to ask it.
            "clause_confidence": 0.6,
            "random_state": 42,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Optional[Pipeline] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline or self._new_pipeline()
        self._other_cards = load_other_cards()
        self._outside_the_mainland = load_outside_the_mainland()
        self._naming_only = load_naming_only()
        self._whole_messages = load_whole_messages()

    def _new_pipeline(self) -> Pipeline:
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(
                        token_pattern=r"\S+",
                        lowercase=False,
                        sublinear_tf=True,
                        ngram_range=tuple(self.config["word_ngrams"]),
                    ),
                ),
                (
                    "characters",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        lowercase=False,
                        sublinear_tf=True,
                        ngram_range=tuple(self.config["char_ngrams"]),
                    ),
                ),
            ]
        )
        classifier = LogisticRegression(
            C=self.config["C"],
            max_iter=self.config["max_iter"],
            class_weight="balanced",
            random_state=self.config["random_state"],
        )
        return Pipeline([("features", features), ("classifier", classifier)])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TfidfIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TOKENS_NAMES[TEXT])]
        texts = [normalised_text(m.get(TOKENS_NAMES[TEXT])) for m in examples]
        intents = [m.get(INTENT) for m in examples]
        if len(set(intents)) < 2:
            logger.warning("TfidfIntentClassifier needs two intents or more to train; not trained")
            return self._resource
        self.pipeline.fit(texts, intents)
        with self._model_storage.write_to(self._resource) as folder:
            sio.dump(self.pipeline, folder / "classifier.skops")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TfidfIntentClassifier":
        with model_storage.read_from(resource) as folder:
            path = folder / "classifier.skops"
            untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
            if untrusted:
                raise ValueError(f"{path} holds types that are not trusted: {sorted(untrusted)}")
            pipeline = sio.load(path, trusted=TRUSTED_TYPES)
        return cls(config, model_storage, resource, pipeline)

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the intent, the ranking and (for several questions) `questions`."""
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            text = normalised_text(tokens)
            if not text.strip() or not hasattr(self.pipeline, "classes_"):
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            ranking = self._ranking(text)
            intent = ranking[0]
            questions = self._questions(message.get(TEXT) or "", tokens)
            if len(questions) > 1:
                intent = questions[0]
                message.set(QUESTIONS, [q["name"] for q in questions], add_to_output=True)
            elif questions and (
                intent["name"] in NO_QUESTION_OF_THEIR_OWN
                or unsurely_off_topic(intent, questions[0], ranking)
            ):
                intent = questions[0]
            elif (
                questions
                and questions[0]["name"] in REPORTS
                and intent["name"] in PART_OF_A_REPORT | {OUT_OF_SCOPE}
            ):
                # "醫保卡弄丟了，明天還要去醫院複診，怎麼辦": the rest of the story outweighs
                # the report, but a clause is sure the card is lost or broken; "卡丢了，怎么
                # 重新办": asking for the new card is part of the report
                intent = questions[0]
            elif intent["name"] == "inform_region" and asks_something(
                message.get(TEXT) or "", text
            ):
                # "江苏泰州的卡去哪领": a place and a question in one clause; the place
                # outweighs the question's few words, but the message asks something: what
                # the words around the place ask, or else the card question ranked next.
                intent = (
                    self._question_beside_places(tokens, ranking)
                    or self._card_question(ranking)
                    or intent
                )
            ruled = (
                None if len(questions) > 1 else self._rule(message.get(TEXT) or "", text, intent)
            )
            if ruled:
                # a rule, not a guess: no follow-up to the previous answer either
                intent = {"name": ruled, "confidence": 1.0}
                ranking = [intent, *(c for c in ranking if c["name"] != ruled)]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def _rule(self, written: str, text: str, intent: Dict[Text, Any]) -> Optional[str]:
        """The intent a rule gives a message that asks one thing or none, if one does;
        `written` is the message as written, `text` its normalised words."""
        whole = self._whole_messages.intent_of(text)
        if whole:
            # "awesome", "end chat", "menu", "太好了": nothing but a conversational phrase
            return whole
        if self._naming_only.the_card(text):
            # "I have a question about my social security card", "社保卡的事": the card
            # named and nothing asked, which the classifier reads as a topic the name is
            # often asked with; what the assistant can tell is the answer
            return ASKS_NOTHING
        if self._naming_only.another_card(text):
            # "metro card", "问一下驾驶证的事": another card named, nothing asked
            return OUT_OF_SCOPE
        if self._other_cards.about_another_card(written, intent["name"]):
            # "银行卡丢了怎么办": a lost card, but another one
            return OUT_OF_SCOPE
        if self._from_outside_the_mainland(written, intent):
            # "我在香港", "hi, Macau": a place, but one where no mainland office issues
            # the card; its residents' answer
            return FROM_OUTSIDE_THE_MAINLAND
        return None

    def _from_outside_the_mainland(self, text: str, intent: Dict[Text, Any]) -> bool:
        """The message only states a place or greets, and names a place in Hong Kong,
        Macao or Taiwan, or is nothing but such a place ("臺北", read as off topic). Another
        message read as off topic stays so: "ferry from HK to Macau"."""
        outside = self._outside_the_mainland
        if intent["name"] in NO_QUESTION_OF_THEIR_OWN:
            return outside.named_in(text)
        return outside.only_named(text)

    def _question_beside_places(
        self, tokens: Sequence[Token], ranking: List[Dict[Text, Any]]
    ) -> Optional[Dict[Text, Any]]:
        """The card question that the words other than the place names ask, if the
        classifier is as sure of it as of a clause's question and the whole message
        ranks it among the likely ones ("and in Hangzhou?" asks nothing of its own)."""
        words = normalised_text([t for t in tokens if t.lemma != PLACE])
        if not words.strip():
            return None
        best = self._ranking(words)[0]
        if best["name"] in NOT_A_QUESTION or best["confidence"] < self.config["clause_confidence"]:
            return None
        likely = {c["name"] for c in ranking if c["confidence"] >= PLACE_QUESTION_CONFIDENCE / 2}
        return best if best["name"] in likely else None

    def _card_question(self, ranking: List[Dict[Text, Any]]) -> Optional[Dict[Text, Any]]:
        """The most likely card question of the ranking, if it is likely enough."""
        best = next((c for c in ranking if c["name"] not in NOT_A_QUESTION), None)
        return best if best and best["confidence"] >= PLACE_QUESTION_CONFIDENCE else None

    def _ranking(self, text: str) -> List[Dict[Text, Any]]:
        probabilities = self.pipeline.predict_proba([text])[0]
        order = np.argsort(probabilities)[::-1][:RANKING_LENGTH]
        classes = self.pipeline.classes_
        return [{"name": str(classes[i]), "confidence": float(probabilities[i])} for i in order]

    def _questions(self, text: str, tokens: Sequence[Token]) -> List[Dict[Text, Any]]:
        """The card questions of the message's clauses, each once, in order."""
        spans = clauses(text)
        if len(spans) < 2:
            return []
        found: List[Dict[Text, Any]] = []
        # A clause asks with the question mark that ends it ("and cost?"): it is read up to
        # where the next clause begins.
        ends_with_mark = [next_start for next_start, _ in spans[1:]] + [len(text)]
        # A clause that only states something is read with the question after it, unless
        # together they ask no card question: "换城市了，卡还能用吗" asks whether the card
        # works after a move.
        statement_start: Optional[int] = None
        for (start, end), written_end in zip(spans, ends_with_mark):
            clause = normalised_text([t for t in tokens if t.start >= start and t.end <= end])
            if not clause.strip():
                continue
            best = self._ranking(clause)[0]
            asks = asks_something(text[start:written_end], clause)
            if asks and statement_start is not None:
                with_statement = normalised_text(
                    [t for t in tokens if t.start >= statement_start and t.end <= end]
                )
                read_together = self._ranking(with_statement)[0]
                best = read_together if self._is_question(read_together) else best
            reports = best["name"] in REPORTS and best["confidence"] >= REPORT_CONFIDENCE
            statement_start = None if asks or reports else start
            if (
                self._is_question(best)
                and (asks or reports)
                and all(q["name"] != best["name"] for q in found)
            ):
                found.append(best)
        report = next((q for q in found if q["name"] in REPORTS), None)
        if report:
            found = [q for q in found if q is report or q["name"] not in PART_OF_A_REPORT]
        return found

    def _is_question(self, best: Dict[Text, Any]) -> bool:
        """Whether a clause's best reading is a card question, sure enough to count."""
        return (
            best["name"] not in NOT_A_QUESTION
            and best["confidence"] >= self.config["clause_confidence"]
        )

    @property
    def classes(self) -> Tuple[str, ...]:
        return tuple(getattr(self.pipeline, "classes_", ()))
