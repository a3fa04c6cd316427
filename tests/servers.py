"""Start the real action server and Rasa server for end-to-end tests, as `make run` does."""
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

from channels.platforms import compose
from scripts.wait_ready import wait_ready

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "sscard.tar.gz"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def quiet_environment(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               SQLALCHEMY_SILENCE_UBER_WARNING="1", PYTHONWARNINGS="ignore")
    env.update(extra or {})
    return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start(name: str, command: List[str], log_dir: Path, env: Optional[Dict[str, str]] = None) -> Process:
    log = log_dir / f"{name}.log"
    handle = open(log, "ab")
    popen = subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                             env=quiet_environment(env))
    return Process(name, popen, log)


def start_action_server(port: int, log_dir: Path, env: Optional[Dict[str, str]] = None) -> Process:
    return start("actions", [str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                             "--port", str(port)], log_dir, env)


def write_endpoints(directory: Path, action_port: int, tracker_db: Path) -> Path:
    endpoints = directory / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n",
        encoding="utf-8",
    )
    return endpoints


def write_credentials(directory: Path, env: Optional[Dict[str, str]] = None) -> Path:
    """credentials.yml as `make run` composes it: always-on channels plus configured platforms."""
    import yaml

    credentials = directory / "credentials.yml"
    composed = compose(ROOT / "credentials.yml", {**os.environ, **(env or {})})
    credentials.write_text(yaml.safe_dump(composed), encoding="utf-8")
    return credentials


def start_rasa(port: int, endpoints: Path, log_dir: Path, credentials: Optional[Path] = None,
               env: Optional[Dict[str, str]] = None, extra_args: Optional[List[str]] = None) -> Process:
    credentials = credentials or write_credentials(log_dir, env)
    return start("rasa", [str(BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(endpoints),
                          "--credentials", str(credentials), "--port", str(port),
                          "--interface", "127.0.0.1", *(extra_args or [])], log_dir, env)


def ensure_ready(urls: List[str], processes: List[Process], timeout: float = 240) -> None:
    if not wait_ready(urls, timeout):
        logs = "\n".join(f"--- {p.name} ---\n{p.log.read_text(errors='replace')[-3000:]}" for p in processes)
        raise RuntimeError(f"servers not ready: {urls}\n{logs}")


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
        ensure_ready([f"http://127.0.0.1:{action_port}/health",
                      f"http://127.0.0.1:{rasa_port}/webhooks/rest/"], [actions, rasa])
        yield Assistant(rasa_port, tracker_db)
    finally:
        rasa.stop()
        actions.stop()
