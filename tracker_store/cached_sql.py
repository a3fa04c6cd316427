"""Rasa's SQL tracker store, without rebuilding a conversation from its rows every turn.

Rasa's SQLTrackerStore reads every event of the current session back on each message,
decodes it and replays it into a new tracker, so a turn costs more the longer the
conversation is. This store writes exactly as Rasa's does (the same table, the same rows:
a database written by one can be read by the other), and keeps the trackers of recent
conversations in memory. A remembered tracker is handed out only when the database
confirms it is current: one count of the session's stored events, which must equal the
number of events the tracker had when it was saved and the number it has now. So

- a conversation another process or instance wrote to in the meantime (the scale-out
  profile) is read from the database again;
- a tracker a failed turn changed without saving is dropped, not reused;
- a tracker whose last turn started a new session is read again, as Rasa would, so
  only the new session's events come back; saved again as it is, only its new events
  are written (Rasa's store counts the new session's rows and writes the end of the
  previous turn a second time).

SQLite is switched to write-ahead logging (WAL): a commit then syncs the log once instead
of the journal and the database file, and readers do not block the writer.
`synchronous` stays FULL, so a committed turn survives a power cut, not just a crash.

endpoints.yml:
    tracker_store:
      type: tracker_store.cached_sql.CachedSQLTrackerStore
      dialect: sqlite            # or postgresql, and Rasa's other SQL settings
      db: var/conversations.db
      cached_conversations: 1000 # optional: trackers kept in memory (least recent goes)
"""

import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

DEFAULT_CACHED_CONVERSATIONS = 1000

# Rasa's `_event_query(..., fetch_events_from_all_sessions=False).count()` as one plain
# statement: the events since the latest SessionStarted, or all without one. Building
# Rasa's ORM query costs more than the database takes to answer it.
_COUNT_CURRENT_SESSION = sa.text("""
SELECT count(*) FROM events
WHERE sender_id = :sender_id
  AND (timestamp >= (SELECT max(timestamp) FROM events
                     WHERE sender_id = :sender_id AND type_name = :session_started)
       OR (SELECT max(timestamp) FROM events
           WHERE sender_id = :sender_id AND type_name = :session_started) IS NULL)
""")


@dataclass
class _Remembered:
    tracker: DialogueStateTracker
    saved_events: int  # the tracker's events that are stored
    # False when the tracker also holds an earlier session's events: `retrieve` then
    # reads the new session from the database, as Rasa would; `save` still knows which
    # of the tracker's events are stored.
    current: bool = True


class CachedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore plus a bounded memory of current trackers, checked before use."""

    def __init__(
        self, *args: Any, cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS, **kwargs: Any
    ) -> None:
        cached_conversations = int(cached_conversations)
        if cached_conversations < 0:
            raise ValueError(
                f"cached_conversations must be 0 or more, " f"not {cached_conversations}"
            )
        self._capacity = cached_conversations
        self._remembered: OrderedDict[Text, _Remembered] = OrderedDict()
        super().__init__(*args, **kwargs)
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]  # set by Rasa
        if engine.dialect.name == "sqlite":
            self._keep_sqlite_connection_open()
        else:
            self._check_connections_before_use()

    def _check_connections_before_use(self) -> None:
        """Test a pooled connection before each use (SQLAlchemy's pre-ping) and replace it
        if the server has dropped it. Without it, after the database server restarts every
        worker's next turn fails on a dead connection; Rasa's fail-safe store then starts a
        new, empty session, which hides the conversation stored before the outage."""
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]  # set by Rasa
        url = engine.url
        engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _keep_sqlite_connection_open(self) -> None:
        """One open connection per thread instead of one per query (SQLAlchemy's default
        for SQLite files): opening a WAL database costs more than the write itself."""
        engine: sa.engine.Engine = self.engine
        url = engine.url
        engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
        _use_write_ahead_log(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    # Rasa replaces the domain when a new model is loaded: trackers built with the old
    # domain's slots are then forgotten.
    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Optional[Domain]) -> None:
        self._domain = domain or Domain.empty()
        self._remembered.clear()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The tracker of the latest session: the remembered one if still current."""
        remembered = self._remembered.get(sender_id)
        if remembered is not None and remembered.current:
            stored = self._stored_events(sender_id)
            if stored == remembered.saved_events == len(remembered.tracker.events):
                self._remembered.move_to_end(sender_id)
                return remembered.tracker
        self._remembered.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            # Exactly the stored rows, just read: current by construction.
            self._remember(tracker, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events in Rasa's rows, then remember the tracker if it is current.

        Rasa counts the stored events to know which are new; for the tracker handed out
        by `retrieve` (checked against the database then, and changed since only by this
        turn, which holds the conversation's lock) that count is already known. The rows
        are Rasa's (`SQLTrackerStore.save`), written in one statement instead of one ORM
        object each.
        """
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        remembered = self._remembered.pop(sender_id, None)
        with self.session_scope() as session:
            if remembered is not None and remembered.tracker is tracker:
                first_new = remembered.saved_events
            else:
                first_new = self._stored_events(sender_id, session)
            new_events = list(itertools.islice(tracker.events, first_new, None))
            if new_events:
                session.execute(
                    self.SQLEvent.__table__.insert(),
                    [_row(sender_id, event) for event in new_events],
                )
            session.commit()
        # After a turn that started a new session, a fresh read returns only the new one.
        started = any(isinstance(event, SessionStarted) for event in new_events)
        self._remember(tracker, len(tracker.events), current=not started)

    def _stored_events(self, sender_id: Text, session: Optional["Session"] = None) -> int:
        """Events of the conversation's latest session in the database."""
        if session is None:
            with self.session_scope() as session:
                return self._stored_events(sender_id, session)
        return session.execute(
            _COUNT_CURRENT_SESSION,
            {"sender_id": sender_id, "session_started": SessionStarted.type_name},
        ).scalar()

    def _remember(
        self, tracker: DialogueStateTracker, saved_events: int, current: bool = True
    ) -> None:
        if self._capacity == 0:
            return
        self._remembered[tracker.sender_id] = _Remembered(tracker, saved_events, current)
        self._remembered.move_to_end(tracker.sender_id)
        while len(self._remembered) > self._capacity:
            self._remembered.popitem(last=False)


def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    """The `events` row Rasa's SQLTrackerStore.save writes for an event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _use_write_ahead_log(engine: "sa.engine.Engine") -> None:
    """WAL journal for the file (persistent), FULL sync on every new connection."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
    if str(mode).lower() != "wal":  # e.g. an in-memory database
        logger.info(f"SQLite journal mode stays '{mode}' for {engine.url}")
