"""operators/store.py: the office's tables, created once however many instances start
together on the scale-out profile's PostgreSQL (Debian's server, started here)."""

import threading

import pytest
import sqlalchemy as sa

from operators import store
from scripts.infrastructure import PostgresServer

INSTANCES = 8


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    with PostgresServer(tmp_path_factory.mktemp("postgres")) as server:
        yield server


def fresh_database(server: PostgresServer, name: str) -> str:
    url = f"postgresql://postgres@127.0.0.1:{server.port}"
    admin = sa.create_engine(f"{url}/rasa", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return f"{url}/{name}"


@pytest.mark.parametrize("attempt", range(3))
def test_instances_starting_together_all_get_the_tables(postgres, attempt):
    url = fresh_database(postgres, f"together{attempt}")
    # one engine per instance, as each Rasa instance or worker has its own
    engines = [sa.create_engine(url) for _ in range(INSTANCES)]
    start = threading.Barrier(INSTANCES)
    errors = []

    def start_instance(engine):
        start.wait()
        try:
            store.prepared(engine)
        except Exception as error:  # what an instance's start would die of
            errors.append(error)

    threads = [threading.Thread(target=start_instance, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    tables = set(sa.inspect(engines[0]).get_table_names())
    assert {"handovers", "agents_on_duty", "contact_requests", "feedback"} <= tables
    for engine in engines:
        engine.dispose()


def test_tables_that_exist_are_kept_with_their_rows(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'office.db'}")
    store.prepared(engine)
    store.execute(
        engine,
        store.handovers.insert(),
        {"sender_id": "a", "status": "waiting", "requested_at": 1.0},
    )
    again = sa.create_engine(f"sqlite:///{tmp_path / 'office.db'}")
    store.prepared(again)
    assert [r["sender_id"] for r in store.rows(again, sa.select(store.handovers))] == ["a"]
