"""What a person's side can do to a conversation: read it, reply, take it, hand it back.

The bridge works with Rasa's own agent (tracker store, lock store) and input channels,
so a reply from the console or a help desk is stored in the tracker like any other bot
message (masked first, labelled with the agent) and reaches the user on the channel they
wrote from: the widget's socket.io room, the callback URL, Telegram, Slack. A channel is
reachable when its input channel can make an output channel outside a request (Rasa's
`InputChannel.get_output_channel`); the synchronous REST webhook, Messenger, Bot
Framework and WeChat's passive replies cannot, and their users get 12333 instead.
"""

import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationResumed,
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from knowledge import load_knowledge
from knowledge.language import default_language
from privacy.personal_data import mask_text

logger = logging.getLogger(__name__)

AGENT_REPLY = "agent_reply"


class NotHandedOver(Exception):
    """The conversation is not (or no longer) waiting for or talking with a person."""


@dataclass(frozen=True)
class Entry:
    """One line of a conversation's history as the console shows it."""

    speaker: str  # user | bot | agent | notice
    text: str
    at: float
    agent: Optional[str] = None


def way_back(channel: InputChannel) -> Optional[OutputChannel]:
    """An output channel to the channel's users outside a request, if it has one."""
    from channels.telegram import TelegramInput, TelegramOutput

    if isinstance(channel, TelegramInput):
        # Its get_output_channel registers the webhook with asyncio.run(), which cannot
        # run inside the server's loop; the webhook is registered at start already.
        return TelegramOutput(channel.access_token, channel.secret_token, channel.server)
    try:
        return channel.get_output_channel()
    except Exception:  # a connector that cannot make one outside a request
        logger.debug("No way back for channel %s", channel.name(), exc_info=True)
        return None


def history(tracker: DialogueStateTracker) -> List[Entry]:
    """The conversation's messages: the user's, the bot's, the agents' and the notices."""
    entries = []
    for event in tracker.events:
        if isinstance(event, UserUttered) and event.text is not None:
            entries.append(Entry("user", event.text, event.timestamp))
        elif isinstance(event, BotUttered) and event.text:
            answer = (event.metadata or {}).get("answer") or {}
            agent = answer.get("agent")
            speaker = "bot"
            if answer.get("message") == AGENT_REPLY:
                speaker = "agent"
            elif answer.get("notice"):
                speaker = "notice"
            entries.append(Entry(speaker, event.text, event.timestamp, agent))
    return entries


class ConversationBridge:
    """A person's side of conversations, through Rasa's agent and input channels."""

    def __init__(self, agent: Any, input_channels: Sequence[InputChannel]) -> None:
        self.agent = agent
        self.input_channels = list(input_channels)
        self._outputs: Dict[str, Optional[OutputChannel]] = {}

    def output_for(self, channel_name: Optional[str]) -> Optional[OutputChannel]:
        """The way back to users of `channel_name` (remembered per channel)."""
        if not channel_name:
            return None
        if channel_name not in self._outputs:
            found = [c for c in self.input_channels if c.name() == channel_name]
            self._outputs[channel_name] = way_back(found[0]) if found else None
        return self._outputs[channel_name]

    def reachable(self, channel_name: Optional[str]) -> bool:
        return self.output_for(channel_name) is not None

    async def tracker(self, sender_id: str) -> Optional[DialogueStateTracker]:
        return await self.agent.tracker_store.retrieve(sender_id)

    async def say(
        self,
        sender_id: str,
        text: str,
        agent: Optional[str] = None,
        notice: Optional[str] = None,
        resume: bool = False,
        require_paused: bool = True,
        lock: bool = True,
    ) -> None:
        """Store a message from a person (or a `notice` about one) in the conversation,
        then send it on the user's channel.

        `resume` hands the conversation back to the bot in the same step; `lock=False` is
        for callers that hold the conversation's lock already (inside a turn).
        """
        if lock:
            async with self.agent.lock_store.lock(sender_id):
                tracker, event = await self._store(
                    sender_id, text, agent, notice, resume, require_paused
                )
        else:
            tracker, event = await self._store(
                sender_id, text, agent, notice, resume, require_paused
            )
        output = self.output_for(tracker.get_latest_input_channel())
        if output is None:
            logger.warning("No way back to %s; the message is stored only", sender_id)
            return
        await output.send_response(sender_id, event.message())

    async def notice(
        self, sender_id: str, key: str, agent: Optional[str] = None, **options: Any
    ) -> None:
        """A message of the knowledge module (agent joined, handed back ...), in the
        conversation's language."""
        tracker = await self.tracker(sender_id)
        language = (tracker.get_slot("language") if tracker else None) or default_language()
        text = notice_text(key, language, agent)
        await self.say(sender_id, text, agent=agent, notice=key, **options)

    async def _store(
        self,
        sender_id: str,
        text: str,
        agent: Optional[str],
        notice: Optional[str],
        resume: bool,
        require_paused: bool,
    ) -> Tuple[DialogueStateTracker, BotUttered]:
        tracker = await self.tracker(sender_id)
        if tracker is None or (require_paused and not tracker.is_paused()):
            raise NotHandedOver(sender_id)
        said = append_message(tracker, text, agent, notice, resume)
        await self.agent.tracker_store.save(tracker)
        return tracker, said


def append_message(
    tracker: DialogueStateTracker,
    text: str,
    agent: Optional[str] = None,
    notice: Optional[str] = None,
    resume: bool = False,
) -> BotUttered:
    """Add a person's message (or a notice) to the tracker, masked and labelled; with
    `resume`, Rasa's ConversationResumed and a listen after it, so the bot answers the
    next message. The caller saves the tracker."""
    answer: Dict[str, Any] = {
        "topic": None,
        "message": notice or AGENT_REPLY,
        "language": tracker.get_slot("language") or default_language(),
        "source": "office",
        "agent": agent,
    }
    if notice:
        answer["notice"] = True
    said = BotUttered(mask_text(text), metadata={"answer": answer})
    events: List[Event] = [said]
    if resume:
        events += [ConversationResumed(), ActionExecuted(ACTION_LISTEN_NAME)]
    for event in events:
        tracker.update(event)
    return said


def notice_text(key: str, language: str, agent: Optional[str] = None) -> str:
    """A notice of the knowledge module in `language`, naming the agent where it does."""
    return getattr(load_knowledge().messages, key).get(language).format(agent=agent or "")
