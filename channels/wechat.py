"""WeChat Official Account (微信公众号): plaintext, 兼容 and 安全 (encrypted) modes, on wechatpy.

GET  /webhooks/wechat/webhook?signature&timestamp&nonce&echostr     server verification
POST /webhooks/wechat/webhook?signature&timestamp&nonce[&encrypt_type=aes&msg_signature]

wechatpy checks the signatures, decrypts and encrypts (AES, for the AppID), parses the
XML and renders the replies. Around it, this connector:

- refuses a request whose signature is wrong (403) or whose timestamp is more than five
  minutes from now (403: a signed request replayed later), and bodies that are not
  WeChat messages (400);
- handles each message once: WeChat delivers it again (the same MsgId; for events the
  same FromUserName and CreateTime) when it had no answer within five seconds, and a
  retry gets the first delivery's reply, never a new turn (channels/deliveries.py,
  shared through Redis when the deployment has it);
- answers with one passive reply within WeChat's five seconds, encrypted when the
  request was. An answer not ready by then is answered "success" and sent when it is
  ready through the customer-service API (channels/wechat_service.py) if the account
  has an AppSecret; without it, the passive reply is the apology naming 12333, and the
  turn still finishes and is stored;
- reads voice messages from WeChat's speech recognition (`Recognition`), answers menu
  clicks as their topic (channels/wechat_menu.py), greets new followers with the menu,
  and says clearly what it cannot read (other voice, images, locations, files ...).

Reply texts come from the knowledge module, their language from knowledge/language.py.
"""

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Set, Text, Union

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import BaseEvent
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from channels.deliveries import DeliveryLedger, ledger_for
from channels.resilience import apologize_when_silent
from channels.rest import AnswerCollectingOutputChannel
from channels.webhook_input import webhook_blueprint
from channels.wechat_menu import read_click
from channels.wechat_service import CustomerService
from channels.wechat_text import (
    MAX_TEXT_BYTES,
    cdata_safe,
    fit_text,
    render_messages,
    reply_as_message,
)
from knowledge import load_knowledge
from knowledge.base import button_payload
from knowledge.language import reply_language

logger = logging.getLogger(__name__)

CHANNEL = "wechat"
MAX_BODY_BYTES = 64 * 1024
# WeChat waits five seconds for the passive reply, then delivers the message again.
PASSIVE_REPLY_SECONDS = 4.5
# A signed request older (or newer) than this is refused as a replay.
MAX_CLOCK_SKEW_SECONDS = 300
SENDER_PREFIX = "wechat:"  # Rasa sender id = prefix + the user's openid
NO_REPLY = "success"  # WeChat's documented "nothing to say", in every mode
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
# openids (o…, 28 characters) and account ids (gh_…): nothing that could reach another
# user's conversation or the reply's XML.
WECHAT_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
AES_KEY_LENGTH = 43
RETRY_POLL_SECONDS = 0.1

MessageHandler = Callable[[UserMessage], Awaitable[Any]]

# Turns still running after their passive reply went out: kept referenced until they finish.
_unfinished: Set["asyncio.Future[Any]"] = set()


class RefusedRequest(Exception):
    """A request the webhook refuses, with the HTTP status and the reason (logged, and sent)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Delivery:
    """One verified (and decrypted) delivery of a message by WeChat."""

    message: BaseMessage
    encrypted: bool
    nonce: str

    @property
    def user(self) -> str:
        return str(self.message.source)

    @property
    def account(self) -> str:
        return str(self.message.target)

    @property
    def key(self) -> str:
        """What identifies the message across WeChat's retries (its documented de-duplication)."""
        if self.message.id:
            return f"{self.account}:msg:{self.message.id}"
        return f"{self.account}:event:{self.user}:{self.message.time}"


@dataclass(frozen=True)
class Turn:
    """Something the user said, for the assistant; `language` when a menu button asked for one."""

    text: str
    language: Optional[str] = None


@dataclass(frozen=True)
class Notice:
    """The channel's own answer, a message of the knowledge module."""

    key: str
    with_menu: bool = False


def wire_type(message: BaseMessage) -> str:
    # wechatpy parses types it does not know (a new event, `file`) into UnknownMessage,
    # whose `type` no longer says whether it was an event.
    return str(getattr(message, "_data", {}).get("MsgType") or message.type).lower()


def what_was_sent(message: BaseMessage) -> Union[Turn, Notice, None]:
    """What a message asks of the assistant: a turn, the channel's own answer, or nothing."""
    kind = wire_type(message)
    if kind == "text":
        return Turn(str(message.content or ""))
    if kind == "voice":
        # Recognition is there when the account has speech recognition (语音识别) on.
        recognised = str(getattr(message, "recognition", None) or "").strip()
        return Turn(recognised) if recognised else Notice("voice_unrecognised")
    if kind == "image":
        return Notice("image_message")
    if kind == "location":
        return Notice("location_message")
    if kind != "event":
        return Notice("unsupported_message")
    event = str(message.event if isinstance(message, BaseEvent) else "").lower()
    if event in ("subscribe", "subscribe_scan"):
        return Notice("greet", with_menu=True)
    if event == "click":
        click = read_click(str(getattr(message, "key", None) or ""))
        topics = load_knowledge().topics
        if click and click.topic in topics:
            return Turn(button_payload(topics[click.topic].intent, click.language), click.language)
        logger.warning("A menu click with an unknown key: %r", getattr(message, "key", None))
        return Notice("help", with_menu=True)
    return None  # unsubscribe, VIEW, location reports, job reports ...


def notice_text(notice: Notice) -> str:
    """A channel message in the channel's language (knowledge/language.py), with the menu if asked."""
    reply = load_knowledge().message(notice.key, reply_language("", None, None, CHANNEL))
    return render_messages([reply_as_message(reply)]) if notice.with_menu else reply.text


def apology_text(turn: Turn) -> str:
    """The apology naming 12333, in the language the user would have been answered in."""
    language = reply_language(turn.text, turn.language, None, CHANNEL)
    return load_knowledge().message("service_unavailable", language).text


class WeChatAccount:
    """The account's side of WeChat's protocol: signatures, replay window, crypto, replies."""

    def __init__(
        self, token: str, app_id: Optional[str] = None, encoding_aes_key: Optional[str] = None
    ) -> None:
        self.token = token
        self.app_id = app_id or ""
        self.crypto: Optional[WeChatCrypto] = None
        if encoding_aes_key:
            if len(encoding_aes_key) != AES_KEY_LENGTH or not self.app_id:
                raise ValueError(
                    "wechat: WECHAT_ENCODING_AES_KEY must be the console's 43-character "
                    "EncodingAESKey, with WECHAT_APP_ID"
                )
            try:
                self.crypto = WeChatCrypto(token, encoding_aes_key, self.app_id)
            except (ValueError, AssertionError) as error:
                raise ValueError(
                    "wechat: WECHAT_ENCODING_AES_KEY is not a valid EncodingAESKey"
                ) from error

    def verify(self, query: Mapping[str, Any], now: float) -> None:
        """Refuse a request that is not signed with the Token or not signed just now."""
        signature, timestamp, nonce = (query.get(k) for k in ("signature", "timestamp", "nonce"))
        if not (signature and timestamp and nonce):
            raise RefusedRequest(403, "unsigned request")
        try:
            check_signature(self.token, signature, timestamp, nonce)
        except InvalidSignatureException:
            raise RefusedRequest(403, "invalid signature") from None
        try:
            skew = abs(now - int(timestamp))
        except ValueError:
            raise RefusedRequest(403, "invalid timestamp") from None
        if skew > MAX_CLOCK_SKEW_SECONDS:
            raise RefusedRequest(403, f"stale request: signed {skew:.0f} s away from now")

    def read(self, query: Mapping[str, Any], body: bytes, now: float) -> Delivery:
        """The delivery a POST carries: verified, decrypted if encrypted, parsed."""
        if len(body) > MAX_BODY_BYTES:
            raise RefusedRequest(413, "body too large")
        self.verify(query, now)
        try:
            xml = body.decode("utf-8")
        except UnicodeDecodeError:
            raise RefusedRequest(400, "the body is not UTF-8") from None
        encrypted = str(query.get("encrypt_type") or "raw").lower() == "aes"
        if encrypted:
            xml = self._decrypt(xml, query)
        return Delivery(read_message(xml), encrypted, str(query.get("nonce")))

    def _decrypt(self, xml: str, query: Mapping[str, Any]) -> str:
        if self.crypto is None:
            raise RefusedRequest(
                400, "an encrypted message, but WECHAT_ENCODING_AES_KEY is not configured"
            )
        msg_signature = query.get("msg_signature")
        if not msg_signature:
            raise RefusedRequest(403, "an encrypted message without msg_signature")
        try:
            return str(
                self.crypto.decrypt_message(
                    xml, msg_signature, query.get("timestamp"), query.get("nonce")
                )
            )
        except InvalidSignatureException:
            raise RefusedRequest(403, "invalid message signature") from None
        except InvalidAppIdException:
            raise RefusedRequest(403, "a message encrypted for another AppID") from None
        except Exception:  # base64, padding, XML: whatever it is, it is not readable
            raise RefusedRequest(400, "the encrypted message cannot be decrypted") from None

    def passive_reply(self, delivery: Delivery, content: str) -> str:
        """The XML text reply to `delivery`, encrypted when the request was."""
        reply = TextReply(
            source=delivery.account,
            target=delivery.user,
            content=cdata_safe(content),
            time=int(time.time()),
        ).render()
        if delivery.encrypted and self.crypto is not None:
            return str(self.crypto.encrypt_message(reply, delivery.nonce))
        return str(reply)


def read_message(xml: str) -> BaseMessage:
    """A WeChat message parsed by wechatpy, or RefusedRequest(400) saying why it is not one."""
    try:
        message = parse_message(xml)
    except Exception:  # expat, a missing <xml> or MsgType, entities (forbidden by xmltodict)
        raise RefusedRequest(400, "not a WeChat message (XML with MsgType)") from None
    if message is None:
        raise RefusedRequest(400, "empty body")
    for field in ("source", "target"):
        if not WECHAT_ID.match(str(getattr(message, field) or "")):
            raise RefusedRequest(400, "FromUserName or ToUserName is missing or not an id")
    return message


class WeChatReplies(AnswerCollectingOutputChannel):
    """Collects a turn's messages for the passive reply; once handed over, sends them on."""

    def __init__(self) -> None:
        super().__init__()
        self._send_on: Optional[Callable[[List[Dict[str, Any]]], Awaitable[Any]]] = None
        self._order = asyncio.Lock()

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    async def _persist_message(self, message: Dict[Text, Any]) -> None:
        if self._send_on is None:
            self.messages.append(message)
            return
        async with self._order:
            await self._send_on([message])

    async def hand_over(self, send: Callable[[List[Dict[str, Any]]], Awaitable[Any]]) -> None:
        """From now on, send messages with `send`: first those collected, then each as it comes."""
        async with self._order:
            self._send_on = send
            collected: List[Dict[str, Any]] = list(self.messages)
            self.messages.clear()
            if collected:
                await send(collected)


async def finished_within(work: "asyncio.Future[Any]", timeout: float) -> bool:
    """Wait for `work` at most `timeout` seconds; on timeout it goes on running to the end."""
    try:
        await asyncio.wait_for(asyncio.shield(work), max(timeout, 0))
        return True
    except asyncio.TimeoutError:
        _keep_until_done(work)
        return False


def _keep_until_done(work: "asyncio.Future[Any]") -> None:
    _unfinished.add(work)
    work.add_done_callback(_finish_late)


def _finish_late(task: "asyncio.Future[Any]") -> None:
    _unfinished.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("A late WeChat answer failed", exc_info=task.exception())


class WeChatInput(InputChannel):
    """WeChat Official Account messages, answered once each, passively or through the API."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials or not credentials.get("token"):
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable")  # Rasa's check raises
        account = WeChatAccount(
            str(credentials["token"]),
            credentials.get("app_id"),
            credentials.get("encoding_aes_key"),
        )
        channel = cls(
            account, CustomerService.from_credentials(credentials), ledger_for(CHANNEL, credentials)
        )
        logger.info(
            "WeChat: %s mode, %s",
            "plaintext, 兼容 or encrypted" if account.crypto else "plaintext",
            "late answers through the customer-service API"
            if channel.service
            else "no customer-service API (late answers get the apology)",
        )
        return channel

    def __init__(
        self,
        account: WeChatAccount,
        service: Optional[CustomerService] = None,
        ledger: Optional[DeliveryLedger] = None,
    ) -> None:
        self.account = account
        self.service = service
        self.ledger: DeliveryLedger = ledger or ledger_for(CHANNEL, {})

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        webhook = webhook_blueprint(self)
        handle = apologize_when_silent(on_new_message)

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                self.account.verify(request.args, time.time())
            except RefusedRequest as refused:
                logger.warning("Refused a WeChat verification: %s", refused.reason)
                return response.text(refused.reason, status=refused.status)
            return response.text(request.args.get("echostr") or "")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            deadline = asyncio.get_running_loop().time() + PASSIVE_REPLY_SECONDS
            try:
                delivery = self.account.read(request.args, request.body or b"", time.time())
            except RefusedRequest as refused:
                logger.warning("Refused a WeChat request: %s", refused.reason)
                return response.text(refused.reason, status=refused.status)
            content = await self.reply_once(delivery, handle, deadline)
            if content is None:
                return response.text(NO_REPLY)
            return response.text(
                self.account.passive_reply(delivery, content), content_type=XML_CONTENT_TYPE
            )

        return webhook

    async def reply_once(
        self, delivery: Delivery, handle: MessageHandler, deadline: float
    ) -> Optional[str]:
        """The passive reply to a delivery (None: "success"); a retry's is the first delivery's."""
        try:
            first = await self.ledger.claim(delivery.key)
        except Exception:
            # Answering twice is better than not at all: the lock store will say if
            # Redis is really gone.
            logger.exception("WeChat deliveries cannot be checked for %s", delivery.key)
            first = True
        if not first:
            logger.info("WeChat delivered %s again: not a new turn", delivery.key)
            return await self.recorded_reply(delivery, deadline)
        content = await self.answer(delivery, handle, deadline)
        try:
            await self.ledger.record(delivery.key, json.dumps({"reply": content}))
        except Exception:
            logger.exception("The reply to %s could not be recorded for retries", delivery.key)
        return content

    async def recorded_reply(self, delivery: Delivery, deadline: float) -> Optional[str]:
        """The first delivery's reply, once it is recorded (by this instance or another)."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                recorded = await self.ledger.recorded(delivery.key)
            except Exception:
                logger.exception("WeChat deliveries cannot be read for %s", delivery.key)
                recorded = None
            if recorded is not None:
                reply: Optional[str] = json.loads(recorded)["reply"]
                return reply
            if loop.time() + RETRY_POLL_SECONDS >= deadline:
                break
            await asyncio.sleep(RETRY_POLL_SECONDS)
        # The first delivery is still being answered: through the API if there is one.
        sent = what_was_sent(delivery.message)
        return apology_text(sent) if isinstance(sent, Turn) and not self.service else None

    async def answer(
        self, delivery: Delivery, handle: MessageHandler, deadline: float
    ) -> Optional[str]:
        """The passive reply to a first delivery; late answers go on through the API."""
        sent = what_was_sent(delivery.message)
        if sent is None:
            return None
        if isinstance(sent, Notice):
            return notice_text(sent)
        replies = WeChatReplies()
        turn = asyncio.ensure_future(
            handle(
                UserMessage(
                    sent.text,
                    replies,
                    SENDER_PREFIX + delivery.user,
                    input_channel=self.name(),
                    metadata={"wechat_msg_id": str(delivery.message.id)}
                    if delivery.message.id
                    else None,
                )
            )
        )
        remaining = deadline - asyncio.get_running_loop().time()
        if await finished_within(turn, remaining):
            return await self._passive_or_sent(delivery, render_messages(replies.messages))
        if self.service:
            logger.info(
                "No answer for %s within %ss: it goes through the API",
                delivery.user,
                PASSIVE_REPLY_SECONDS,
            )
            await replies.hand_over(self._sender(delivery.user))
            return None
        logger.warning(
            "No answer for %s within %ss; apologising", delivery.user, PASSIVE_REPLY_SECONDS
        )
        await replies.hand_over(self._dropper(delivery.user))
        return apology_text(sent)

    async def _passive_or_sent(self, delivery: Delivery, text: str) -> Optional[str]:
        if not text:
            return None
        if len(text.encode("utf-8")) <= MAX_TEXT_BYTES:
            return text
        if self.service:
            # One passive reply cannot hold it: all of it, in order, through the API.
            _keep_until_done(asyncio.ensure_future(self.service.send(delivery.user, text)))
            return None
        logger.warning("The answer to %s is cut to one passive reply's size", delivery.user)
        return fit_text(text)

    def _sender(self, openid: str) -> Callable[[List[Dict[str, Any]]], Awaitable[Any]]:
        service = self.service
        assert service is not None

        async def send(messages: List[Dict[str, Any]]) -> None:
            text = render_messages(messages)
            if text:
                await service.send(openid, text)

        return send

    @staticmethod
    def _dropper(openid: str) -> Callable[[List[Dict[str, Any]]], Awaitable[Any]]:
        async def drop(messages: List[Dict[str, Any]]) -> None:
            logger.warning(
                "A late answer for %s is dropped: WeChat takes no reply after 5 s without "
                "the customer-service API (WECHAT_APP_SECRET)",
                openid,
            )

        return drop
