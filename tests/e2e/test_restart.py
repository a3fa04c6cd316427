"""Conversations are kept in the embedded SQLite tracker store across a restart."""

import uuid

from tests.servers import (
    Assistant,
    ensure_ready,
    free_port,
    start_action_server,
    start_rasa,
    write_endpoints,
)


def test_the_remembered_region_survives_a_restart(tmp_path, knowledge):
    action_port, rasa_port = free_port(), free_port()
    endpoints = write_endpoints(tmp_path, action_port, tmp_path / "conversations.db")
    actions = start_action_server(action_port, tmp_path)
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    try:
        rasa = start_rasa(rasa_port, endpoints, tmp_path)
        ensure_ready(
            [
                f"http://127.0.0.1:{action_port}/health",
                f"http://127.0.0.1:{rasa_port}/webhooks/rest/",
            ],
            [actions, rasa],
        )
        assistant = Assistant(rasa_port)
        assistant.say(sender, "I live in Wuhan")
        rasa.stop()

        rasa = start_rasa(rasa_port, endpoints, tmp_path, name="rasa-restarted")
        ensure_ready([f"http://127.0.0.1:{rasa_port}/webhooks/rest/"], [rasa])
        reply = assistant.say(sender, "which department handles the card?")
        assert reply[0]["custom"]["region"] == "420100"
        assert knowledge.regions.get("420100").bureau_en in reply[0]["text"]
    finally:
        rasa.stop()
        actions.stop()
