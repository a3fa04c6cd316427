"""The REST webhook: Rasa's REST channel with validated input and machine-readable replies.

POST /webhooks/rest/webhook {"sender": "alice", "message": "What do I need to bring?"}
answers with a list of messages; each carries `text`, `buttons` and `custom` (topic,
language, region, source) so a calling bot need not parse prose. See docs/webhook.openapi.yml.
"""

import logging
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.office_routes import add_office_routes
from channels.resilience import apologize_when_silent
from channels.webhook_input import WebhookError, read_webhook_message, webhook_blueprint

logger = logging.getLogger(__name__)


class AnswerCollectingOutputChannel(CollectingOutputChannel):
    """Collects replies with the action's `answer` metadata as each message's `custom`."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(
            self._message(recipient_id, text=text, custom=kwargs.get("answer"))
        )

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: Any, **kwargs: Any
    ) -> None:
        await self._persist_message(
            self._message(recipient_id, text=text, buttons=buttons, custom=kwargs.get("answer"))
        )


class RestInput(RasaRestInput):
    """Synchronous webhook: the replies come back in the HTTP response."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def output_channel(self, request: Request) -> CollectingOutputChannel:
        return AnswerCollectingOutputChannel()

    async def deliver(self, request: Request, collector: CollectingOutputChannel) -> HTTPResponse:
        return response.json(collector.messages)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        on_new_message = apologize_when_silent(on_new_message)
        webhook = webhook_blueprint(self)
        add_office_routes(webhook, self.name())  # /feedback and /contact

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                message = read_webhook_message(request)
                collector = self.output_channel(request)
            except WebhookError as error:
                return response.json(error.body, status=error.status)
            try:
                await on_new_message(
                    UserMessage(
                        message.text,
                        collector,
                        message.sender_id,
                        input_channel=self.name(),
                        metadata=message.metadata,
                    )
                )
            except Exception:
                logger.exception("Could not handle a message from %s", message.sender_id)
                return response.json(
                    {"error": "internal_error", "detail": "The message could not be handled."},
                    status=500,
                )
            return await self.deliver(request, collector)

        return webhook
