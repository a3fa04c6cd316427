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
"""
import gc
import logging

logger = logging.getLogger(__name__)


async def freeze_loaded_objects(app, loop) -> None:
    """Sanic `after_server_start` listener: collect once, then freeze what is left."""
    gc.collect()
    gc.freeze()
    logger.debug(f"gc: {gc.get_freeze_count()} start-up objects frozen")
