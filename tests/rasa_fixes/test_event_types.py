"""channels/event_types.py: the remembered lookup answers exactly as Rasa's own."""

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses

import rasa_fixes
from rasa_fixes import event_types

rasa_fixes.install()

rasa_lookup = event_types._rasa_resolve_by_type


def test_it_is_installed_with_the_fixes():
    assert Event.resolve_by_type is event_types.resolve_by_type


@pytest.mark.parametrize("cls", all_subclasses(Event), ids=lambda cls: cls.__name__)
def test_every_event_type_resolves_to_the_class_rasa_finds(cls):
    # Twice: the first call fills the memory, the second answers from it.
    assert event_types.resolve_by_type(cls.type_name) is rasa_lookup(cls.type_name)
    assert event_types.resolve_by_type(cls.type_name) is rasa_lookup(cls.type_name)


def test_an_unknown_type_is_still_an_error_and_not_remembered():
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        event_types.resolve_by_type("no_such_event")
    assert "no_such_event" not in event_types._resolved


def test_defaults_and_the_legacy_topic_event_behave_as_in_rasa():
    assert event_types.resolve_by_type("no_such_event", SlotSet) is SlotSet
    # A default handed back for an unknown name must not become that name's class.
    with pytest.raises(ValueError):
        event_types.resolve_by_type("no_such_event")
    assert event_types.resolve_by_type("topic") is None


def test_a_stored_conversation_comes_back_with_the_same_events():
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet"}),
        SlotSet("region", "Beijing"),
        ActionExecuted("action_answer"),
    ]
    tracker = DialogueStateTracker.from_events("someone", events)
    restored = DialogueStateTracker.from_dict(
        "someone", tracker.current_state(EventVerbosity.ALL)["events"]
    )
    assert list(restored.events) == events
    assert restored.get_slot("region") == "Beijing"
