"""Hand-over to a person and ratings, wherever a message comes from.

Rasa pauses a conversation on `ConversationPaused` and then logs its messages without
answering them, but it has no notion of a person taking over. This wraps two methods of
Rasa's message processor so that every channel (Rasa's own connectors too) gets the
same hand-over (operators/handover.py):

- `handle_message`: before Rasa's turn, the configured hand-over's availability for the
  message's channel goes into the message metadata (`handover`, replacing whatever a
  caller sent), for the action to word and act on; a rating button's payload
  (`/feedback{...}`) is stored as a rating and answered with a thank-you, not taken as a
  turn; `/cancel_handover` hands a waiting conversation back to the bot. After the turn, a
  message that went to a person is marked, so that no apology for silence is sent.
- `save_tracker`: after Rasa saves a turn, the hand-over hears what it did (paused the
  conversation, brought a message while paused, restarted it).

Upstream: `rasa.core.processor.MessageProcessor.handle_message` and `save_tracker`
(Rasa 3.6 has no hand-over: `ConversationPaused` silences the bot, nothing more).
"""

import logging
from typing import Any, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from knowledge import load_knowledge
from knowledge.language import reply_language
from operators.bridge import append_message, notice_text
from operators.feedback import FeedbackError, Rating, rating_in_payload, record_rating
from operators.handover import (
    CANCEL_PAYLOAD,
    METADATA_KEY,
    after_turn,
    availability_for,
    mark_with_a_person,
    paused_after_turn,
    registered,
)

logger = logging.getLogger(__name__)

SUMMARY = "hand-over to a person and rating buttons for every channel (operators/)"

_rasa_handle_message = MessageProcessor.handle_message
_rasa_save_tracker = MessageProcessor.save_tracker


async def _handle_message(self: MessageProcessor, message: UserMessage) -> Optional[List[Any]]:
    rating = rating_in_payload(message.text)
    if rating is not None:
        return await _rate(self, message, rating)
    if (message.text or "").strip() == CANCEL_PAYLOAD:
        return await _cancel(self, message)
    metadata = dict(message.metadata or {})
    metadata[METADATA_KEY] = availability_for(message.input_channel).as_metadata()
    message.metadata = metadata
    token = paused_after_turn.set(None)
    try:
        result = await _rasa_handle_message(self, message)
        if paused_after_turn.get():
            mark_with_a_person(message)
    finally:
        paused_after_turn.reset(token)
    return result


async def _save_tracker(self: MessageProcessor, tracker: DialogueStateTracker) -> None:
    await _rasa_save_tracker(self, tracker)
    paused_after_turn.set(tracker.is_paused())
    handover = registered()
    if handover is None:
        return
    try:
        await after_turn(handover, tracker)
    except Exception:  # the turn is saved; the queue must not take it down
        logger.exception("The hand-over could not follow the turn of %s", tracker.sender_id)


async def _rate(
    self: MessageProcessor, message: UserMessage, rating: Rating
) -> Optional[List[Any]]:
    try:
        row = await record_rating(
            self.tracker_store, message.sender_id, rating, message.input_channel
        )
        language = row["language"]
    except FeedbackError as error:
        logger.info("Rating from %s not stored: %s", message.sender_id, error)
        language = None
    language = reply_language("", None, language)
    reply = load_knowledge().message("feedback_thanks", language)
    await message.output_channel.send_response(
        message.sender_id, {"text": reply.text, "answer": reply.data}
    )
    return _collected(message)


async def _cancel(self: MessageProcessor, message: UserMessage) -> Optional[List[Any]]:
    tracker = await self.fetch_tracker_and_update_session(
        message.sender_id, message.output_channel, message.metadata
    )
    language = reply_language("", None, tracker.get_slot("language"))
    text = notice_text("handover_cancelled", language)
    if tracker.is_paused():
        said = append_message(tracker, text, notice="handover_cancelled", resume=True)
        await self.save_tracker(tracker)
        await message.output_channel.send_response(message.sender_id, said.message())
    else:
        await message.output_channel.send_response(message.sender_id, {"text": text})
    return _collected(message)


def _collected(message: UserMessage) -> Optional[List[Any]]:
    if isinstance(message.output_channel, CollectingOutputChannel):
        return message.output_channel.messages
    return None


def install() -> None:
    """Wrap the processor's message handling and saving (idempotent)."""
    MessageProcessor.handle_message = _handle_message
    MessageProcessor.save_tracker = _save_tracker
