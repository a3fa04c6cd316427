"""Shared fixtures: the knowledge base and trackers as Rasa would hand them to an action."""

import asyncio
from typing import Any, Dict, Iterable, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import rasa_fixes
from knowledge import KnowledgeBase, load_knowledge

# Models load in-process in some tests (Agent.load): with the project's fixes, as in every
# process that `sscard` starts.
rasa_fixes.install()


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


def make_tracker(
    text: str,
    intent: Optional[str],
    entities: Iterable[Dict[str, Any]] = (),
    slots: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`."""
    return Tracker(
        sender_id="test-user",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9} if intent else {},
            "entities": list(entities),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action, tracker: Tracker):
    """Run a custom action the way the action server does; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    events: List[Dict[str, Any]] = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events
