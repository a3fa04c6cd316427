"""Start the real action server and Rasa, as `make run` does: for the tests, the benchmark and the cluster."""

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Set

from channels.platforms import compose
from scripts.wait_ready import wait_ready

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "sscard.tar.gz"
BIN = Path(sys.executable).parent


_handed_out: Set[int] = set()


def free_port() -> int:
    """A port free now and not handed out before by this process (the system can give the
    same free port twice when nothing has bound it in between)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def quiet_environment(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore",
    )
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
                pass
        # Sanic workers live in the same process group: none may outlive the server.
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait()


def start(
    name: str, command: List[str], log_dir: Path, env: Optional[Dict[str, str]] = None
) -> Process:
    log = log_dir / f"{name}.log"
    handle = open(log, "ab")
    # A session of its own, so that the process and its Sanic workers can be killed together.
    popen = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=quiet_environment(env),
        start_new_session=True,
    )
    return Process(name, popen, log)


def start_action_server(
    port: int, log_dir: Path, env: Optional[Dict[str, str]] = None, name: str = "actions"
) -> Process:
    return start(
        name,
        [str(BIN / "sscard"), "run", "actions", "--actions", "actions", "--port", str(port)],
        log_dir,
        env,
    )


def write_endpoints(
    directory: Path, action_port: int, tracker_db: Path, action_secret: Optional[str] = None
) -> Path:
    """endpoints.yml as `make run` has it, with this run's ports and tracker database."""
    import yaml

    project = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    action = {**project["action_endpoint"], "url": f"http://127.0.0.1:{action_port}/webhook"}
    if action_secret:
        action["headers"] = {"X-Action-Server-Secret": action_secret}
    endpoints = directory / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {
                "action_endpoint": action,
                "tracker_store": {**project["tracker_store"], "db": str(tracker_db)},
            }
        ),
        encoding="utf-8",
    )
    return endpoints


def write_credentials_from(
    base: Path, directory: Path, env: Optional[Dict[str, str]] = None
) -> Path:
    """Credentials as `make run` composes them: `base`'s channels plus configured platforms."""
    import yaml

    credentials = directory / "credentials.yml"
    composed = compose(base, {**os.environ, **(env or {})})
    credentials.write_text(yaml.safe_dump(composed), encoding="utf-8")
    return credentials


def write_credentials(directory: Path, env: Optional[Dict[str, str]] = None) -> Path:
    return write_credentials_from(ROOT / "credentials.yml", directory, env)


def start_rasa(
    port: int,
    endpoints: Path,
    log_dir: Path,
    credentials: Optional[Path] = None,
    env: Optional[Dict[str, str]] = None,
    extra_args: Optional[List[str]] = None,
    name: str = "rasa",
    model: Path = MODEL,
) -> Process:
    credentials = credentials or write_credentials(log_dir, env)
    return start(
        name,
        [
            str(BIN / "sscard"),
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            *(extra_args or []),
        ],
        log_dir,
        env,
    )


def ensure_ready(urls: List[str], processes: List[Process], timeout: float = 240) -> None:
    if not wait_ready(urls, timeout):
        logs = "\n".join(
            f"--- {p.name} ---\n{p.log.read_text(errors='replace')[-3000:]}" for p in processes
        )
        raise RuntimeError(f"servers not ready: {urls}\n{logs}")
