"""WeChat's part, played for the tests: its signed (and encrypted) deliveries, and its API.

`WeChatServer` posts to the connector what WeChat's servers post, in plaintext mode,
兼容模式 (the plaintext fields and their encryption) or 安全模式 (encryption only),
with wechatpy's crypto, and reads the replies back, checking their signature.
`WeChatAPI` answers, on the local stand-in, the API calls the connector makes:
access tokens (which it can expire), customer-service messages, the menu.
"""

import hashlib
import json
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

import requests
from wechatpy.crypto import WeChatCrypto

from tests.channels.standin import StandIn

ACCOUNT = "gh_0123456789ab"  # the account's original id: ToUserName of every message


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def new_openid(marker: str = "") -> str:
    """A follower's openid (28 characters); `marker` makes its answers slow (SlowActions)."""
    return ("oTest" + marker + uuid.uuid4().hex)[:28]


def new_msg_id() -> int:
    return uuid.uuid4().int % 10**19


def message_xml(openid: str, msg_type: str, body: str = "", created: Optional[int] = None) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>{body}</xml>"
    )


def text_xml(openid: str, text: str, msg_id: Optional[int] = None) -> str:
    body = f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id or new_msg_id()}</MsgId>"
    return message_xml(openid, "text", body)


def voice_xml(openid: str, recognition: Optional[str]) -> str:
    body = (
        "<MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format>"
        + (
            f"<Recognition><![CDATA[{recognition}]]></Recognition>"
            if recognition is not None
            else ""
        )
        + f"<MsgId>{new_msg_id()}</MsgId>"
    )
    return message_xml(openid, "voice", body)


def event_xml(openid: str, event: str, key: Optional[str] = None) -> str:
    body = f"<Event><![CDATA[{event}]]></Event>"
    if key is not None:
        body += f"<EventKey><![CDATA[{key}]]></EventKey>"
    return message_xml(openid, "event", body)


class WeChatServer:
    """Posts to the connector as WeChat's servers do."""

    def __init__(self, base: str, token: str, app_id: str, aes_key: str) -> None:
        self.url = f"{base}/webhooks/wechat/webhook"
        self.token = token
        self.crypto = WeChatCrypto(token, aes_key, app_id)

    def signed_query(
        self, timestamp: Optional[int] = None, token: Optional[str] = None, **extra: str
    ) -> Dict[str, str]:
        stamp, nonce = str(timestamp or int(time.time())), uuid.uuid4().hex[:10]
        signature = sha1_signature(token or self.token, stamp, nonce)
        return {"signature": signature, "timestamp": stamp, "nonce": nonce, **extra}

    def encrypted(
        self, xml: str, mode: str, query: Dict[str, str], crypto: Optional[WeChatCrypto] = None
    ) -> Tuple[str, Dict[str, str]]:
        """The body and query of `xml` sent in 兼容模式 ("compat") or 安全模式 ("safe")."""
        sealed = ET.fromstring(
            (crypto or self.crypto).encrypt_message(xml, query["nonce"], query["timestamp"])
        )
        encrypt = sealed.findtext("Encrypt")
        if mode == "compat":
            body = xml.replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
        else:
            body = (
                f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
                f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
            )
        return body, {
            **query,
            "encrypt_type": "aes",
            "msg_signature": sealed.findtext("MsgSignature") or "",
        }

    def post(
        self, xml: str, mode: str = "plain", query: Optional[Dict[str, str]] = None
    ) -> requests.Response:
        query = query or self.signed_query(openid="o")
        body = xml
        if mode != "plain":
            body, query = self.encrypted(xml, mode, query)
        return requests.post(
            self.url,
            params=query,
            data=body.encode("utf-8"),
            headers={"Content-Type": "text/xml"},
            timeout=30,
        )

    def read_reply(self, answer: requests.Response, encrypted: bool) -> ET.Element:
        """A passive reply, decrypted (and its signature checked) when it is encrypted."""
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/xml")
        root = ET.fromstring(answer.content)
        if not encrypted:
            assert root.find("Encrypt") is None
            return root
        assert root.find("Content") is None  # nothing readable outside the encryption
        plain = self.crypto.decrypt_message(
            answer.text,
            root.findtext("MsgSignature"),
            root.findtext("TimeStamp"),
            root.findtext("Nonce"),
        )
        return ET.fromstring(plain)

    def reply(self, xml: str, mode: str = "plain") -> ET.Element:
        return self.read_reply(self.post(xml, mode), encrypted=mode != "plain")

    def say(self, openid: str, text: str, mode: str = "plain") -> str:
        reply = self.reply(text_xml(openid, text), mode)
        assert reply.findtext("MsgType") == "text"
        assert reply.findtext("ToUserName") == openid
        assert reply.findtext("FromUserName") == ACCOUNT
        return reply.findtext("Content") or ""


class WeChatAPI:
    """WeChat's API on the stand-in: tokens, customer-service messages and the menu."""

    def __init__(self, standin: StandIn, app_id: str, app_secret: str) -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.lifetime = 7200
        self.issued: List[Tuple[str, float]] = []  # (token, when)
        self.valid: Dict[str, float] = {}  # token -> expiry
        self.refusals: Dict[str, int] = {}  # openid -> errcode to answer
        self.messages: List[Dict[str, Any]] = []  # every send attempt: touser, content, token
        self.rejected: List[Tuple[str, str, int]] = []  # (path, token, errcode)
        self.menus: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        standin.on("/cgi-bin/token", self._token)
        standin.on("/cgi-bin/message/custom/send", self._custom_send)
        standin.on("/cgi-bin/menu/create", self._menu_create)

    @property
    def base(self) -> str:
        return "/cgi-bin/"

    def expire_tokens(self) -> None:
        """Every token issued so far stops working, as when WeChat expires it early."""
        with self._lock:
            self.valid.clear()

    def sent_to(self, openid: str) -> List[str]:
        """The texts WeChat accepted for `openid`."""
        with self._lock:
            return [m["content"] for m in self.messages if m["touser"] == openid and m["accepted"]]

    def attempts_for(self, openid: str) -> int:
        with self._lock:
            return sum(1 for m in self.messages if m["touser"] == openid)

    def _token(self, path: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        query = parse_qs(urlsplit(path).query)
        if query.get("appid") != [self.app_id] or query.get("secret") != [self.app_secret]:
            return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
        with self._lock:
            token = f"token-{len(self.issued) + 1}-{uuid.uuid4().hex[:8]}"
            self.issued.append((token, time.monotonic()))
            self.valid[token] = time.monotonic() + self.lifetime
        return 200, {"access_token": token, "expires_in": self.lifetime}

    def _check_token(self, path: str) -> Optional[Tuple[int, Dict[str, Any]]]:
        token = (parse_qs(urlsplit(path).query).get("access_token") or [""])[0]
        with self._lock:
            expiry = self.valid.get(token)
            if expiry is not None and expiry > time.monotonic():
                return None
            known = any(token == issued for issued, _ in self.issued)
            code = 42001 if known else 40001
            self.rejected.append((path, token, code))
        return 200, {"errcode": code, "errmsg": "access_token expired" if known else "invalid"}

    def _custom_send(self, path: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        refused = self._check_token(path)
        if refused:
            return refused
        payload = json.loads(body.get("raw") or "{}") if "raw" in body else body
        openid = payload.get("touser", "")
        code = self.refusals.get(openid, 0)
        with self._lock:
            self.messages.append(
                {
                    "touser": openid,
                    "content": (payload.get("text") or {}).get("content", ""),
                    "token": (parse_qs(urlsplit(path).query).get("access_token") or [""])[0],
                    "accepted": code == 0,
                }
            )
        if code:
            return 200, {"errcode": code, "errmsg": "refused"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _menu_create(self, path: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        refused = self._check_token(path)
        if refused:
            return refused
        with self._lock:
            self.menus.append(json.loads(body.get("raw") or "{}") if "raw" in body else body)
        return 200, {"errcode": 0, "errmsg": "ok"}
