"""Telegram, with the secret-token check that Rasa's connector lacks.

Telegram sends the secret given to setWebhook in the X-Telegram-Bot-Api-Secret-Token
header of every update. Rasa's TelegramInput neither registers a secret nor checks
the header, so anyone who learns the webhook URL can post forged updates. This
connector registers the secret and refuses updates without it (403).
`api_url` points the bot client at another Bot API server (a self-hosted one, or a
local stand-in in the tests).
"""

import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response
from sanic.request import Request

from channels.resilience import ApologizingChannel

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramOutput(RasaTelegramOutput):
    """Rasa's Telegram output, against a configurable Bot API server, registering the secret."""

    def __init__(
        self,
        access_token: Optional[Text],
        secret_token: Text,
        server: TelegramAPIServer = TELEGRAM_PRODUCTION,
    ) -> None:
        # Skip RasaTelegramOutput.__init__, which cannot pass a server to the Bot.
        super(RasaTelegramOutput, self).__init__(access_token, server=server)
        self.secret_token = secret_token

    async def set_webhook(self, url: Text, *args: Any, **kwargs: Any) -> bool:
        return await self.request("setWebhook", {"url": url, "secret_token": self.secret_token})


class TelegramInput(ApologizingChannel, RasaTelegramInput):
    """Telegram webhook that refuses updates without the registered secret token."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials or not credentials.get("secret_token"):
            raise ValueError("telegram: 'secret_token' (TELEGRAM_SECRET_TOKEN) is required")
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials["secret_token"],
            api_url=credentials.get("api_url"),
        )

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text],
        webhook_url: Optional[Text],
        secret_token: Text,
        api_url: Optional[Text] = None,
        debug_mode: bool = False,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        self.secret_token = secret_token
        self.server = TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_secret_token(request: Request) -> Optional[Any]:
            if request.method == "POST" or request.path.endswith("/set_webhook"):
                sent = request.headers.get(SECRET_HEADER, "")
                if not hmac.compare_digest(sent.encode(), self.secret_token.encode()):
                    logger.warning("Refused a Telegram request without the secret token")
                    return response.json({"error": "forbidden"}, status=403)
            return None

        return webhook

    def get_output_channel(self) -> TelegramOutput:
        import asyncio

        channel = TelegramOutput(self.access_token, self.secret_token, self.server)

        async def register() -> None:
            await channel.set_webhook(url=self.webhook_url)
            # The HTTP session belongs to this short-lived event loop; closing it makes
            # the bot open a new one in the server's loop (Rasa's connector reuses the
            # dead one and fails with "Event loop is closed" on the first update).
            await channel.close()

        asyncio.run(register())
        return channel
