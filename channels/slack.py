"""Slack, with a configurable Web API address, retries answered once and the URL handshake.

Rasa's SlackInput checks Slack's request signature; `api_url` lets the bot client
talk to another Web API address (a local stand-in in the tests). What this connector
changes in Rasa's:

- Retries (RasaHQ/rasa#3882): Slack delivers an event again, with `X-Slack-Retry-Num`
  and the same `event_id`, when it had no answer within three seconds. Rasa ignores
  only retries whose reason is `http_timeout` (so a retry after an `http_error` is
  answered a second time, and a retry whose first delivery never arrived is dropped).
  Here the event id decides: the first delivery of an event is answered, whatever its
  retry number, and every later one is acknowledged with `X-Slack-No-Retry` and not
  answered, across instances through Redis when the deployment has it
  (channels/deliveries.py).
- The `url_verification` handshake: Rasa answers the challenge as a JSON string
  (`"3eZbrw1a..."`), which Slack's check does not accept; here it is the plain text
  Slack documents, after the signature check.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.deliveries import DeliveryLedger, MemoryLedger, ledger_for
from channels.resilience import ApologizingChannel

logger = logging.getLogger(__name__)

NO_RETRY_HEADER = "X-Slack-No-Retry"


def json_body(request: Request) -> Optional[Dict[str, Any]]:
    """The body of a JSON request from Slack, or None for a form post or a body that is not JSON."""
    if not (request.headers.get("content-type") or "").startswith("application/json"):
        return None
    try:
        body = request.json
    except Exception:  # Sanic's InvalidUsage for a malformed body: Rasa's handler answers it
        return None
    return body if isinstance(body, dict) else None


class SlackInput(ApologizingChannel, RasaSlackInput):
    deliveries: DeliveryLedger = MemoryLedger()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("api_url")
        channel.deliveries = ledger_for("slack", credentials or {})
        # No retry is dropped for its reason: the event id says whether it was answered.
        channel.errors_ignore_retry = ()
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def answer_url_verification(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            body = json_body(request)
            if not body or body.get("type") != "url_verification":
                return None
            if not self.is_request_from_slack_authentic(request):
                logger.warning("Refused a Slack url_verification with a bad signature")
                return response.text("Message is not properly signed", status=400)
            return response.text(str(body.get("challenge") or ""))

        return webhook

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: Text,
        sender_id: Optional[Text],
        metadata: Optional[Dict],
    ) -> Any:
        event_id = (json_body(request) or {}).get("event_id")
        if event_id and not await self._first_delivery(str(event_id)):
            logger.info(
                "Slack delivered event %s again (retry %s, %s): answered once",
                event_id,
                request.headers.get("x-slack-retry-num"),
                request.headers.get("x-slack-retry-reason"),
            )
            return response.text("", headers={NO_RETRY_HEADER: "1"})
        return await super().process_message(request, on_new_message, text, sender_id, metadata)

    async def _first_delivery(self, event_id: str) -> bool:
        try:
            return await self.deliveries.claim(event_id)
        except Exception:
            logger.exception("Slack deliveries cannot be checked for %s; answering", event_id)
            return True

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        bot = SlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
        api_url = getattr(self, "api_url", None)
        if api_url:
            bot.client.base_url = api_url.rstrip("/") + "/"
        return bot
