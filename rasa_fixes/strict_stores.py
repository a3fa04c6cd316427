"""A tracker store that cannot be loaded stops the start instead of losing conversations.

Rasa 3.6 creates a tracker store named by class path in endpoints.yml with
`rasa.core.tracker_store._load_from_module_name_in_endpoint_config`, which catches the
import error, warns and falls back to an `InMemoryTrackerStore`: a server whose image lacks
the store's package then runs, answers, and forgets every conversation at its next restart.
Here the error stops the start, naming the class path and the reason. (The lock store
already raises in Rasa; the action server's plugins are made strict by `sdk_plugins`.)

Upstream: `rasa.core.tracker_store._load_from_module_name_in_endpoint_config` (Rasa 3.6).
"""

from typing import Any, Optional

import rasa.core.tracker_store
import rasa.shared.utils.common
from rasa.shared.exceptions import RasaException

SUMMARY = "a configured tracker store that cannot be imported stops the start"


class StoreNotLoadable(RasaException):
    """endpoints.yml names a tracker store class that cannot be imported."""


def _load_from_module_name_in_endpoint_config(
    domain: Any, store: Any, event_broker: Optional[Any] = None
) -> Any:
    try:
        store_class = rasa.shared.utils.common.class_from_module_path(store.type)
    except (AttributeError, ImportError) as error:
        raise StoreNotLoadable(
            f"endpoints.yml: tracker_store type '{store.type}' cannot be loaded ({error}); "
            "refusing to start with conversations kept only in memory"
        ) from error
    return store_class(host=store.url, domain=domain, event_broker=event_broker, **store.kwargs)


def install() -> None:
    """Replace Rasa's fallback (idempotent)."""
    rasa.core.tracker_store._load_from_module_name_in_endpoint_config = (
        _load_from_module_name_in_endpoint_config
    )
