"""Real Redis and PostgreSQL servers from Debian's packages, run from a folder of ours.

Both can be stopped and started again on the same port and data, so that tests can
take them away from a running cluster and bring them back. `stop()` raises unless the
server is really gone (nothing listens on its port any more): a test that takes a
store away must not go on as if it had when it has not.
"""

import getpass
import glob
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

from scripts.processes import free_port


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def listening(port: int) -> bool:
    """Whether a server accepts connections on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port_closed(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not listening(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} still accepts connections after the server was stopped")


class RedisServer:
    def __init__(self, directory: Path, port: Optional[int] = None) -> None:
        self.directory = Path(directory)
        self.port = port or free_port()
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "RedisServer":
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop the server; raises if it was not running or still accepts connections."""
        process = self.process
        if process is None or process.poll() is not None:
            raise RuntimeError(f"Redis on port {self.port} is not running: nothing to stop")
        process.terminate()
        process.wait(timeout=10)
        wait_for_port_closed(self.port)

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        if self.running():
            self.stop()


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (Debian package postgresql)")
    return found[-1]


class PostgresServer:
    """A throwaway PostgreSQL cluster with a `rasa` database, trust auth on 127.0.0.1."""

    def __init__(self, directory: Path, port: Optional[int] = None) -> None:
        self.port = port or free_port()
        # initdb refuses to run as root: run the server as Debian's `postgres` user, in a
        # folder of its own that it can reach (a test's temporary folder is root's alone).
        self.run_as = ["runuser", "-u", "postgres", "--"] if getpass.getuser() == "root" else []
        self.directory = (
            Path(tempfile.mkdtemp(prefix="sscard-postgres-")) if self.run_as else Path(directory)
        )
        self.data = self.directory / "pgdata"

    def _ctl(self, *args: str, check: bool = True) -> int:
        done = subprocess.run(
            [*self.run_as, _postgres_bin("pg_ctl"), "-D", str(self.data), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if check and done.returncode != 0:
            raise RuntimeError(
                f"pg_ctl {' '.join(args)} failed ({done.returncode}): {done.stdout.strip()}"
            )
        return done.returncode

    def running(self) -> bool:
        """Whether the server of this data folder runs (`pg_ctl status`)."""
        return self.data.exists() and self._ctl("status", check=False) == 0

    def start(self) -> "PostgresServer":
        if not self.data.exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            self.directory.chmod(0o700)
            if self.run_as:
                shutil.chown(self.directory, "postgres")
            subprocess.run(
                [
                    *self.run_as,
                    _postgres_bin("initdb"),
                    "-D",
                    str(self.data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            created = True
        else:
            created = False
        self._ctl(
            "-l",
            str(self.directory / "postgres.log"),
            "-w",
            "start",
            "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
        )
        if created:
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-c",
                    "CREATE DATABASE rasa",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: sessions are ended); raises if that fails, if it
        was not running, or if its port still accepts connections afterwards."""
        self._ctl("-m", "fast", "-w", "stop")
        wait_for_port_closed(self.port)

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        if self.running():
            self.stop()
        if self.run_as:
            shutil.rmtree(self.directory, ignore_errors=True)
