"""components/recent_turns_rule_policy.py predicts exactly what RulePolicy predicts."""

import random

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.training import load_data
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from components.recent_turns_rule_policy import RecentTurnsRulePolicy, recent_turns
from tests.servers import ROOT

CONFIG = {
    "core_fallback_threshold": 0.3,
    "core_fallback_action_name": "action_answer",
    "enable_fallback_prediction": True,
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Both policies trained on the project's domain, rules and stories."""
    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(ROOT / "domain.yml"),
        training_data_paths=[str(ROOT / "data" / "rules.yml"), str(ROOT / "data" / "stories.yml")],
    )
    domain = importer.get_domain()
    trackers = load_data(importer, domain, augmentation_factor=0)
    storage = LocalModelStorage(tmp_path_factory.mktemp("policies"))
    context = ExecutionContext(GraphSchema({}), "test")
    policies = []
    for cls in (RulePolicy, RecentTurnsRulePolicy):
        policy = cls.create(
            {**cls.get_default_config(), **CONFIG}, storage, Resource(cls.__name__), context
        )
        policy.train(trackers, domain)
        policies.append(policy)
    return domain, policies


def user(intent, confidence=0.9, region=None):
    entities = [{"entity": "region", "value": region, "start": 0, "end": 1}] if region else []
    return UserUttered(f"text of {intent}", {"name": intent, "confidence": confidence}, entities)


def answer_turn(intent, confidence=0.9, region=None):
    return [
        user(intent, confidence, region),
        ActionExecuted("action_answer"),
        BotUttered("an answer"),
        SlotSet("topic", intent),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


def a_long_conversation(domain, seed):
    """60 turns over every intent, with low confidence, places, a /back, a restart and
    a new session along the way."""
    chance = random.Random(seed)
    intents = [intent for intent in domain.intents if intent not in ("restart", "back")]
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]
    for turn in range(60):
        intent = chance.choice(intents)
        confidence = chance.choice([0.9, 0.9, 0.2])  # 0.2: below the core fallback threshold
        events += answer_turn(intent, confidence, "Wuhan" if intent == "inform_region" else None)
        if turn == 20:
            events += [
                user("ask_hotline"),
                UserUtteranceReverted(),
                ActionExecuted(ACTION_LISTEN_NAME),
            ]
        if turn == 35:
            events += [Restarted(), ActionExecuted(ACTION_LISTEN_NAME)]
        if turn == 45:
            events += [
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted(ACTION_LISTEN_NAME),
            ]
    return events


def predictions(policy, domain, tracker):
    prediction = policy.predict_action_probabilities(tracker, domain)
    return prediction.probabilities, prediction.is_end_to_end_prediction, prediction.policy_priority


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_prediction_of_a_long_conversation_is_rule_policy_s(trained, seed):
    domain, (rule_policy, recent_policy) = trained
    events = a_long_conversation(domain, seed)
    tracker = DialogueStateTracker("someone", domain.slots)
    compared = 0
    for event in events:
        tracker.update(event, domain)
        if isinstance(event, (UserUttered, ActionExecuted)):
            expected = predictions(rule_policy, domain, tracker)
            assert (
                predictions(recent_policy, domain, tracker) == expected
            ), f"after {len(tracker.events)} events"
            compared += 1
    assert compared >= 180  # 60 turns: the question, the answer, the listen


def test_after_a_question_it_answers_and_after_the_answer_it_listens(trained):
    domain, (_, recent_policy) = trained
    events = a_long_conversation(domain, 4)
    tracker = DialogueStateTracker.from_events("someone", events, domain.slots)
    tracker.update(user("ask_materials"), domain)
    probabilities = recent_policy.predict_action_probabilities(tracker, domain).probabilities
    assert domain.action_names_or_texts[probabilities.index(max(probabilities))] == "action_answer"
    tracker.update(ActionExecuted("action_answer"), domain)
    probabilities = recent_policy.predict_action_probabilities(tracker, domain).probabilities
    assert (
        domain.action_names_or_texts[probabilities.index(max(probabilities))] == ACTION_LISTEN_NAME
    )


def test_the_window_is_short_and_the_whole_tracker_is_kept_when_it_must_be(trained):
    domain, _ = trained
    events = a_long_conversation(domain, 5)
    tracker = DialogueStateTracker.from_events("someone", events, domain.slots)
    window = recent_turns(tracker, domain, 3)
    assert sum(isinstance(event, UserUttered) for event in window.events) == 3
    assert window.latest_message == tracker.latest_message
    # A slot that steers the conversation would be missing from the window's states.
    steering = Domain.from_dict(
        {
            **domain.as_dict(),
            "slots": {
                "region": {
                    "type": "text",
                    "influence_conversation": True,
                    "mappings": [{"type": "custom"}],
                }
            },
        }
    )
    assert recent_turns(tracker, steering, 3) is tracker
    # A restart among the recent turns: Rasa replays from the restart.
    restarted = DialogueStateTracker.from_events(
        "someone",
        [*events, Restarted(), ActionExecuted(ACTION_LISTEN_NAME), *answer_turn("greet")],
        domain.slots,
    )
    assert recent_turns(restarted, domain, 3) is restarted
    # A session shorter than the window.
    short = DialogueStateTracker.from_events("someone", events[:8], domain.slots)
    assert recent_turns(short, domain, 3) is short
