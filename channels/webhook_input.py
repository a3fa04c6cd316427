"""What a webhook accepts: checked before a message reaches the assistant.

Rasa's REST channels accept any body, any sender id and any length. These limits
give a caller a clear JSON error instead, and keep one caller's input from reaching
another's conversation or starving the server.
"""

import inspect
import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

# Far above any question (the assistant asks for shorter ones past 1,000 characters),
# far below what would slow the NLU pipeline.
MAX_MESSAGE_CHARS = 20_000
MAX_BODY_BYTES = 256 * 1024
# \Z, not $: "$" also matches before a final newline, which would let "alice\n" through.
SENDER_ID = re.compile(r"\A[A-Za-z0-9_.:@\-]{1,128}\Z")


class WebhookError(Exception):
    """A request the webhook refuses, with the HTTP status and a message for the caller."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.body = {"error": code, "detail": detail}


@dataclass(frozen=True)
class WebhookMessage:
    sender_id: str
    text: str
    metadata: Optional[Dict[str, Any]]


def read_webhook_message(request: Request) -> WebhookMessage:
    """The sender, text and metadata of a webhook request, or a WebhookError saying what is wrong."""
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
    text = body.get("message")
    if not isinstance(text, str):
        raise WebhookError(400, "invalid_message", "'message' must be a string.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise WebhookError(
            413, "message_too_long", f"'message' exceeds {MAX_MESSAGE_CHARS} characters."
        )
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise WebhookError(400, "invalid_metadata", "'metadata' must be a JSON object.")
    return WebhookMessage(sender_id=sender, text=text, metadata=metadata)


def webhook_blueprint(channel: object) -> Blueprint:
    """The blueprint of one of the project's channels, with the health route every channel has."""
    module = inspect.getmodule(channel)
    webhook = Blueprint(f"webhook_{type(channel).__name__}", module.__name__ if module else None)

    @webhook.route("/", methods=["GET"])
    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return webhook
