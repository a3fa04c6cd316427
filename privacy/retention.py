"""How long conversations are kept, and deleting one person's conversation.

    python -m privacy.retention purge  [--endpoints endpoints.yml] [--days N]   (make purge)
    python -m privacy.retention forget SENDER_ID [--endpoints endpoints.yml]    (make forget)

`purge` deletes every conversation whose last event is older than `retention_days`
(operators/settings.yml, or --days), with its feedback, left messages and hand-over
rows, and every left message or rating older than that. `forget` deletes one
conversation, whatever its age. A running assistant notices at the next message: the
cached tracker store checks its memory of a conversation against the database's rows.
The scale-out profile runs `purge` at start and once a day (scripts/cluster.py).
"""

import argparse
import logging
import threading
import time
from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa

from operators import store
from operators.settings import settings

DAY = 86400.0

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Purged:
    conversations: int
    events: int
    contact_requests: int
    ratings: int


def _events_table(engine: sa.engine.Engine) -> sa.Table:
    return sa.Table("events", sa.MetaData(), autoload_with=engine)


def conversations_idle_since(engine: sa.engine.Engine, cutoff: float) -> List[str]:
    """Senders whose latest event is older than `cutoff` (a Unix time)."""
    if not store.has_events(engine):
        return []
    events = _events_table(engine)
    query = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(query)]


def purge(
    engine: sa.engine.Engine, days: Optional[int] = None, now: Optional[float] = None
) -> Purged:
    """Delete what is older than the retention period; what was deleted."""
    days = days or settings().retention_days
    cutoff = (now or time.time()) - days * DAY
    idle = conversations_idle_since(engine, cutoff)
    deleted_events = 0
    with engine.begin() as connection:
        if idle:
            events = _events_table(engine)
            for start in range(0, len(idle), 500):
                batch = idle[start : start + 500]
                deleted_events += connection.execute(
                    events.delete().where(events.c.sender_id.in_(batch))
                ).rowcount
        contacts = connection.execute(
            store.contact_requests.delete().where(store.contact_requests.c.created_at < cutoff)
        ).rowcount
        ratings = connection.execute(
            store.feedback.delete().where(store.feedback.c.created_at < cutoff)
        ).rowcount
    store.delete_conversations(engine, idle)
    return Purged(len(idle), deleted_events, contacts, ratings)


def forget(engine: sa.engine.Engine, sender_id: str) -> int:
    """Delete one conversation and everything the office kept about it; events deleted."""
    deleted = 0
    if store.has_events(engine):
        events = _events_table(engine)
        with engine.begin() as connection:
            deleted = connection.execute(
                events.delete().where(events.c.sender_id == sender_id)
            ).rowcount
    store.delete_conversations(engine, [sender_id])
    return deleted


class RetentionSchedule:
    """Runs `purge` at once and then every `interval` seconds, in a thread, until stopped."""

    def __init__(
        self, engine: sa.engine.Engine, interval: float = DAY, days: Optional[int] = None
    ) -> None:
        self.engine, self.interval, self.days = engine, interval, days
        self.runs: List[Purged] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="retention", daemon=True)

    def start(self) -> "RetentionSchedule":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.runs.append(purge(self.engine, self.days))
            except Exception:  # the database may be away for a while; try again next time
                logger.exception("The scheduled purge failed")
            self._stop.wait(self.interval)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["purge", "forget"])
    parser.add_argument("sender_id", nargs="?")
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--days", type=int)
    args = parser.parse_args()
    engine = store.engine_from_endpoints(args.endpoints)
    if args.command == "forget":
        if not args.sender_id:
            parser.error("forget needs the conversation's sender id")
        print(f"{args.sender_id}: {forget(engine, args.sender_id)} events deleted")
        return
    done = purge(engine, args.days)
    print(
        f"Deleted {done.conversations} conversations ({done.events} events), "
        f"{done.contact_requests} left messages and {done.ratings} ratings older than "
        f"{args.days or settings().retention_days} days"
    )


if __name__ == "__main__":
    main()
