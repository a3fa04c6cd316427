"""WeChat's customer-service API (客服消息): answers that missed the passive reply's 5 seconds.

A passive reply must be the HTTP response to WeChat's request within five seconds;
an answer that takes longer is sent afterwards as customer-service messages, which
WeChat accepts within 48 hours of the user's last message. Every call carries an
access token that the account's AppID and AppSecret buy from WeChat for two hours.
wechatpy's client does the calls and fetches a token again when WeChat calls it
invalid or expired (40001, 42001); this module adds:

- the token kept for a little less than WeChat's `expires_in`, so it is renewed before
  it expires, and kept in Redis when the deployment has one, so that every instance
  uses (and renews) the same token instead of each buying its own;
- the API's address configurable (WECHAT_API_URL: a local stand-in in the tests),
  the token's too, and a timeout on every call;
- long answers split within a text message's size, and the API's refusals (the 48-hour
  window, the message quotas) logged with their reason instead of raised.
"""

import asyncio
import logging
import time
from typing import Any, Dict, Mapping, Optional, Tuple

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from channels.wechat_text import MAX_TEXT_BYTES, split_text

logger = logging.getLogger(__name__)

WECHAT_API_URL = "https://api.weixin.qq.com/cgi-bin/"
API_TIMEOUT_SECONDS = 10
# A token is dropped from the store this long before WeChat's expiry (at most a fifth
# of its life): the next call then fetches a new one while the old still works.
RENEW_BEFORE_EXPIRY_SECONDS = 300

# Why WeChat refused a customer-service message, by its error code.
REFUSALS: Dict[int, str] = {
    45015: "the user has not written for 48 hours, so the customer-service window is closed",
    45047: "the account reached WeChat's limit of customer-service messages to this user",
    45009: "the account used up its daily quota of API calls",
    45002: "the message is longer than WeChat accepts",
    48001: "the account has no permission for the customer-service API",
    40003: "the openid is not a follower of this account",
    43004: "the user does not follow the account any more",
}


def refusal_reason(error: WeChatClientException) -> str:
    """What a WeChat API error means, for the log."""
    known = REFUSALS.get(int(error.errcode or 0))
    return f"{error.errcode} ({known or error.errmsg})"


def renewal_ttl(expires_in: Optional[int]) -> Optional[int]:
    """How long to keep a token that WeChat says expires in `expires_in` seconds."""
    if not expires_in:
        return None
    return max(1, int(expires_in) - min(RENEW_BEFORE_EXPIRY_SECONDS, int(expires_in) // 5))


class ExpiringMemoryStorage(SessionStorage):
    """A token store of this process that forgets a value when its time is up.

    (wechatpy's MemoryStorage keeps values for ever and relies on the client's own
    clock, which an instance that did not fetch the token does not have.)
    """

    def __init__(self) -> None:
        self._data: Dict[str, Tuple[Optional[float], Any]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        expires, value = self._data.get(key, (None, default))
        if expires is not None and expires <= time.monotonic():
            self._data.pop(key, None)
            return default
        return value

    def set(self, key: str, value: Any, ttl: Optional[int] = None) -> None:
        if value is not None:
            self._data[key] = (time.monotonic() + ttl if ttl else None, value)

    def delete(self, key: str) -> None:
        self._data.pop(key, None)


class RenewingStorage(SessionStorage):
    """A token store that keeps each token for `renewal_ttl` of WeChat's lifetime."""

    def __init__(self, inner: SessionStorage) -> None:
        self.inner = inner

    def get(self, key: str, default: Any = None) -> Any:
        return self.inner.get(key, default)

    def set(self, key: str, value: Any, ttl: Optional[int] = None) -> None:
        self.inner.set(key, value, renewal_ttl(ttl))

    def delete(self, key: str) -> None:
        self.inner.delete(key)


class _TimedSession(requests.Session):
    """wechatpy fetches the token without a timeout; every call here has one."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = kwargs.get("timeout") or API_TIMEOUT_SECONDS
        return super().request(*args, **kwargs)


class AccountClient(WeChatClient):
    """wechatpy's client of one Official Account, at a configurable API address."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        api_url: Optional[str] = None,
        session: Optional[SessionStorage] = None,
    ) -> None:
        super().__init__(
            app_id,
            app_secret,
            session=RenewingStorage(session or ExpiringMemoryStorage()),
            timeout=API_TIMEOUT_SECONDS,
        )
        self.API_BASE_URL = (api_url or WECHAT_API_URL).rstrip("/") + "/"
        self._http = _TimedSession()

    def fetch_access_token(self) -> Dict[str, Any]:
        # wechatpy's asks api.weixin.qq.com whatever the client's address.
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )

    @property
    def access_token(self) -> str:
        # The store alone says whether a token is still good: it may have been fetched
        # by another instance, whose expiry this client never saw.
        token = self.session.get(self.access_token_key)
        if not token:
            self.fetch_access_token()
            token = self.session.get(self.access_token_key)
        return str(token)


def token_storage(credentials: Mapping[str, Any]) -> SessionStorage:
    """Redis when the credentials name a Redis host (shared by every instance), memory otherwise."""
    host = credentials.get("redis_host")
    if not host:
        return ExpiringMemoryStorage()
    import redis
    from wechatpy.session.redisstorage import RedisStorage

    client = redis.Redis(
        host=str(host),
        port=int(credentials.get("redis_port") or 6379),
        db=int(credentials.get("redis_db") or 0),
        password=credentials.get("redis_password") or None,
        socket_timeout=2,
    )
    return RedisStorage(client, prefix="sscard:wechat")


class CustomerService:
    """Sends texts to a user as customer-service messages, within WeChat's limits."""

    def __init__(self, client: AccountClient) -> None:
        self.client = client

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any]) -> Optional["CustomerService"]:
        """The API of the account the credentials describe, or None without an AppSecret."""
        if not credentials.get("app_secret"):
            return None
        return cls(
            AccountClient(
                str(credentials["app_id"]),
                str(credentials["app_secret"]),
                credentials.get("api_url"),
                token_storage(credentials),
            )
        )

    async def send(self, openid: str, text: str) -> bool:
        """Send `text` to `openid` in as many messages as its size needs; False if WeChat refused."""
        loop = asyncio.get_running_loop()
        for part in split_text(text, MAX_TEXT_BYTES):
            try:
                await loop.run_in_executor(None, self.client.message.send_text, openid, part)
            except WeChatClientException as error:
                if error.errcode is None:  # an HTTP error, not one of WeChat's codes
                    logger.warning(
                        "WeChat's API failed to take a message for %s: %s", openid, error
                    )
                else:
                    logger.warning(
                        "WeChat refused a customer-service message for %s: %s",
                        openid,
                        refusal_reason(error),
                    )
                return False
            except requests.RequestException as error:
                logger.warning("WeChat's API could not be reached for %s: %s", openid, error)
                return False
            except Exception:  # the token's store (Redis) is down, or WeChat answered nonsense
                logger.exception("A customer-service message for %s could not be sent", openid)
                return False
        return True
