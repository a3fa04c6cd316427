"""rasa_fixes/strict_stores.py: a tracker store that cannot load stops the start."""

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

import rasa_fixes
from rasa_fixes.strict_stores import StoreNotLoadable

rasa_fixes.install()


def test_an_unloadable_tracker_store_is_an_error_not_an_in_memory_store():
    config = EndpointConfig(type="tracker_store.no_such_module.Store")
    with pytest.raises(
        StoreNotLoadable, match="tracker_store.no_such_module.Store.*cannot be loaded"
    ):
        TrackerStore.create(config, Domain.empty())


def test_a_loadable_one_is_created_as_before(tmp_path):
    config = EndpointConfig(
        type="tracker_store.cached_sql.CachedSQLTrackerStore",
        dialect="sqlite",
        db=str(tmp_path / "c.db"),
    )
    store = TrackerStore.create(config, Domain.empty())
    assert not isinstance(store, InMemoryTrackerStore)
    assert type(store).__name__ == "CachedSQLTrackerStore"
