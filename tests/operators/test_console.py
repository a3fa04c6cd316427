"""The console's hand-over with Rasa's real tracker and lock stores: take, reply, hand
back, and conversations given back to the bot when nobody is on duty any more."""

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from operators.bridge import ConversationBridge, NotHandedOver, history
from operators.console import ConsoleHandover
from operators.handover import after_turn
from tracker_store.cached_sql import CachedSQLTrackerStore

DOMAIN = Domain.from_dict(
    {"slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]}}}
)


@pytest.fixture
def office(tmp_path):
    tracker_store = CachedSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "c.db")
    )
    agent = SimpleNamespace(tracker_store=tracker_store, lock_store=InMemoryLockStore())
    handover = ConsoleHandover()
    handover.attach(ConversationBridge(agent, input_channels=[]))
    return handover, tracker_store


def waiting(handover, tracker_store, sender):
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            SlotSet("language", "en"),
            UserUttered("talk to a person"),
            ActionExecuted("action_hand_over"),
            ConversationPaused(),
        ],
        slots=DOMAIN.slots,
    )
    asyncio.run(tracker_store.save(tracker))
    asyncio.run(after_turn(handover, tracker))


def stored(tracker_store, sender):
    return asyncio.run(tracker_store.retrieve(sender))


def test_an_agent_takes_replies_and_hands_back(office, knowledge):
    handover, tracker_store = office
    waiting(handover, tracker_store, "alice")
    asyncio.run(handover.take("alice", "li"))
    with pytest.raises(NotHandedOver):
        asyncio.run(handover.take("alice", "wang"))  # taken by li
    asyncio.run(handover.reply("alice", "li", "Hello, this is Li."))
    asyncio.run(handover.hand_back("alice", "li"))
    tracker = stored(tracker_store, "alice")
    assert not tracker.is_paused()
    lines = [(line.speaker, line.text) for line in history(tracker)]
    assert lines[-3:] == [
        ("notice", knowledge.messages.agent_joined.en.format(agent="li")),
        ("agent", "Hello, this is Li."),
        ("notice", knowledge.messages.agent_left.en.format(agent="li")),
    ]
    assert handover.queue() == []


def test_nobody_waits_for_a_person_who_is_not_there(office, knowledge):
    handover, tracker_store = office
    handover.set_on_duty("li", True)
    waiting(handover, tracker_store, "bob")
    assert asyncio.run(handover.sweep()) == 0  # li is on duty
    handover.set_on_duty("li", False)
    assert asyncio.run(handover.sweep()) == 1
    tracker = stored(tracker_store, "bob")
    assert not tracker.is_paused()
    assert history(tracker)[-1].text == knowledge.messages.handover_lost.en
    assert handover.queue() == []


def test_availability_needs_a_channel_with_a_way_back(office):
    handover, _ = office
    handover.set_on_duty("li", True)
    assert handover.availability("rest").status == "unreachable"
    assert handover.availability("rest").leave_message
    assert not handover.availability("wechat").leave_message
