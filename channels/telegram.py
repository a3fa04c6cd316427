"""Telegram, with the secret-token check that Rasa's connector lacks, and working buttons.

Telegram sends the secret given to setWebhook in the X-Telegram-Bot-Api-Secret-Token
header of every update. Rasa's TelegramInput neither registers a secret nor checks
the header, so anyone who learns the webhook URL can post forged updates. This
connector registers the secret and refuses updates without it (403).
`api_url` points the bot client at another Bot API server (a self-hosted one, or a
local stand-in in the tests).

Buttons (RasaHQ/rasa#4041): Rasa sends a button's payload as its callback data, which
Telegram limits to 64 bytes; a longer payload (an intent with entities) makes Telegram
refuse the whole message (BUTTON_DATA_INVALID), so the user gets nothing. Here the
payload's JSON is written compactly, and a payload still too long is replaced by the
button's title, which the assistant understands typed back. Rasa never answers the
callback query of a pressed button, so the user's app shows it loading until
Telegram gives up; here every callback query is answered as it arrives. And buttons
come one per row: Rasa puts them all on one row, where three related questions are
cut to a few letters each on a phone.
"""

import hmac
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response
from sanic.request import Request

from channels.resilience import ApologizingChannel

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_CALLBACK_DATA_BYTES = 64  # Telegram's limit for an inline button's callback_data
_INTENT_PAYLOAD = re.compile(r"^(/[^{]+)(\{.*\})$", re.DOTALL)


def compact_payload(payload: str) -> str:
    """`/intent{"key": "value"}` with its JSON written without spaces; other payloads unchanged."""
    match = _INTENT_PAYLOAD.match(payload)
    if not match:
        return payload
    try:
        entities = json.loads(match.group(2))
    except ValueError:
        return payload
    return match.group(1) + json.dumps(entities, separators=(",", ":"), ensure_ascii=False)


def callback_data(button: Dict[str, Any]) -> Optional[str]:
    """What a pressed button sends back: its payload if it fits Telegram's 64 bytes, else its title."""
    for candidate in (
        compact_payload(str(button.get("payload") or "")),
        str(button.get("title") or ""),
    ):
        if candidate and len(candidate.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            return candidate
    return None


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

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        """The text with its buttons as an inline keyboard, one button per row."""
        keyboard = InlineKeyboardMarkup()
        for button in buttons:
            data = callback_data(button)
            if data is None:
                logger.warning(
                    "A button is left out: its payload and title exceed Telegram's %d bytes: %r",
                    MAX_CALLBACK_DATA_BYTES,
                    button.get("title"),
                )
                continue
            keyboard.row(InlineKeyboardButton(button["title"], callback_data=data))
        await self.send_message(
            recipient_id, text, reply_markup=keyboard if keyboard.inline_keyboard else None
        )


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
        self.output: Optional[TelegramOutput] = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_secret_token(request: Request) -> Optional[Any]:
            if request.method == "POST" or request.path.endswith("/set_webhook"):
                sent = request.headers.get(SECRET_HEADER, "")
                if not hmac.compare_digest(sent.encode(), self.secret_token.encode()):
                    logger.warning("Refused a Telegram request without the secret token")
                    return response.json({"error": "forbidden"}, status=403)
                if request.method == "POST" and request.path.endswith("/webhook"):
                    await self.answer_callback_query(request)
            return None

        return webhook

    async def answer_callback_query(self, request: Request) -> None:
        """Tell Telegram a pressed button was received, so the user's app stops waiting."""
        try:
            update = request.json
        except Exception:  # a malformed body: Rasa's handler answers it
            return
        query = update.get("callback_query") if isinstance(update, dict) else None
        if not isinstance(query, dict) or not query.get("id") or self.output is None:
            return
        try:
            await self.output.answer_callback_query(str(query["id"]))
        except Exception as error:  # the answer is a courtesy; the update is still handled
            logger.warning("Could not answer Telegram's callback query: %s", error)

    def get_output_channel(self) -> TelegramOutput:
        import asyncio

        channel = TelegramOutput(self.access_token, self.secret_token, self.server)
        self.output = channel

        async def register() -> None:
            await channel.set_webhook(url=self.webhook_url)
            # The HTTP session belongs to this short-lived event loop; closing it makes
            # the bot open a new one in the server's loop (Rasa's connector reuses the
            # dead one and fails with "Event loop is closed" on the first update).
            await channel.close()

        asyncio.run(register())
        return channel
