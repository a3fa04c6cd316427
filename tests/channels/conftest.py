"""One running assistant with every messaging platform switched on, and the platforms'
outbound APIs replaced by a local stand-in. Its answers to conversations whose sender id
contains SLOW take SLOW_SECONDS longer (tests/servers.py SlowActions)."""

import json
import time

import pytest

from tests.channels.standin import StandIn
from tests.servers import running_assistant

# Test-only secrets: the same values a platform's console would hand out.
PLATFORM_ENV = {
    "WECHAT_TOKEN": "wechat-test-token",
    # Encrypted mode (安全模式 and 兼容模式) on; no AppSecret: no customer-service API.
    "WECHAT_APP_ID": "wx0123456789abcdef",
    "WECHAT_ENCODING_AES_KEY": "P9Ryxdfxi6xNJPYLUL8kNm7U+fj0inX7KGhMSCmkSWs",
    "TELEGRAM_TOKEN": "123456:TEST-token",
    "TELEGRAM_BOT_NAME": "sscard_test_bot",
    "TELEGRAM_WEBHOOK_URL": "https://example.invalid/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret-token",
    "SLACK_TOKEN": "xoxb-test-token",
    "SLACK_SIGNING_SECRET": "slack-signing-secret",
    "FACEBOOK_VERIFY_TOKEN": "facebook-verify-token",
    "FACEBOOK_APP_SECRET": "facebook-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "facebook-page-token",
    "BOTFRAMEWORK_APP_ID": "00000000-0000-0000-0000-000000000000",
    "BOTFRAMEWORK_APP_PASSWORD": "botframework-test-password",
}
SLOW = "Slow"
SLOW_SECONDS = 6.0
TELEGRAM_BOT = {
    "id": 1,
    "is_bot": True,
    "first_name": "Card assistant",
    "username": "sscard_test_bot",
}


def telegram_api(path, body):
    method = path.rsplit("/", 1)[-1]
    if method == "getMe":
        return 200, {"ok": True, "result": TELEGRAM_BOT}
    if method == "sendMessage":
        chat_id = int(body.get("chat_id", 0) or 0)
        return 200, {
            "ok": True,
            "result": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "text": body.get("text", ""),
            },
        }
    return 200, {"ok": True, "result": True}


class SigningKey:
    """An RSA key playing Microsoft's part: publishes its JWK and signs activity tokens."""

    def __init__(self, kid: str) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa
        from jwt.algorithms import RSAAlgorithm

        self.kid = kid
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_jwk = {
            **json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key())),
            "kid": kid,
        }

    def token(self, audience: str) -> str:
        import jwt

        now = int(time.time())
        return jwt.encode(
            {"aud": audience, "iss": "https://api.botframework.com", "iat": now, "exp": now + 600},
            self.private_key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )


BOT_FRAMEWORK_KEY = SigningKey("test-key-1")
# What Microsoft's token service hands the bot for its replies (client credentials).
BOT_FRAMEWORK_ACCESS_TOKEN = "stand-in-bot-framework-access-token"


def messenger_send_api(path, body):
    """Graph API's Send API: the message id of what was sent (sender actions have none)."""
    recipient = body.get("recipient", {}).get("id")
    if "message" in body:
        return 200, {"recipient_id": recipient, "message_id": f"m_{len(str(body))}"}
    return 200, {"recipient_id": recipient}


@pytest.fixture(scope="session")
def standin():
    server = StandIn()
    server.on("/bot" + PLATFORM_ENV["TELEGRAM_TOKEN"] + "/", telegram_api)
    server.on(
        "chat.postMessage",
        lambda path, body: (
            200,
            {
                "ok": True,
                "channel": body.get("channel"),
                "ts": "1.000001",
                "message": {"text": body.get("text")},
            },
        ),
    )
    server.on(
        "/botframework/openid",
        lambda path, body: (200, {"jwks_uri": server.url + "/botframework/keys"}),
    )
    server.on(
        "/botframework/keys", lambda path, body: (200, {"keys": [BOT_FRAMEWORK_KEY.public_jwk]})
    )
    # Reached through the stand-in as HTTPS proxy (`StandIn.intercept_https`).
    server.on("https://graph.facebook.com/", messenger_send_api)
    server.on(
        "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token",
        lambda path, body: (
            200,
            {
                "token_type": "Bearer",
                "expires_in": 3600,
                "access_token": BOT_FRAMEWORK_ACCESS_TOKEN,
            },
        ),
    )
    yield server
    server.close()


@pytest.fixture(scope="session")
def platform_env(standin, tmp_path_factory):
    return {
        **PLATFORM_ENV,
        # Messenger's and Bot Framework's clients reach graph.facebook.com and
        # login.microsoftonline.com at fixed addresses: through the stand-in instead.
        **standin.intercept_https(tmp_path_factory.mktemp("standin-tls")),
        "TELEGRAM_API_URL": standin.url,
        "SLACK_API_URL": standin.url,
        "BOTFRAMEWORK_OPENID_URL": standin.url + "/botframework/openid",
        "CALLBACK_URL": standin.url + "/callback-receiver",
    }


@pytest.fixture(scope="session")
def platform_assistant(tmp_path_factory, platform_env, standin):
    with running_assistant(
        tmp_path_factory.mktemp("platforms"),
        env=platform_env,
        slow_senders=SLOW,
        slow_seconds=SLOW_SECONDS,
    ) as running:
        yield running
