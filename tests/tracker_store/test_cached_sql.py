"""tracker_store/cached_sql.py: what Rasa's SQL store would return, without re-reading.

Every test runs against an SQLite file and against a real PostgreSQL server (Debian's,
started here), the databases of the default and the scale-out profile. "Another process"
is a second store on the same database, as a second Rasa instance or worker would be.
"""

import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from scripts.infrastructure import PostgresServer
from tracker_store.cached_sql import CachedSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [ask_materials]
slots:
  region:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
actions: [action_answer]
""")


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    with PostgresServer(tmp_path_factory.mktemp("postgres")) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Settings of a fresh database, as endpoints.yml gives them."""
    if request.param == "sqlite":
        return {"dialect": "sqlite", "db": str(tmp_path / "conversations.db")}
    server = request.getfixturevalue("postgres")
    name = f"t{abs(hash(request.node.name))}"
    # A database per test: CachedSQLTrackerStore creates it through login_db.
    return {
        "dialect": "postgresql",
        "host": "127.0.0.1",
        "port": server.port,
        "username": "postgres",
        "db": name,
        "login_db": "rasa",
    }


def cached(database, **kwargs) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=DOMAIN, **database, **kwargs)


def rasas(database) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, **database)


def run(coroutine):
    return asyncio.run(coroutine)


def a_turn(text="what do I bring", region=None):
    events = [
        UserUttered(text, {"name": "ask_materials", "confidence": 0.9}),
        ActionExecuted("action_answer"),
        BotUttered("Bring your ID card."),
    ]
    if region:
        events.append(SlotSet("region", region))
    return [*events, ActionExecuted("action_listen")]


async def new_conversation(store, sender="alice"):
    """A conversation as Rasa starts one: listen, then the session start, then a turn."""
    tracker = await store.get_or_create_tracker(sender)
    tracker.update_with_events(
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            *a_turn(),
        ],
        DOMAIN,
    )
    await store.save(tracker)
    return tracker


def test_rasas_store_reads_what_it_wrote_and_the_other_way_round(database):
    async def scenario():
        ours = cached(database)
        tracker = await new_conversation(ours)
        tracker.update_with_events(a_turn(region="Beijing"), DOMAIN)
        await ours.save(tracker)
        read_by_rasa = await rasas(database).retrieve("alice")
        read_by_ours = await cached(database).retrieve("alice")  # a new store: from the rows
        return tracker, read_by_rasa, read_by_ours

    tracker, read_by_rasa, read_by_ours = run(scenario())
    assert list(read_by_rasa.events) == list(read_by_ours.events)
    assert read_by_ours.get_slot("region") == "Beijing"
    assert read_by_ours.latest_message.text == "what do I bring"
    # The current session only, as Rasa returns it: from its SessionStarted on.
    assert isinstance(read_by_ours.events[0], SessionStarted)


def test_the_current_tracker_is_handed_out_again_without_reading_the_rows(database):
    async def scenario():
        store = cached(database)
        await new_conversation(store)
        first = await store.retrieve("alice")  # read from the rows once
        first.update_with_events(a_turn(), DOMAIN)
        await store.save(first)
        again = await store.retrieve("alice")
        fresh = await rasas(database).retrieve("alice")
        return first, again, fresh

    first, again, fresh = run(scenario())
    assert again is first
    assert list(again.events) == list(fresh.events)


def test_a_turn_written_by_another_process_is_read_from_the_database(database):
    async def scenario():
        here, elsewhere = cached(database), cached(database)
        await new_conversation(here)
        remembered = await here.retrieve("alice")
        other = await elsewhere.retrieve("alice")
        other.update_with_events(a_turn("and where do I go", region="Wuhan"), DOMAIN)
        await elsewhere.save(other)
        return remembered, await here.retrieve("alice")

    remembered, now = run(scenario())
    assert now is not remembered
    assert now.latest_message.text == "and where do I go"
    assert now.get_slot("region") == "Wuhan"


def test_a_tracker_changed_by_a_failed_turn_is_not_reused(database):
    async def scenario():
        store = cached(database)
        await new_conversation(store)
        tracker = await store.retrieve("alice")
        stored = len(tracker.events)
        # The turn fails after changing the tracker: it is never saved.
        tracker.update_with_events(a_turn("this turn crashed"), DOMAIN)
        again = await store.retrieve("alice")
        return stored, tracker, again

    stored, changed, again = run(scenario())
    assert again is not changed
    assert len(again.events) == stored
    assert again.latest_message.text == "what do I bring"


def test_a_turn_that_starts_a_new_session_is_stored_and_read_back_as_rasa_would(database):
    async def scenario():
        store = cached(database)
        await new_conversation(store)
        tracker = await store.retrieve("alice")
        tracker.update_with_events(
            [
                ActionExecuted("action_session_start"),
                SessionStarted(),
                SlotSet("region", "Beijing"),
                ActionExecuted("action_listen"),
                *a_turn("back after a day"),
            ],
            DOMAIN,
        )
        await store.save(tracker)
        return await store.retrieve("alice"), await rasas(database).retrieve("alice")

    ours, rasas_view = run(scenario())
    assert list(ours.events) == list(rasas_view.events)
    assert sum(isinstance(event, SessionStarted) for event in ours.events) == 1
    assert ours.latest_message.text == "back after a day"


def test_every_event_is_stored_once_in_order_across_turns_and_stores(database):
    async def scenario():
        first, second = cached(database), cached(database)
        await new_conversation(first)
        for index in range(6):  # turns alternate between two instances, as behind nginx
            store = first if index % 2 else second
            tracker = await store.retrieve("alice")
            tracker.update_with_events(a_turn(f"question {index}"), DOMAIN)
            await store.save(tracker)
        return await rasas(database).retrieve("alice")

    tracker = run(scenario())
    texts = [event.text for event in tracker.events if isinstance(event, UserUttered)]
    assert texts == ["what do I bring", *(f"question {index}" for index in range(6))]


def test_only_the_most_recent_conversations_are_kept_in_memory(database):
    async def scenario():
        store = cached(database, cached_conversations=2)
        for sender in ["a", "b", "c"]:
            await new_conversation(store, sender)
            await store.retrieve(sender)
        return store

    store = run(scenario())
    assert list(store._remembered) == ["b", "c"]
    with pytest.raises(ValueError, match="cached_conversations"):
        cached(database, cached_conversations=-1)


def test_a_new_model_s_domain_forgets_the_trackers_built_with_the_old_one(database):
    async def scenario():
        store = cached(database)
        await new_conversation(store)
        before = await store.retrieve("alice")
        store.domain = DOMAIN
        return before, await store.retrieve("alice")

    before, after = run(scenario())
    assert after is not before
    assert list(after.events) == list(before.events)


def test_an_unknown_conversation_is_none_as_in_rasa(database):
    assert run(cached(database).retrieve("nobody")) is None


def test_sqlite_writes_ahead_to_a_log(tmp_path):
    db = tmp_path / "conversations.db"
    run(new_conversation(cached({"dialect": "sqlite", "db": str(db)})))
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_store_counts_a_session_s_events_as_rasas_query_does(database):
    async def scenario():
        store = cached(database)
        counts = []

        def both(sender):
            with store.session_scope() as session:
                rasa_count = store._event_query(
                    session, sender, fetch_events_from_all_sessions=False
                ).count()
            return store._stored_events(sender), rasa_count

        counts.append(both("nobody"))
        tracker = await store.get_or_create_tracker("alice")  # no session started yet
        counts.append(both("alice"))
        tracker.update_with_events(
            [ActionExecuted("action_session_start"), SessionStarted(), *a_turn()], DOMAIN
        )
        await store.save(tracker)
        counts.append(both("alice"))
        tracker.update_with_events(
            [ActionExecuted("action_session_start"), SessionStarted(), *a_turn(), *a_turn()], DOMAIN
        )
        await store.save(tracker)
        counts.append(both("alice"))
        return counts

    counts = run(scenario())
    assert [ours for ours, _ in counts] == [rasas for _, rasas in counts]
    # The last session: its SessionStarted and two turns of four events.
    assert counts[0] == (0, 0) and counts[1][0] == 1 and counts[-1][0] == 1 + 2 * 4


def test_the_rows_are_the_ones_rasas_store_writes(tmp_path):
    async def write(store):
        await new_conversation(store)
        tracker = await store.retrieve("alice")  # each turn reads the tracker, as Rasa does
        tracker.update_with_events(a_turn(region="Beijing"), DOMAIN)
        await store.save(tracker)
        return 2 + len(tracker.events)  # + the listen and action_session_start before it

    ours, theirs = tmp_path / "ours.db", tmp_path / "rasas.db"
    written = run(write(cached({"dialect": "sqlite", "db": str(ours)})))
    run(write(rasas({"dialect": "sqlite", "db": str(theirs)})))

    def rows(db):
        with sqlite3.connect(db) as connection:
            return connection.execute(
                "SELECT sender_id, type_name, intent_name, action_name, data FROM events "
                "ORDER BY id"
            ).fetchall()

    def without_timestamps(row):
        import json

        data = json.loads(row[-1])
        data.pop("timestamp", None)
        return (*row[:-1], data)

    assert [without_timestamps(row) for row in rows(ours)] == [
        without_timestamps(row) for row in rows(theirs)
    ]
    assert len(rows(ours)) == written  # every event once


def test_a_tracker_kept_across_a_new_session_is_saved_without_writing_a_turn_twice(database):
    async def scenario(store):
        tracker = await new_conversation(store)  # a session started in this tracker
        tracker.update_with_events(a_turn("the next question"), DOMAIN)
        await store.save(tracker)  # saved again without reading it back
        with store.session_scope() as session:
            return len(tracker.events), session.query(store.SQLEvent).count()

    events, rows = run(scenario(cached(database)))
    assert rows == events
