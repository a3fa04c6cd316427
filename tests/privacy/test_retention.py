"""`make purge` and `make forget` on a real SQLite tracker store written by Rasa's store."""

import subprocess
import sys
import time

import sqlalchemy as sa
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from operators import store
from privacy.retention import forget, purge
from tracker_store.cached_sql import CachedSQLTrackerStore

DAY = 86400


def filled(tmp_path):
    database = tmp_path / "conversations.db"
    tracker_store = CachedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(database))
    now = time.time()
    import asyncio

    for sender, age in (("old", 40), ("recent", 2), ("other", 1)):
        at = now - age * DAY
        tracker = DialogueStateTracker.from_events(
            sender, [UserUttered("hi", timestamp=at), BotUttered("hello", timestamp=at + 1)]
        )
        asyncio.run(tracker_store.save(tracker))
    engine = store.prepared(sa.create_engine(f"sqlite:///{database}"))
    with engine.begin() as connection:
        for sender, age in (("old", 40), ("recent", 2), ("recent", 35)):
            connection.execute(
                store.feedback.insert(),
                {"sender_id": sender, "kind": "answer", "rating": 1, "created_at": now - age * DAY},
            )
            connection.execute(
                store.contact_requests.insert(),
                {
                    "sender_id": sender,
                    "question": "q",
                    "contact": "a@b.cn",
                    "created_at": now - age * DAY,
                },
            )
    return engine, database


def senders(engine, table):
    with engine.connect() as connection:
        return sorted(
            {row[0] for row in connection.execute(sa.text(f"SELECT sender_id FROM {table}"))}
        )


def test_purge_deletes_conversations_and_the_office_s_rows_past_the_retention(tmp_path):
    engine, _ = filled(tmp_path)
    done = purge(engine, days=30)
    assert (done.conversations, done.events) == (1, 2)
    assert senders(engine, "events") == ["other", "recent"]
    assert senders(engine, "feedback") == ["recent"]
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM contact_requests")).scalar() == 1


def test_forget_deletes_one_person_s_conversation_whatever_its_age(tmp_path):
    engine, _ = filled(tmp_path)
    assert forget(engine, "recent") == 2
    assert senders(engine, "events") == ["old", "other"]
    assert "recent" not in senders(engine, "feedback") + senders(engine, "contact_requests")


def test_the_command_reads_the_endpoints_file(tmp_path):
    engine, database = filled(tmp_path)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump({"tracker_store": {"dialect": "sqlite", "db": str(database)}})
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "privacy.retention",
            "purge",
            "--endpoints",
            str(endpoints),
            "--days",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Deleted 1 conversations" in result.stdout
    assert senders(engine, "events") == ["other", "recent"]


def test_the_schedule_purges_at_once_and_stops(tmp_path):
    from privacy.retention import RetentionSchedule

    engine, _ = filled(tmp_path)
    schedule = RetentionSchedule(engine, interval=3600, days=30).start()
    deadline = time.time() + 30
    while not schedule.runs and time.time() < deadline:
        time.sleep(0.05)
    schedule.stop()
    assert [run.conversations for run in schedule.runs] == [1]
    assert senders(engine, "events") == ["other", "recent"]
