"""The action server takes calls only from Rasa when a secret is set; Rasa's HTTP API is off
by default and needs its token when on."""

import secrets
import uuid

import pytest
import requests

from tests.servers import (
    Assistant,
    ensure_ready,
    free_port,
    start_action_server,
    start_rasa,
    write_endpoints,
)

ACTION_BODY = {
    "next_action": "action_answer",
    "sender_id": "x",
    "tracker": {
        "sender_id": "x",
        "slots": {},
        "latest_message": {"text": "hi", "intent": {"name": "greet"}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": None,
    },
    "domain": {},
    "version": "3.6.2",
}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """Action server with a shared secret, a Rasa that sends it, and one with the API on."""
    log_dir = tmp_path_factory.mktemp("guarded")
    secret, token = secrets.token_hex(16), secrets.token_hex(16)
    action_port, rasa_port = free_port(), free_port()
    actions = start_action_server(action_port, log_dir, env={"ACTION_SERVER_SECRET": secret})
    endpoints = write_endpoints(
        log_dir, action_port, log_dir / "conversations.db", action_secret=secret
    )
    rasa = start_rasa(
        rasa_port, endpoints, log_dir, extra_args=["--enable-api", "--auth-token", token]
    )
    try:
        ensure_ready(
            [
                f"http://127.0.0.1:{action_port}/health",
                f"http://127.0.0.1:{rasa_port}/webhooks/rest/",
            ],
            [actions, rasa],
        )
        yield {
            "actions": f"http://127.0.0.1:{action_port}",
            "assistant": Assistant(rasa_port),
            "token": token,
        }
    finally:
        rasa.stop()
        actions.stop()


@pytest.mark.parametrize("header", [None, "wrong-secret"])
def test_the_action_server_refuses_calls_without_the_secret(guarded, header):
    headers = {"X-Action-Server-Secret": header} if header else {}
    answer = requests.post(
        guarded["actions"] + "/webhook", json=ACTION_BODY, headers=headers, timeout=30
    )
    assert answer.status_code == 401


def test_rasa_calls_the_action_server_with_the_secret(guarded):
    reply = guarded["assistant"].say(f"s-{uuid.uuid4().hex[:8]}", "what documents do I need?")
    assert reply[0]["custom"]["topic"] == "materials"


def test_the_http_api_needs_its_token(guarded):
    sender = f"s-{uuid.uuid4().hex[:8]}"
    guarded["assistant"].say(sender, "hello")
    url = f"{guarded['assistant'].base}/conversations/{sender}/tracker"
    assert requests.get(url, timeout=30).status_code == 401
    assert requests.get(url, params={"token": "guess"}, timeout=30).status_code == 401
    assert requests.get(url, params={"token": guarded["token"]}, timeout=30).status_code == 200


def test_the_http_api_is_off_by_default(assistant):
    sender = f"s-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "hello")
    assert (
        requests.get(f"{assistant.base}/conversations/{sender}/tracker", timeout=30).status_code
        == 404
    )
    assert requests.get(f"{assistant.base}/status", timeout=30).status_code == 404
