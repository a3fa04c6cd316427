"""What Rasa's side tells the console's hand-over after each turn, with a real tracker
and the console's queue in a real SQLite database."""

import asyncio

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from operators import store
from operators.console import ConsoleHandover
from operators.handover import after_turn


def console(tmp_path):
    handover = ConsoleHandover()
    handover.engine = store.prepared(sa.create_engine(f"sqlite:///{tmp_path / 'office.db'}"))
    return handover


def test_a_pause_queues_the_conversation_a_message_while_paused_updates_it_a_restart_ends_it(
    tmp_path,
):
    handover = console(tmp_path)
    tracker = DialogueStateTracker.from_events("alice", [], slots=Domain.empty().slots)
    for event in (
        UserUttered("转人工", input_channel="socketio"),
        ActionExecuted("action_hand_over"),
        ConversationPaused(),
    ):
        tracker.update(event)
    asyncio.run(after_turn(handover, tracker))
    [entry] = handover.queue()
    assert (entry["sender_id"], entry["status"], entry["channel"]) == (
        "alice",
        "waiting",
        "socketio",
    )

    tracker.update(UserUttered("hello?", input_channel="socketio"))
    asyncio.run(after_turn(handover, tracker))
    assert handover.queue()[0]["last_user_at"] >= entry["last_user_at"]

    for event in (UserUttered("/restart"), ActionExecuted("action_restart"), Restarted()):
        tracker.update(event)
    asyncio.run(after_turn(handover, tracker))
    assert handover.queue() == []


def test_an_ordinary_turn_tells_the_hand_over_nothing(tmp_path):
    handover = console(tmp_path)
    tracker = DialogueStateTracker.from_events(
        "bob", [UserUttered("hi"), ActionExecuted("action_answer")]
    )
    asyncio.run(after_turn(handover, tracker))
    assert handover.queue() == []
