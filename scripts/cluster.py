"""The scale-out profile on one machine, from Debian's packages.

    python -m scripts.cluster [--rasa 2] [--actions 2] [--workers 2] [--port 5005]

Starts Redis (the atomic lock store), PostgreSQL (the tracker store), action
servers and Rasa instances (several Sanic workers each), with nginx balancing
both, in the foreground; Ctrl-C stops all of it. Tests use `Cluster` directly.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Dict, List, Optional

from scripts.infrastructure import PostgresServer, RedisServer
from scripts.processes import (
    ROOT,
    Process,
    ensure_ready,
    free_port,
    start_action_server,
    start_rasa,
    write_credentials_from,
)

DEPLOY = ROOT / "deploy"


class Cluster:
    """Redis, PostgreSQL, N action servers, M Rasa instances and nginx in `run_dir`."""

    def __init__(
        self,
        run_dir: Path,
        rasa_instances: int = 2,
        action_servers: int = 2,
        workers: int = 2,
        port: Optional[int] = None,
    ) -> None:
        self.run_dir = Path(run_dir)
        self.rasa_ports = [free_port() for _ in range(rasa_instances)]
        self.action_ports = [free_port() for _ in range(action_servers)]
        self.port = port or free_port()
        self.action_balancer_port = free_port()
        self.workers = workers
        self.env: Dict[str, str] = {}
        self.rasa: List[Optional[Process]] = [None] * rasa_instances
        self.actions: List[Process] = []
        self.nginx: Optional[subprocess.Popen] = None
        self._stack = ExitStack()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Cluster":
        self.run_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.redis = self._stack.enter_context(RedisServer(self.run_dir / "redis"))
            self.postgres = self._stack.enter_context(PostgresServer(self.run_dir / "postgres"))
            self.env = {
                "DB_HOST": "127.0.0.1",
                "DB_PORT": str(self.postgres.port),
                "DB_USER": "postgres",
                "DB_PASSWORD": "",
                "DB_NAME": "rasa",
                "REDIS_HOST": "127.0.0.1",
                "REDIS_PORT": str(self.redis.port),
                "REDIS_PASSWORD": "",
                "REDIS_DB": "1",
                "ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_balancer_port}/webhook",
                "SANIC_WORKERS": str(self.workers),
                "ACTION_SERVER_SECRET": secrets.token_hex(16),
                # A turn takes well under a second; an instance that dies holding a
                # conversation's ticket blocks it for this long, not Rasa's default minute.
                "TICKET_LOCK_LIFETIME": "20",
                # The agent console's cookies must be good on every instance.
                "CONSOLE_SESSION_KEY": secrets.token_hex(32),
            }
            self.actions = [
                start_action_server(port, self.run_dir, env=self.env, name=f"actions-{i}")
                for i, port in enumerate(self.action_ports)
            ]
            self._start_nginx()
            for index in range(len(self.rasa)):
                self.start_rasa(index, wait=False)
            ensure_ready(
                [f"http://127.0.0.1:{p}/health" for p in self.action_ports]
                + [f"http://127.0.0.1:{p}/webhooks/rest/" for p in self.rasa_ports],
                [*self.actions, *[p for p in self.rasa if p]],
                timeout=600,
            )
            self._schedule_purge()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _schedule_purge(self) -> None:
        """`make purge` at start and once a day (PURGE_INTERVAL_HOURS), on the cluster's
        PostgreSQL (privacy/retention.py)."""
        import sqlalchemy as sa

        from operators import store
        from privacy.retention import DAY, RetentionSchedule

        engine = store.prepared(
            sa.create_engine(f"postgresql://postgres@127.0.0.1:{self.postgres.port}/rasa")
        )
        hours = float(os.environ.get("PURGE_INTERVAL_HOURS") or 0)
        self.retention = RetentionSchedule(engine, hours * 3600 if hours else DAY).start()
        self._stack.callback(self.retention.stop)
        self._stack.callback(engine.dispose)

    def _start_nginx(self) -> None:
        template = (DEPLOY / "nginx.conf.template").read_text(encoding="utf-8")
        config = self.run_dir / "nginx.conf"
        # nginx's workers drop root for `nobody`: their temporary files need a folder
        # `nobody` can reach, which a test's temporary folder is not.
        temp = Path(tempfile.mkdtemp(prefix="sscard-nginx-"))
        temp.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(temp, "nobody")
        self._stack.callback(shutil.rmtree, temp, True)
        config.write_text(
            template.format(
                run=self.run_dir,
                temp=temp,
                rasa_port=self.port,
                action_port=self.action_balancer_port,
                rasa_servers="\n".join(
                    f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;"
                    for p in self.rasa_ports
                ),
                action_servers="\n".join(f"    server 127.0.0.1:{p};" for p in self.action_ports),
            ),
            encoding="utf-8",
        )
        self.nginx = subprocess.Popen(
            ["nginx", "-c", str(config), "-p", str(self.run_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start_rasa(self, index: int, wait: bool = True) -> None:
        credentials = write_credentials_from(
            DEPLOY / "credentials.cluster.yml", self.run_dir, self.env
        )
        process = start_rasa(
            self.rasa_ports[index],
            DEPLOY / "endpoints.cluster.yml",
            self.run_dir,
            credentials=credentials,
            env=self.env,
            name=f"rasa-{index}",
        )
        self.rasa[index] = process
        if wait:
            ensure_ready(
                [f"http://127.0.0.1:{self.rasa_ports[index]}/webhooks/rest/"],
                [process],
                timeout=600,
            )

    def kill_rasa(self, index: int) -> None:
        """Kill an instance outright (SIGKILL to its whole process group), as a crash would."""
        process = self.rasa[index]
        if process and process.popen.poll() is None:
            os.killpg(process.popen.pid, signal.SIGKILL)
            process.popen.wait()

    def __exit__(self, *exc) -> None:
        for process in [*self.rasa, *self.actions]:
            if process:
                process.stop()
        if self.nginx and self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(timeout=10)
        self._stack.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rasa", type=int, default=2, help="Rasa instances")
    parser.add_argument("--actions", type=int, default=2, help="action servers")
    parser.add_argument("--workers", type=int, default=2, help="Sanic workers per Rasa instance")
    parser.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    args = parser.parse_args()
    with Cluster(
        ROOT / "var" / "cluster", args.rasa, args.actions, args.workers, args.port
    ) as cluster:
        print(
            f"\n  The scale-out profile is up: {args.rasa} Rasa instances x {args.workers} workers, "
            f"{args.actions} action servers.\n    REST webhook:  {cluster.url}/webhooks/rest/webhook\n"
            f"    Logs:          {cluster.run_dir}\n  Ctrl-C stops everything.\n",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
