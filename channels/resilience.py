"""Never leave a user in silence: if no reply comes, apologise and name the 12333 hotline.

When the action server is down, Rasa logs the failed action and sends nothing; when
it is slow, Rasa waits up to five minutes. Every input channel of this assistant
wraps its message handler with `apologize_when_silent`: if the turn has produced no
reply by the deadline (or failed), the user gets the knowledge module's
`service_unavailable` message in their language. A slow turn is not cancelled: it
finishes and is stored, so the conversation continues when the service is back.
"""

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint

from knowledge import load_knowledge
from knowledge.language import reply_language
from operators.handover import with_a_person

logger = logging.getLogger(__name__)

# How long a user waits for an answer before the apology; the answer usually takes
# well under a second.
REPLY_DEADLINE_SECONDS = float(os.environ.get("REPLY_DEADLINE_SECONDS", "10"))

SESSION_START = "/session_start"

MessageHandler = Callable[[UserMessage], Awaitable[Any]]


class RecordingOutputChannel(OutputChannel):
    """Passes every reply on to the channel's own output and remembers that one was sent."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.spoke = False

    @classmethod
    def name(cls) -> Text:
        return "recording"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.spoke = True
        await self.inner.send_response(recipient_id, message)


def apologize_when_silent(
    on_new_message: MessageHandler, deadline: float = REPLY_DEADLINE_SECONDS
) -> MessageHandler:
    async def handle(message: UserMessage) -> None:
        recording = RecordingOutputChannel(message.output_channel)
        message.output_channel = recording
        turn = asyncio.ensure_future(on_new_message(message))
        failed = True
        try:
            await asyncio.wait_for(asyncio.shield(turn), deadline)
            failed = False
        except asyncio.TimeoutError:
            logger.warning("No reply to %s within %.0fs; apologising", message.sender_id, deadline)
        except Exception:
            logger.exception("The turn of %s failed; apologising", message.sender_id)
        # A message to a person who has taken the conversation gets no bot reply.
        if not recording.spoke and not with_a_person(message):
            language = reply_language(message.text or "", None, None, message.input_channel)
            # Rasa's /session_start starts a session and says nothing by design: a greeting,
            # not the apology for an outage.
            starts_a_session = not failed and (message.text or "").strip() == SESSION_START
            key = "greet" if starts_a_session else "service_unavailable"
            reply = load_knowledge().message(key, language)
            recording.spoke = True
            await recording.inner.send_response(
                message.sender_id, {"text": reply.text, "answer": reply.data}
            )

    return handle


class ApologizingChannel:
    """Mixin for input channels: their message handler apologises instead of staying silent."""

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        return super().blueprint(apologize_when_silent(on_new_message))  # type: ignore[misc]
