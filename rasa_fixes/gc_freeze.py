"""Keep the garbage collector away from the objects Rasa loads at start-up.

A Rasa process holds hundreds of thousands of long-lived objects once its model is
loaded (about 560,000 with this project's: Rasa, TensorFlow, spaCy, the model). Python's
full collections walk all of them, and one falling inside a busy moment stalls every
conversation waiting on the single worker: with 20 conversations at once, whole rounds
of replies came back hundreds of milliseconds late. `gc.freeze()` once the server has
started (the model is loaded before it starts serving) moves those objects out of the
collector's sight; objects made while answering are collected as before. In A/B runs of
20 conversations x 10 messages (two runs each way), p95 was 412-561 ms frozen against
488-774 ms not frozen; `make bench` (docs/benchmarks.md) reports the spread between the
median and the 95th percentile.

Upstream: Rasa 3.6 never freezes. Installed as an `after_server_start` listener of the app
that `rasa.core.run.configure_app` builds, so it applies whatever the channels are (the
action server's counterpart is a rasa_sdk plugin, rasa_sdk_plugins/).
"""

import gc
import logging
from typing import Any

import rasa.core.run

logger = logging.getLogger(__name__)

SUMMARY = "start-up objects frozen out of the garbage collector once the server listens"

_rasa_configure_app = rasa.core.run.configure_app


async def freeze_loaded_objects(app: Any, loop: Any) -> None:
    """Sanic `after_server_start` listener: collect once, then freeze what is left."""
    gc.collect()
    gc.freeze()
    logger.debug(f"gc: {gc.get_freeze_count()} start-up objects frozen")


def _configure_app(*args: Any, **kwargs: Any) -> Any:
    app = _rasa_configure_app(*args, **kwargs)
    app.register_listener(freeze_loaded_objects, "after_server_start")
    return app


def install() -> None:
    """Wrap Rasa's app factory (idempotent)."""
    rasa.core.run.configure_app = _configure_app
