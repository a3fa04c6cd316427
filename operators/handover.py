"""Hand-over to a person: the interface an office's help desk implements, and the
decisions Rasa's side makes with it.

A user asks for a person ("转人工", "talk to a real person", or the button offered after
repeated fallbacks). For every message, Rasa's side asks the configured `Handover`
whether a person could take the conversation now (`availability`), and passes the answer
to the action in the message metadata (`handover`): the action then says so in the
user's language and, when someone is on duty, returns Rasa's `ConversationPaused`. From
then on Rasa logs the user's messages and predicts nothing, so the bot never answers a
conversation that waits for a person; each of them is passed to the `Handover`
(`user_wrote`). The person's replies, and the hand-back (`ConversationResumed`), go
through `ConversationBridge` (operators/bridge.py), which delivers them on the user's
own channel.

The agent console (operators/console.py, served by channels/agent_console.py) is one
`Handover`; an office with a help desk of its own (Chatwoot, for instance) implements the
same four methods: see docs/handover.md.
"""

import weakref
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Protocol

if TYPE_CHECKING:
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.trackers import DialogueStateTracker

    from operators.bridge import ConversationBridge

METADATA_KEY = "handover"

# What `availability` can say.
OPEN = "open"  # someone is on duty: the conversation is handed over
CLOSED = "closed"  # outside office hours
NOBODY = "nobody"  # office hours, but nobody on duty
UNREACHABLE = "unreachable"  # the user's channel cannot carry a person's replies
NO_HANDOVER = "none"  # no hand-over configured

# Payloads of the buttons around a hand-over, handled before Rasa's NLU.
CANCEL_PAYLOAD = "/cancel_handover"


@dataclass(frozen=True)
class Availability:
    """Whether a person can take a conversation now, and what the user should be told."""

    status: str
    # Conversations already waiting (the user would be the next after them).
    waiting: int = 0
    # Office hours, for the message outside them: weekdays and opening and closing times.
    days: List[str] = field(default_factory=list)
    open: str = ""
    close: str = ""
    # Whether the user's channel lets them leave a question and a way to reach them.
    leave_message: bool = False

    def as_metadata(self) -> Dict[str, Any]:
        return asdict(self)


class Handover(Protocol):
    """What Rasa's side needs from an office's hand-over (the console, or a help desk)."""

    def attach(self, bridge: "ConversationBridge") -> None:
        """Called once the server runs: the way to reply to users and hand them back."""

    def availability(self, channel: Optional[str]) -> Availability:
        """Whether a person could take a conversation from `channel` now (called for
        every message: keep it cheap)."""

    async def requested(self, tracker: "DialogueStateTracker") -> None:
        """The conversation was paused for a person: queue it (its slots say its topic,
        language and region)."""

    async def user_wrote(self, tracker: "DialogueStateTracker") -> None:
        """The user wrote while waiting for, or talking with, a person."""

    async def ended(self, sender_id: str) -> None:
        """The conversation is no longer handed over (resumed or restarted elsewhere)."""


_registered: Optional[Handover] = None


def register(handover: Optional[Handover]) -> None:
    """Make `handover` the one Rasa's side uses (the console channel does this)."""
    global _registered
    _registered = handover


def registered() -> Optional[Handover]:
    return _registered


def availability_for(channel: Optional[str]) -> Availability:
    """The registered hand-over's availability for `channel`, or "none"."""
    handover = _registered
    return handover.availability(channel) if handover else Availability(NO_HANDOVER)


# Turns that ended with the conversation handed over say nothing on purpose: the
# channels' apology for silence (channels/resilience.py) must not speak for them.
_with_a_person: "weakref.WeakSet[UserMessage]" = weakref.WeakSet()
paused_after_turn: ContextVar[Optional[bool]] = ContextVar("paused_after_turn", default=None)


def mark_with_a_person(message: "UserMessage") -> None:
    _with_a_person.add(message)


def with_a_person(message: "UserMessage") -> bool:
    """Whether this message went to a person rather than the bot (no bot reply is due)."""
    return message in _with_a_person


async def after_turn(handover: Handover, tracker: "DialogueStateTracker") -> None:
    """Tell the hand-over what the turn just saved did: paused the conversation for a
    person, brought a message while paused, or ended a hand-over (restart, resume)."""
    from rasa.shared.core.events import (
        ConversationPaused,
        ConversationResumed,
        Restarted,
        UserUttered,
    )

    turn = []
    for event in reversed(tracker.events):
        turn.append(event)
        if isinstance(event, UserUttered):
            break
    if tracker.is_paused():
        if any(isinstance(event, ConversationPaused) for event in turn):
            await handover.requested(tracker)
        elif turn and isinstance(turn[-1], UserUttered):
            await handover.user_wrote(tracker)
    elif any(isinstance(event, (ConversationResumed, Restarted)) for event in turn):
        await handover.ended(tracker.sender_id)
