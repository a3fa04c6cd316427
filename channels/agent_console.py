"""The agent console: the office's staff take over conversations from the bot.

credentials.yml switches it on (`channels.agent_console.AgentConsoleInput:`); Rasa serves
it at /webhooks/console/. An agent logs in with their name and secret (operators/agents.py
keeps the hashes; SSCARD_AGENTS_FILE); every other route, the page's script and style
included, answers 401 without the signed session cookie that the login sets. The page
polls /api/state: being on duty lasts while it does (operators/console.py).

    GET  /webhooks/console/                       the console (or the login form)
    POST /webhooks/console/login                  form: agent, secret
    POST /webhooks/console/logout
    GET  /webhooks/console/api/state              queue, left messages, who is on duty
    POST /webhooks/console/api/duty               {"on_duty": true}
    GET  /webhooks/console/api/conversations/ID   history, topic, language, region
    POST /webhooks/console/api/conversations/ID/take | reply {"text"} | hand_back
    POST /webhooks/console/api/contact_requests/N/done

State-changing calls must be JSON with the `X-Console` header (a page elsewhere cannot
send it), and the cookie is SameSite=Strict and HttpOnly. CONSOLE_SESSION_KEY signs the
cookies (several Rasa instances need the same one); without it each process makes one.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections import defaultdict, deque
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable, Deque, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from operators.agents import read_agents, secret_matches
from operators.bridge import ConversationBridge, NotHandedOver, history
from operators.console import ConsoleHandover, region_label
from operators.handover import register
from privacy.personal_data import mask_text

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parents[1] / "operators" / "console"
COOKIE = "sscard_console"
SESSION_SECONDS = 12 * 3600
HEADER = "X-Console"
MAX_REPLY_CHARS = 2000
SWEEP_SECONDS = 15.0
# Failed logins per client address in LOGIN_WINDOW seconds before it is made to wait.
MAX_FAILED_LOGINS = 5
LOGIN_WINDOW = 300.0
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


class Sessions:
    """Signed, expiring session cookies: `<agent, expiry as base64 JSON>.<HMAC-SHA256>`."""

    def __init__(self, key: Optional[bytes] = None) -> None:
        configured = os.environ.get("CONSOLE_SESSION_KEY")
        self.key = key or (configured.encode() if configured else secrets.token_bytes(32))

    def issue(self, agent: str, now: Optional[float] = None) -> str:
        body = json.dumps({"agent": agent, "exp": int((now or time.time()) + SESSION_SECONDS)})
        encoded = base64.urlsafe_b64encode(body.encode()).decode()
        return f"{encoded}.{self._sign(encoded)}"

    def agent(self, cookie: Optional[str], now: Optional[float] = None) -> Optional[str]:
        """The agent a cookie was issued to, if it is genuine, unexpired and they still exist."""
        if not cookie or "." not in cookie:
            return None
        encoded, signature = cookie.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(encoded)):
            return None
        try:
            body = json.loads(base64.urlsafe_b64decode(encoded.encode()))
        except ValueError:
            return None
        if body.get("exp", 0) < (now or time.time()) or body.get("agent") not in read_agents():
            return None
        return str(body["agent"])

    def _sign(self, encoded: str) -> str:
        return hmac.new(self.key, encoded.encode(), hashlib.sha256).hexdigest()


class AgentConsoleInput(InputChannel):
    """Serves the agent console and makes its hand-over the one Rasa's side uses."""

    @classmethod
    def name(cls) -> Text:
        return "console"

    def __init__(self) -> None:
        self.handover = ConsoleHandover()
        self.sessions = Sessions()
        self._failed: Dict[str, Deque[float]] = defaultdict(deque)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        register(self.handover)
        console = Blueprint("agent_console", __name__)
        handover = self.handover

        @console.listener("after_server_start")
        async def attach(app: Any, loop: Any) -> None:
            handover.attach(ConversationBridge(app.ctx.agent, app.ctx.input_channels))
            if not read_agents():
                logger.warning(
                    "Agent console: no agents in %s yet (make agent NAME=...)",
                    os.environ.get("SSCARD_AGENTS_FILE", "var/agents.yml"),
                )
            app.add_task(self._sweep_forever())

        @console.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if self._agent(request) is None:
                return self._login_page()
            return self._asset("console.html")

        @console.route("/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            client = request.remote_addr or request.ip or "unknown"
            if self._too_many_failures(client):
                return self._login_page(error="wait", status=429)
            name = (request.form.get("agent") or "").strip()
            secret = request.form.get("secret") or ""
            stored = read_agents().get(name)
            if not stored or not secret_matches(secret, stored):
                self._failed[client].append(time.monotonic())
                logger.warning("Agent console: failed login for %r from %s", name, client)
                return self._login_page(error="wrong", status=401)
            self._failed.pop(client, None)
            redirect = response.redirect("./", status=303)
            redirect.cookies[COOKIE] = self.sessions.issue(name)
            redirect.cookies[COOKIE].update(
                {
                    "httponly": True,
                    "samesite": "Strict",
                    "path": "/webhooks/console/",
                    "max-age": SESSION_SECONDS,
                }
            )
            if request.scheme == "https" or request.headers.get("x-forwarded-proto") == "https":
                redirect.cookies[COOKIE]["secure"] = True
            return self._secured(redirect)

        @console.route("/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            agent = self._agent(request)
            if agent:
                handover.set_on_duty(agent, False)
            redirect = response.redirect("./", status=303)
            del redirect.cookies[COOKIE]
            return self._secured(redirect)

        @console.route("/<asset:(console\\.js|console\\.css)>", methods=["GET"])
        async def asset(request: Request, asset: str) -> HTTPResponse:
            if self._agent(request) is None:
                return self._denied()
            return self._asset(asset)

        @console.route("/api/state", methods=["GET"])
        async def state(request: Request) -> HTTPResponse:
            agent = self._agent(request)
            if agent is None:
                return self._denied()
            on_duty = handover.seen(agent)
            return self._json(
                {
                    "agent": agent,
                    "on_duty": on_duty,
                    "agents_on_duty": handover.agents_on_duty(),
                    "office_open": handover.settings.office_hours.is_open(
                        datetime.now(timezone.utc)
                    ),
                    "queue": handover.queue(),
                    "contact_requests": handover.contact_requests(),
                }
            )

        @console.route("/api/duty", methods=["POST"])
        async def duty(request: Request) -> HTTPResponse:
            agent, body = self._change(request)
            if agent is None:
                return self._denied()
            handover.set_on_duty(agent, bool(body.get("on_duty")))
            return self._json({"on_duty": bool(body.get("on_duty"))})

        @console.route("/api/conversations/<sender_id>", methods=["GET"])
        async def conversation(request: Request, sender_id: str) -> HTTPResponse:
            agent = self._agent(request)
            if agent is None:
                return self._denied()
            entry = handover.entry(sender_id)
            tracker = (
                await handover.bridge.tracker(sender_id) if handover.bridge and entry else None
            )
            if entry is None or tracker is None:
                return self._json({"error": "not_handed_over"}, status=404)
            return self._json(
                {
                    "entry": entry,
                    "slots": {
                        "topic": tracker.get_slot("topic"),
                        "language": tracker.get_slot("language"),
                        "region": region_label(
                            tracker.get_slot("region"), tracker.get_slot("language")
                        ),
                    },
                    "history": [vars(line) for line in history(tracker)],
                }
            )

        @console.route(
            "/api/conversations/<sender_id>/<action:(take|reply|hand_back)>", methods=["POST"]
        )
        async def act(request: Request, sender_id: str, action: str) -> HTTPResponse:
            agent, body = self._change(request)
            if agent is None:
                return self._denied()
            try:
                if action == "take":
                    await handover.take(sender_id, agent)
                elif action == "hand_back":
                    await handover.hand_back(sender_id, agent)
                else:
                    text = body.get("text")
                    if not isinstance(text, str) or not text.strip() or len(text) > MAX_REPLY_CHARS:
                        return self._json(
                            {
                                "error": "invalid_text",
                                "detail": f"1 to {MAX_REPLY_CHARS} characters",
                            },
                            status=400,
                        )
                    await handover.reply(sender_id, agent, mask_text(text.strip()))
            except NotHandedOver:
                return self._json({"error": "not_handed_over"}, status=409)
            return self._json({"done": action})

        @console.route("/api/contact_requests/<number:int>/done", methods=["POST"])
        async def contact_done(request: Request, number: int) -> HTTPResponse:
            agent, _ = self._change(request)
            if agent is None:
                return self._denied()
            done = handover.contact_done(number, agent)
            return self._json({"done": done}, status=200 if done else 404)

        return console

    # ---- helpers ----

    def _agent(self, request: Request) -> Optional[str]:
        return self.sessions.agent(request.cookies.get(COOKIE))

    def _change(self, request: Request):
        """The agent and JSON body of a state-changing call, or (None, {})."""
        agent = self._agent(request)
        if agent is None or request.headers.get(HEADER) != "1":
            return None, {}
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return None, {}
        return agent, body if isinstance(body, dict) else {}

    def _too_many_failures(self, client: str) -> bool:
        failures = self._failed[client]
        while failures and failures[0] < time.monotonic() - LOGIN_WINDOW:
            failures.popleft()
        return len(failures) >= MAX_FAILED_LOGINS

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await self.handover.sweep()
            except Exception:
                logger.exception("Agent console: the sweep of unattended hand-overs failed")

    def _secured(self, answer: HTTPResponse, nonce: Optional[str] = None) -> HTTPResponse:
        styles = f"'nonce-{nonce}'" if nonce else "'self'"
        answer.headers.update(SECURITY_HEADERS)
        answer.headers["Content-Security-Policy"] = (
            f"default-src 'self'; style-src {styles}; img-src 'self' data:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        return answer

    def _asset(self, name: str) -> HTTPResponse:
        path = ASSETS / name
        return self._secured(
            response.text(path.read_text(encoding="utf-8"), content_type=CONTENT_TYPES[path.suffix])
        )

    def _login_page(self, error: Optional[str] = None, status: int = 200) -> HTTPResponse:
        nonce = secrets.token_urlsafe(16)
        page = (ASSETS / "login.html").read_text(encoding="utf-8")
        page = page.replace("{nonce}", nonce).replace("{error}", error or "")
        return self._secured(response.html(page, status=status), nonce=nonce)

    def _denied(self) -> HTTPResponse:
        return self._secured(response.json({"error": "login_required"}, status=401))

    def _json(self, body: Dict[str, Any], status: int = 200) -> HTTPResponse:
        return self._secured(response.json(body, status=status))
