"""WeChat Official Account (微信公众号) connector: plaintext-mode messages, passive replies.

GET  /webhooks/wechat/webhook?signature&timestamp&nonce&echostr   server verification
POST /webhooks/wechat/webhook?signature&timestamp&nonce&openid    one user message (XML)

Every request is signed: signature = sha1 of the sorted concatenation of the token,
timestamp and nonce. A text message goes to Rasa and is answered with ONE passive XML
text reply within WeChat's 5-second limit; the bot's messages are joined into one text,
quick replies as a list the user can type back. Reply texts come from the knowledge module.
"""

import asyncio
import hashlib
import hmac
import logging
import re
import time
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Set, Text

from defusedxml.ElementTree import fromstring
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.rest import AnswerCollectingOutputChannel
from channels.webhook_input import SENDER_ID, webhook_blueprint
from knowledge import LANGUAGES, Reply, load_knowledge
from knowledge.language import default_language

DEFAULT_LANGUAGE = default_language("wechat")

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
REPLY_TIMEOUT = 4.5  # seconds; WeChat gives up (and retries) after 5
SENDER_PREFIX = "wechat:"  # Rasa sender id = prefix + the user's openid
NO_REPLY = "success"  # WeChat's documented "nothing to say" answer
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
# Characters XML 1.0 forbids even inside CDATA.
_ILLEGAL_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Tasks still running after their request timed out: kept referenced until they finish.
_unfinished: Set["asyncio.Future[Any]"] = set()


class WeChatRequestError(ValueError):
    """A POST body that is not a WeChat message; answered with 400."""


def expected_signature(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode("utf-8")).hexdigest()


def valid_signature(token: str, query: Mapping[str, Optional[str]]) -> bool:
    """Whether the query's signature matches the token, timestamp and nonce."""
    signature, timestamp, nonce = (query.get(key) for key in ("signature", "timestamp", "nonce"))
    if not (token and signature and timestamp and nonce):
        return False
    expected = expected_signature(token, timestamp, nonce)
    return hmac.compare_digest(expected.encode("utf-8"), signature.encode("utf-8"))


def parse_message(body: bytes) -> Dict[str, str]:
    """The fields of a plaintext-mode message (tag -> text of <xml>'s children)."""
    try:
        root = fromstring(body, forbid_dtd=True)
    except (SyntaxError, ValueError) as error:  # ParseError; DefusedXmlException
        raise WeChatRequestError(f"not well-formed XML: {error}") from None
    if root.tag != "xml":
        raise WeChatRequestError("the root element must be <xml>")
    fields = {child.tag: (child.text or "").strip() for child in root}
    if not fields.get("MsgType"):
        raise WeChatRequestError("MsgType is missing")
    if not fields.get("FromUserName") or not SENDER_ID.match(
        SENDER_PREFIX + fields["FromUserName"]
    ):
        raise WeChatRequestError("FromUserName is missing or not an openid")
    return fields


def cdata(text: str) -> str:
    """Text as a CDATA section: "]]>" split across two sections, illegal characters dropped."""
    text = _ILLEGAL_XML_CHARS.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_user: str, content: str, now: Optional[int] = None) -> str:
    """A passive text reply in WeChat's XML format."""
    created = int(time.time()) if now is None else now
    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName>"
        f"<FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime>"
        f"<MsgType>{cdata('text')}</MsgType>"
        f"<Content>{cdata(content)}</Content></xml>"
    )


def reply_as_message(reply: Reply) -> Dict[str, Any]:
    """A knowledge Reply in the form the collector stores bot messages."""
    return {
        "text": reply.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons],
        "custom": reply.data,
    }


def render_messages(messages: Iterable[Dict[str, Any]]) -> str:
    """Bot messages as one text: paragraphs separated by a blank line, buttons as a list."""
    knowledge = load_knowledge()
    parts: List[str] = []
    for message in messages:
        if message.get("text"):
            parts.append(message["text"].strip())
        titles = [b.get("title") for b in message.get("buttons") or [] if b.get("title")]
        if titles:
            language = (message.get("custom") or {}).get("language")
            language = language if language in LANGUAGES else DEFAULT_LANGUAGE
            heading = knowledge.messages.related_heading.get(language)
            parts.append("\n".join([heading, *(f"· {title}" for title in titles)]))
    return "\n\n".join(part for part in parts if part)


def knowledge_text(key: str, with_menu: bool = False, language: str = DEFAULT_LANGUAGE) -> str:
    """A conversational message from the knowledge module, optionally with the topic menu."""
    reply = load_knowledge().message(key, language)
    return render_messages([reply_as_message(reply)]) if with_menu else reply.text


async def finished_within(work: Awaitable[Any], timeout: float) -> bool:
    """Wait for `work` at most `timeout` seconds; on timeout it goes on running to the end."""
    task = asyncio.ensure_future(work)
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout)
        return True
    except asyncio.TimeoutError:
        _unfinished.add(task)
        task.add_done_callback(_finish_late)
        return False


def _finish_late(task: "asyncio.Future[Any]") -> None:
    _unfinished.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("A late WeChat message failed", exc_info=task.exception())


class WeChatInput(InputChannel):
    """WeChat Official Account messages in plaintext mode, answered with passive replies."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials or not credentials.get("token"):
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable")  # Rasa's check raises
        return cls(str(credentials["token"]), credentials.get("app_id"))

    def __init__(self, token: Text, app_id: Optional[Text] = None) -> None:
        self.token = token
        self.app_id = app_id or ""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint(self)

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not valid_signature(self.token, request.args):
                return response.text("invalid signature", status=403)
            return response.text(request.args.get("echostr") or "")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not valid_signature(self.token, request.args):
                return response.text("invalid signature", status=403)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.text("body too large", status=413)
            try:
                fields = parse_message(request.body or b"")
            except WeChatRequestError as error:
                return response.text(str(error), status=400)
            content = await self.answer(fields, on_new_message)
            if content is None:
                return response.text(NO_REPLY)
            user, account = fields["FromUserName"], fields.get("ToUserName") or self.app_id
            return response.text(text_reply(user, account, content), content_type=XML_CONTENT_TYPE)

        return webhook

    async def answer(
        self, fields: Dict[str, str], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Optional[str]:
        """The reply text for a message, or None for no reply."""
        kind = fields["MsgType"].lower()
        if kind == "event":
            if fields.get("Event", "").lower() == "subscribe":
                return knowledge_text("greet", with_menu=True)
            return None
        if kind != "text":
            return knowledge_text("unsupported_message")
        sender_id = SENDER_PREFIX + fields["FromUserName"]
        collector = AnswerCollectingOutputChannel()
        message = UserMessage(
            fields.get("Content", ""),
            collector,
            sender_id,
            input_channel=self.name(),
            metadata={"wechat_msg_id": fields["MsgId"]} if fields.get("MsgId") else None,
        )
        try:
            if not await finished_within(on_new_message(message), REPLY_TIMEOUT):
                logger.warning("No answer for %s within %ss", sender_id, REPLY_TIMEOUT)
                return knowledge_text("service_unavailable")
        except Exception:
            logger.exception("Could not handle a message from %s", sender_id)
            return knowledge_text("service_unavailable")
        return render_messages(collector.messages) or None
