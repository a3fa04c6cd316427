"""The endpoints `make run` gives Rasa: the action server where scripts/run.sh started it."""

from pathlib import Path

from rasa_sdk_plugins import SECRET_HEADER
from scripts.endpoints import compose

ENDPOINTS = Path(__file__).resolve().parents[2] / "endpoints.yml"


def test_rasa_calls_the_action_server_on_the_port_it_was_started_on():
    url = compose(ENDPOINTS, {"ACTION_PORT": "5155"})["action_endpoint"]["url"]
    assert url == "http://127.0.0.1:5155/webhook"


def test_without_a_port_or_a_secret_the_file_is_used_as_written():
    endpoints = compose(ENDPOINTS, {})
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    assert "headers" not in endpoints["action_endpoint"]
    assert endpoints["action_endpoint"]["tracker_events"] == "latest_turn"


def test_the_shared_secret_goes_with_every_call_to_the_action_server():
    endpoints = compose(ENDPOINTS, {"ACTION_SERVER_SECRET": "s3cret"})
    assert endpoints["action_endpoint"]["headers"] == {SECRET_HEADER: "s3cret"}
