"""The office's rows, in the tracker store's own database next to Rasa's `events`.

- `handovers`: conversations waiting for an agent or taken by one (a row goes when the
  conversation is handed back; the tracker keeps the history);
- `agents_on_duty`: who said they are on duty, and when their console last polled;
- `contact_requests`: questions left for the office, with a way to reach the person;
- `feedback`: 👍/👎 on an answer and ratings of a conversation, with the answer's topic,
  source, confidence, language, region and the model that gave it.

Every text is masked before it gets here (privacy/personal_data.py); the one exception
is the contact a person leaves on purpose, which keeps a phone number or an e-mail
address (citizen ID and bank card numbers in it are still masked).
"""

import time
import weakref
from typing import Any, Dict, Iterable, List, Optional

import sqlalchemy as sa

metadata = sa.MetaData()

handovers = sa.Table(
    "handovers",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("channel", sa.String(64)),
    sa.Column("language", sa.String(8)),
    sa.Column("topic", sa.String(64)),
    sa.Column("region", sa.String(64)),
    sa.Column("status", sa.String(16), nullable=False),  # waiting | taken
    sa.Column("agent", sa.String(64)),
    sa.Column("requested_at", sa.Float, nullable=False),
    sa.Column("taken_at", sa.Float),
    sa.Column("last_user_at", sa.Float),
)

agents_on_duty = sa.Table(
    "agents_on_duty",
    metadata,
    sa.Column("agent", sa.String(64), primary_key=True),
    sa.Column("on_duty", sa.Boolean, nullable=False),
    sa.Column("seen_at", sa.Float, nullable=False),
)

contact_requests = sa.Table(
    "contact_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("channel", sa.String(64)),
    sa.Column("language", sa.String(8)),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("contact", sa.String(200), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("done_at", sa.Float),
    sa.Column("done_by", sa.String(64)),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # answer | conversation
    sa.Column("rating", sa.Integer, nullable=False),  # answer: 1 or -1; conversation: 1-5
    sa.Column("comment", sa.Text),
    sa.Column("answered_at", sa.Float),  # the rated answer's event timestamp
    sa.Column("topic", sa.String(64)),
    sa.Column("message", sa.String(64)),
    sa.Column("source", sa.Text),
    sa.Column("confidence", sa.String(16)),
    sa.Column("language", sa.String(8)),
    sa.Column("region", sa.String(64)),
    sa.Column("model_id", sa.String(64)),
    sa.Column("channel", sa.String(64)),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)

# The PostgreSQL advisory lock under which the office's tables are created (any number
# the application uses for nothing else).
TABLES_LOCK = 5_812_333
# Engines whose tables exist (by identity: an id() could be reused by a later engine).
_ready: "weakref.WeakSet[sa.engine.Engine]" = weakref.WeakSet()


def engine_of(tracker_store: Any) -> sa.engine.Engine:
    """The SQL engine of Rasa's tracker store (inside its fail-safe wrapper), tables created."""
    store = getattr(tracker_store, "_tracker_store", tracker_store)
    engine = getattr(store, "engine", None)
    if engine is None:
        raise RuntimeError(
            "the office's features need an SQL tracker store (endpoints.yml tracker_store)"
        )
    return prepared(engine)


def prepared(engine: sa.engine.Engine) -> sa.engine.Engine:
    """`engine` with the office's tables created (once per engine and process)."""
    if engine not in _ready:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Instances and workers of the scale-out profile start together: each
                # would find the tables missing and the second CREATE TABLE would fail
                # on PostgreSQL's catalogue. One at a time, until this transaction ends.
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": TABLES_LOCK}
                )
            metadata.create_all(connection, checkfirst=True)
        _ready.add(engine)
    return engine


def now() -> float:
    return time.time()


def rows(engine: sa.engine.Engine, statement: Any) -> List[Dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(statement)]


def execute(engine: sa.engine.Engine, statement: Any, values: Optional[Any] = None) -> Any:
    with engine.begin() as connection:
        return (
            connection.execute(statement, values)
            if values is not None
            else connection.execute(statement)
        )


def delete_conversations(engine: sa.engine.Engine, sender_ids: Iterable[str]) -> None:
    """Every office row about these conversations (their events are Rasa's to delete)."""
    ids = list(sender_ids)
    if not ids:
        return
    with engine.begin() as connection:
        for table in (handovers, contact_requests, feedback):
            connection.execute(table.delete().where(table.c.sender_id.in_(ids)))


def engine_from_endpoints(path: str) -> sa.engine.Engine:
    """An engine on the database the tracker store of an endpoints file names (SQLite,
    PostgreSQL, ...), for the commands that work on stored conversations offline."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(path, "tracker_store")
    if config is None:
        raise ValueError(f"{path}: no tracker_store")
    kwargs = dict(config.kwargs)
    url = SQLTrackerStore.get_db_url(
        kwargs.get("dialect", "sqlite"),
        config.url,
        int(kwargs["port"]) if kwargs.get("port") else None,
        str(kwargs.get("db", "rasa.db")),
        kwargs.get("username"),
        kwargs.get("password"),
        kwargs.get("login_db"),
        kwargs.get("query"),
    )
    return prepared(sa.create_engine(url))


def has_events(engine: sa.engine.Engine) -> bool:
    """Whether Rasa has written its `events` table into this database yet."""
    return sa.inspect(engine).has_table("events")
