"""The website widget's socket.io channel: Rasa's, with the apology instead of silence,
one message per answer with the answer's data, ratings and left messages.

The session-room fix for Rasa's socket.io channel (RasaHQ/rasa#13027) applies to this
channel too; it lives with the other fixes to Rasa in rasa_fixes/socketio_session.py.

Rasa's socket.io output splits an answer into one message per paragraph and drops the
answer's data. This one sends each answer whole (`text`, `quick_replies`) with `answer`:
its topic or message, language and region, its id (the bot event's timestamp, which a
rating names) and, for a person's reply, the agent. Besides `user_uttered`, the widget
emits `feedback` (a rating, operators/feedback.py) and `contact_request` (a question left
for the office, operators/contact.py); both are answered through socket.io's
acknowledgement, and neither is a turn of the conversation.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

from channels.resilience import apologize_when_silent
from operators.contact import ContactError, record_contact_request
from operators.feedback import FeedbackError, read_rating, record_rating
from rasa_fixes.socketio_session import SESSION_ID

logger = logging.getLogger(__name__)


class AnswerSocketIOOutput(SocketIOOutput):
    """One `bot_uttered` per answer, with its quick replies and its data."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, _message(text, [], kwargs))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        replies = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._send_message(recipient_id, _message(text, replies, kwargs))


def _message(
    text: Text, quick_replies: List[Dict[str, Any]], kwargs: Dict[str, Any]
) -> Dict[str, Any]:
    message: Dict[str, Any] = {"text": text, "quick_replies": quick_replies}
    answer = kwargs.get("answer")
    if isinstance(answer, dict):
        message["answer"] = {**answer, "id": kwargs.get("timestamp")}
    return message


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io channel, answering whole, apologising instead of staying silent,
    taking ratings and left messages."""

    app: Any = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        sio = getattr(self, "sio", None)
        return AnswerSocketIOOutput(sio, self.bot_message_evt) if sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        apologizing = apologize_when_silent(on_new_message)

        # The answer channel first, then the apology's recording of it.
        async def answered_whole(message: UserMessage) -> Any:
            message.output_channel = AnswerSocketIOOutput(self.sio, self.bot_message_evt)
            return await apologizing(message)

        blueprint = super().blueprint(answered_whole)
        sio = self.sio

        @blueprint.listener("after_server_start")
        async def remember_app(app: Any, loop: Any) -> None:
            self.app = app

        @sio.on("feedback", namespace=self.namespace)
        async def feedback(sid: Text, data: Any) -> Dict[str, Any]:
            sender = _session(data)
            if sender is None:
                return {"stored": False, "error": "a valid session_id is required"}
            try:
                await record_rating(self._tracker_store(), sender, read_rating(data), self.name())
            except FeedbackError as error:
                return {"stored": False, "error": str(error)}
            return {"stored": True}

        @sio.on("contact_request", namespace=self.namespace)
        async def contact_request(sid: Text, data: Any) -> Dict[str, Any]:
            sender = _session(data)
            if sender is None:
                return {"stored": False, "error": "a valid session_id is required"}
            try:
                number = record_contact_request(
                    self._tracker_store(), sender, data, self.name(), data.get("language")
                )
            except ContactError as error:
                return {"stored": False, "error": str(error)}
            return {"stored": True, "id": number}

        return blueprint

    def _tracker_store(self) -> Any:
        return self.app.ctx.agent.tracker_store


def _session(data: Any) -> Optional[str]:
    session = data.get("session_id") if isinstance(data, dict) else None
    return session if isinstance(session, str) and SESSION_ID.match(session) else None
