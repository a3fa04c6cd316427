"""channels/gc_freeze.py: every channel's blueprint freezes the start-up objects once serving."""
import asyncio
import gc

from channels.gc_freeze import freeze_loaded_objects
from channels.rest import RestInput
from channels.webhook_input import webhook_blueprint


def test_every_project_channel_blueprint_freezes_after_the_server_starts():
    blueprint = webhook_blueprint(RestInput())
    listeners = [(listener.listener, listener.event) for listener in blueprint._future_listeners]
    assert (freeze_loaded_objects, "after_server_start") in listeners


def test_the_listener_moves_the_objects_alive_out_of_the_collector_s_sight():
    long_lived = [object() for _ in range(1000)]
    gc.unfreeze()
    try:
        asyncio.run(freeze_loaded_objects(None, None))
        assert gc.get_freeze_count() >= len(long_lived)
        # Objects made afterwards are collected as before.
        cycle = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
