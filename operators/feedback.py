"""Ratings: 👍/👎 on an answer, 1-5 stars (and a comment) for a conversation.

A rating names the conversation and, optionally, the answer (the timestamp of its bot
event, which the widget receives as the answer's id); it is stored with what that answer
was (topic or message, source, confidence, language, region) and the model that gave it,
read from the tracker, never taken from the caller. A rating is not a turn: it goes to
the `feedback` table, and the conversation (its slots, its topic, what the bot says
next) does not change. Comments are masked like messages.

Ratings arrive from the widget (socket.io `feedback`), the REST webhook (`POST
/webhooks/rest/feedback`) and, on platforms with buttons, as the payload of a rating
button (`/feedback{"rating": 1}`), which Rasa's side takes before NLU sees it.
"""

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from rasa.shared.core.events import BotUttered

from operators import store
from privacy.personal_data import mask_text

PAYLOAD = re.compile(r"^/feedback(\{.*\})$", re.DOTALL)
MAX_COMMENT_CHARS = 1000


class FeedbackError(ValueError):
    """A rating that cannot be stored, with what is wrong for the caller."""


@dataclass(frozen=True)
class Rating:
    kind: str  # answer | conversation
    value: int  # answer: 1 or -1; conversation: 1-5
    comment: Optional[str] = None
    answer_id: Optional[float] = None


def read_rating(body: Mapping[str, Any]) -> Rating:
    """A rating from a JSON body: {"rating": "up"|"down"|1|-1, "answer_id"?} for an
    answer, {"stars": 1-5, "comment"?} for the conversation."""
    comment = body.get("comment")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT_CHARS):
        raise FeedbackError(f"'comment' must be a text of at most {MAX_COMMENT_CHARS} characters")
    comment = mask_text(comment.strip()) if comment and comment.strip() else None
    if "stars" in body:
        stars = body["stars"]
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
            raise FeedbackError("'stars' must be a whole number from 1 to 5")
        return Rating("conversation", stars, comment)
    value = {"up": 1, "down": -1, 1: 1, -1: -1}.get(body.get("rating"))
    if value is None or isinstance(body.get("rating"), bool):
        raise FeedbackError("'rating' must be \"up\" or \"down\" (or 'stars' from 1 to 5)")
    answer_id = body.get("answer_id")
    if answer_id is not None and (
        isinstance(answer_id, bool) or not isinstance(answer_id, (int, float))
    ):
        raise FeedbackError("'answer_id' must be the number the answer carried")
    return Rating("answer", value, comment, float(answer_id) if answer_id is not None else None)


def rating_in_payload(text: Optional[str]) -> Optional[Rating]:
    """The rating a rating button's payload carries, or None for any other message."""
    match = PAYLOAD.match((text or "").strip())
    if not match:
        return None
    try:
        body = json.loads(match.group(1))
        return read_rating(body) if isinstance(body, dict) else None
    except (ValueError, FeedbackError):
        return None


def rated_answer(tracker: Any, answer_id: Optional[float]) -> Optional[BotUttered]:
    """The bot answer a rating is about: the one with `answer_id`, or the latest answer."""
    for event in reversed(tracker.events if tracker else []):
        if not isinstance(event, BotUttered):
            continue
        answer = (event.metadata or {}).get("answer") or {}
        if answer.get("agent") or answer.get("notice"):
            continue
        if answer_id is None or abs(event.timestamp - answer_id) < 1e-6:
            return event
    return None


async def record_rating(
    tracker_store: Any, sender_id: str, rating: Rating, channel: Optional[str]
) -> Dict[str, Any]:
    """Store a rating with what the rated answer was; the row stored."""
    tracker = await tracker_store.retrieve(sender_id)
    if tracker is None:
        raise FeedbackError("there is no conversation with this sender")
    answer_event = rated_answer(tracker, rating.answer_id)
    if rating.kind == "answer" and answer_event is None:
        raise FeedbackError("there is no such answer in this conversation")
    answer = ((answer_event.metadata or {}).get("answer") or {}) if answer_event else {}
    row = {
        "sender_id": sender_id,
        "kind": rating.kind,
        "rating": rating.value,
        "comment": rating.comment,
        "answered_at": answer_event.timestamp if answer_event else None,
        "topic": answer.get("topic"),
        "message": answer.get("message"),
        "source": answer.get("source"),
        "confidence": answer.get("confidence"),
        "language": answer.get("language") or tracker.get_slot("language"),
        "region": answer.get("region") or tracker.get_slot("region"),
        "model_id": (answer_event.metadata or {}).get("model_id") if answer_event else None,
        "channel": channel or tracker.get_latest_input_channel(),
        "created_at": store.now(),
    }
    store.execute(store.engine_of(tracker_store), store.feedback.insert(), row)
    return row
