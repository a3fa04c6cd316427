"""The running assistant as tests talk to it; processes are started by scripts/processes.py."""

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
        import sqlite3

        with sqlite3.connect(str(self.tracker_db)) as db:
            rows = db.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender_id,)
            ).fetchall()
        return [json.loads(data).get("text") for (data,) in rows]

    def user_intents(self, sender_id: str) -> List[Optional[str]]:
        """The intent of each message stored as said by `sender_id`."""
        import sqlite3

        with sqlite3.connect(str(self.tracker_db)) as db:
            rows = db.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender_id,)
            ).fetchall()
        return [
            (json.loads(data).get("parse_data") or {}).get("intent", {}).get("name")
            for (data,) in rows
        ]


class SlowActions:
    """The real action server reached through a delay, for the conversations whose sender id
    contains `marker`: an answer that is slow for real (the others pass straight through)."""

    def __init__(self, action_port: int, marker: str, delay: float) -> None:
        upstream = f"http://127.0.0.1:{action_port}"

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    sender = str(json.loads(body).get("sender_id") or "")
                except ValueError:
                    sender = ""
                if marker in sender:
                    time.sleep(delay)
                headers = {
                    key: value
                    for key, value in self.headers.items()
                    if key.lower() in ("content-type", "x-action-server-secret")
                }
                try:
                    answer = requests.post(
                        upstream + self.path, data=body, headers=headers, timeout=60
                    )
                    status, content = answer.status_code, answer.content
                except requests.RequestException:
                    status, content = 502, b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_assistant(
    log_dir: Path,
    env: Optional[Dict[str, str]] = None,
    slow_senders: Optional[str] = None,
    slow_seconds: float = 6.0,
) -> Iterator[Assistant]:
    """The action server and Rasa; with `slow_senders`, the answers to conversations whose
    sender id contains it take `slow_seconds` longer (SlowActions)."""
    action_port, rasa_port = free_port(), free_port()
    tracker_db = log_dir / "conversations.db"
    slow = SlowActions(action_port, slow_senders, slow_seconds) if slow_senders else None
    endpoints = write_endpoints(log_dir, slow.port if slow else action_port, tracker_db)
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
        if slow:
            slow.close()
