"""The running assistant as tests talk to it; processes are started by scripts/processes.py."""

from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

from scripts.processes import (  # noqa: F401  (re-exported for the tests and the benchmark)
    BIN,
    MODEL,
    ROOT,
    Process,
    ensure_ready,
    free_port,
    quiet_environment,
    start,
    start_action_server,
    start_rasa,
    write_credentials,
    write_endpoints,
)


class Assistant:
    """A running assistant, spoken to through the REST webhook as another bot would."""

    def __init__(self, rasa_port: int, tracker_db: Optional[Path] = None) -> None:
        self.base = f"http://127.0.0.1:{rasa_port}"
        self.tracker_db = tracker_db
        self.webhook = f"{self.base}/webhooks/rest/webhook"

    def post(self, body, **kwargs) -> requests.Response:
        return requests.post(self.webhook, json=body, timeout=60, **kwargs)

    def say(self, sender: str, text: str) -> List[dict]:
        answer = self.post({"sender": sender, "message": text})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def user_texts(self, sender_id: str) -> List[str]:
        """What the assistant stored as said by `sender_id` (read from its tracker store)."""
        import json
        import sqlite3

        with sqlite3.connect(str(self.tracker_db)) as db:
            rows = db.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender_id,)
            ).fetchall()
        return [json.loads(data).get("text") for (data,) in rows]


@contextmanager
def running_assistant(log_dir: Path, env: Optional[Dict[str, str]] = None) -> Iterator[Assistant]:
    action_port, rasa_port = free_port(), free_port()
    tracker_db = log_dir / "conversations.db"
    endpoints = write_endpoints(log_dir, action_port, tracker_db)
    actions = start_action_server(action_port, log_dir, env)
    rasa = start_rasa(rasa_port, endpoints, log_dir, env=env)
    try:
        ensure_ready(
            [
                f"http://127.0.0.1:{action_port}/health",
                f"http://127.0.0.1:{rasa_port}/webhooks/rest/",
            ],
            [actions, rasa],
        )
        yield Assistant(rasa_port, tracker_db)
    finally:
        rasa.stop()
        actions.stop()
