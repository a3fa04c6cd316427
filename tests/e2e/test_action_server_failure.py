"""When the action server is down or slow, the user gets an apology naming 12333, and the
conversation continues once it is back."""

import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.servers import (
    Assistant,
    ensure_ready,
    free_port,
    start_action_server,
    start_rasa,
    write_endpoints,
)

DEADLINE = "3"


@pytest.fixture(scope="module")
def assistant_without_actions(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("no_actions")
    action_port, rasa_port = free_port(), free_port()
    endpoints = write_endpoints(log_dir, action_port, log_dir / "conversations.db")
    rasa = start_rasa(rasa_port, endpoints, log_dir, env={"REPLY_DEADLINE_SECONDS": DEADLINE})
    try:
        ensure_ready([f"http://127.0.0.1:{rasa_port}/webhooks/rest/"], [rasa])
        yield Assistant(rasa_port, log_dir / "conversations.db"), action_port, log_dir
    finally:
        rasa.stop()


def test_action_server_down_then_back(assistant_without_actions, knowledge):
    assistant, action_port, log_dir = assistant_without_actions
    sender = f"down-{uuid.uuid4().hex[:8]}"
    apology = assistant.say(sender, "我的社保卡丢了")
    assert [m["text"] for m in apology] == [knowledge.messages.service_unavailable.zh]
    assert "12333" in apology[0]["text"]
    assert (
        assistant.say(sender, "what documents do I need?")[0]["text"]
        == knowledge.messages.service_unavailable.en
    )

    actions = start_action_server(action_port, log_dir)
    try:
        ensure_ready([f"http://127.0.0.1:{action_port}/health"], [actions])
        back = assistant.say(sender, "what documents do I need?")
        assert back[0]["custom"]["topic"] == "materials"
        # Both turns during the outage were kept in the conversation.
        assert assistant.user_texts(sender)[:2] == ["我的社保卡丢了", "what documents do I need?"]
    finally:
        actions.stop()


class SlowActionServer:
    """An action endpoint that answers only after `delay` seconds."""

    def __init__(self, port: int, delay: float) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(delay)
                body = b'{"events": [], "responses": [{"text": "late answer"}]}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_slow_action_server_gets_an_apology_in_time(assistant_without_actions, knowledge):
    assistant, action_port, _ = assistant_without_actions
    slow = SlowActionServer(action_port, delay=8)
    try:
        reply = assistant.say(f"slow-{uuid.uuid4().hex[:8]}", "hello")
    finally:
        slow.close()
    # The apology, not the late answer: the user was not kept waiting for it.
    assert [m["text"] for m in reply] == [knowledge.messages.service_unavailable.en]
