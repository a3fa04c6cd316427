"""The callback webhook for other bots: accept at once, POST the replies to the caller's URL.

POST /webhooks/callback/webhook {"sender": "bot-7", "message": "..."} answers
"success"; each reply is then POSTed as JSON (text, buttons, custom) to the URL
configured as CALLBACK_URL. Input is validated as for the REST webhook.
"""

from typing import Any, Dict, Optional, Text

from rasa.core.channels.callback import CallbackOutput
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel
from rasa.utils.endpoints import EndpointConfig
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.rest import AnswerCollectingOutputChannel, RestInput


class AnswerCallbackOutput(AnswerCollectingOutputChannel, CallbackOutput):
    """Posts each reply, with its `custom` answer data, to the caller's endpoint."""

    @classmethod
    def name(cls) -> Text:
        return "callback"


class CallbackInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "callback"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials or not credentials.get("url"):
            raise ValueError("callback: 'url' (CALLBACK_URL) is required")
        return cls(EndpointConfig.from_dict(credentials))

    def __init__(self, endpoint: EndpointConfig) -> None:
        self.callback_endpoint = endpoint

    def output_channel(self, request: Request) -> CollectingOutputChannel:
        return AnswerCallbackOutput(self.callback_endpoint)

    def get_output_channel(self) -> CollectingOutputChannel:
        """The way back outside a request: a person's replies after a hand-over."""
        return AnswerCallbackOutput(self.callback_endpoint)

    async def deliver(self, request: Request, collector: CollectingOutputChannel) -> HTTPResponse:
        return response.text("success")
