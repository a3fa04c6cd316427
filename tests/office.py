"""A running assistant with the office's side configured: office hours, agents, a callback
receiver, and the agent console spoken to as an agent's browser would (HTTP + cookie)."""

from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests
import yaml

from operators.agents import set_agent
from tests.channels.standin import StandIn
from tests.servers import (
    Assistant,
    ensure_ready,
    free_port,
    start_action_server,
    start_rasa,
    write_endpoints,
)

AGENT, SECRET = "li", "correct horse battery staple"
ALWAYS_OPEN = {
    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "open": "00:00",
    "close": "24:00",
}


# Office hours as usual, but today (wherever the test runs) a day off.
def _days_off():
    from datetime import date, timedelta

    today = date.today()
    return [str(today + timedelta(days=offset)) for offset in (-1, 0, 1)]


NEVER_OPEN = {
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "open": "09:00",
    "close": "17:00",
    "closed_on": _days_off(),
}


class Office(Assistant):
    """The assistant, its tracker database, the callback receiver and the console's URL."""

    def __init__(self, rasa_port: int, tracker_db: Path, callbacks: StandIn, log_dir: Path) -> None:
        super().__init__(rasa_port, tracker_db)
        self.callbacks = callbacks
        self.log_dir = log_dir
        self.console = f"{self.base}/webhooks/console/"

    def callback(self, sender: str, text: str) -> None:
        answer = requests.post(
            f"{self.base}/webhooks/callback/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text

    def received(self, sender: str) -> List[dict]:
        """What the callback receiver got for `sender`, in order."""
        return [
            r["body"]
            for r in self.callbacks.received("/callback")
            if r["body"].get("recipient_id") == sender
        ]

    def agent_session(self, agent: str = AGENT, secret: str = SECRET) -> requests.Session:
        session = requests.Session()
        answer = session.post(
            self.console + "login", data={"agent": agent, "secret": secret}, timeout=30
        )
        assert answer.status_code == 200 and session.cookies, answer.status_code
        return session


def console_call(session: requests.Session, office: Office, path: str, body: Optional[dict] = None):
    """A state-changing console call as the console page makes it."""
    return session.post(
        office.console + path, json=body or {}, headers={"X-Console": "1"}, timeout=30
    )


@contextmanager
def running_office(
    log_dir: Path,
    office_hours: Dict = ALWAYS_OPEN,
    extra_args: Optional[List[str]] = None,
    env: Optional[Dict[str, str]] = None,
) -> Iterator[Office]:
    settings = log_dir / "operators.yml"
    settings.write_text(
        yaml.safe_dump(
            {"office_hours": office_hours, "on_duty_timeout_seconds": 60, "retention_days": 30}
        ),
        encoding="utf-8",
    )
    agents = log_dir / "agents.yml"
    set_agent(agents, AGENT, SECRET)
    callbacks = StandIn()
    environment = {
        "SSCARD_OPERATORS_FILE": str(settings),
        "SSCARD_AGENTS_FILE": str(agents),
        "CALLBACK_URL": callbacks.url + "/callback",
        **(env or {}),
    }
    action_port, rasa_port = free_port(), free_port()
    tracker_db = log_dir / "conversations.db"
    endpoints = write_endpoints(log_dir, action_port, tracker_db)
    actions = start_action_server(action_port, log_dir, environment)
    rasa = start_rasa(rasa_port, endpoints, log_dir, env=environment, extra_args=extra_args)
    try:
        ensure_ready(
            [
                f"http://127.0.0.1:{action_port}/health",
                f"http://127.0.0.1:{rasa_port}/webhooks/rest/",
            ],
            [actions, rasa],
        )
        yield Office(rasa_port, tracker_db, callbacks, log_dir)
    finally:
        rasa.stop()
        actions.stop()
        callbacks.close()
