"""Ratings and left messages over the REST webhooks (and the callback webhook).

POST /webhooks/rest/feedback {"sender": "alice", "rating": "up"}           the latest answer
POST /webhooks/rest/feedback {"sender": "alice", "stars": 4, "comment": "..."} the conversation
POST /webhooks/rest/contact  {"sender": "alice", "question": "...", "contact": "..."}

Neither is a turn: the conversation does not change. Bodies are checked as the message
webhook checks them (JSON object, sender id, size); errors are JSON with a reason.
"""

import json
from typing import Any, Dict, Tuple

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.webhook_input import MAX_BODY_BYTES, SENDER_ID, WebhookError
from operators.contact import ContactError, record_contact_request
from operators.feedback import FeedbackError, read_rating, record_rating


def read_office_request(request: Request) -> Tuple[str, Dict[str, Any]]:
    """The sender and the JSON body of a rating or left-message request."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise WebhookError(
            413, "body_too_large", f"The request body exceeds {MAX_BODY_BYTES} bytes."
        )
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise WebhookError(400, "invalid_json", "The request body must be a JSON object.") from None
    if not isinstance(body, dict):
        raise WebhookError(400, "invalid_json", "The request body must be a JSON object.")
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER_ID.match(sender):
        raise WebhookError(
            400,
            "invalid_sender",
            "'sender' must be 1-128 characters of letters, digits and _ . : @ -",
        )
    return sender, body


def add_office_routes(webhook: Blueprint, channel_name: str) -> None:
    """Add /feedback and /contact to a webhook channel's blueprint."""

    @webhook.route("/feedback", methods=["POST"])
    async def feedback(request: Request) -> HTTPResponse:
        try:
            sender, body = read_office_request(request)
            rating = read_rating(body)
            row = await record_rating(
                request.app.ctx.agent.tracker_store, sender, rating, channel_name
            )
        except WebhookError as error:
            return response.json(error.body, status=error.status)
        except FeedbackError as error:
            return response.json({"error": "invalid_feedback", "detail": str(error)}, status=400)
        return response.json({"status": "stored", "topic": row["topic"], "kind": row["kind"]})

    @webhook.route("/contact", methods=["POST"])
    async def contact(request: Request) -> HTTPResponse:
        try:
            sender, body = read_office_request(request)
            tracker_store = request.app.ctx.agent.tracker_store
            tracker = await tracker_store.retrieve(sender)
            language = tracker.get_slot("language") if tracker else None
            number = record_contact_request(tracker_store, sender, body, channel_name, language)
        except WebhookError as error:
            return response.json(error.body, status=error.status)
        except ContactError as error:
            return response.json({"error": "invalid_contact", "detail": str(error)}, status=400)
        return response.json({"status": "stored", "id": number})
