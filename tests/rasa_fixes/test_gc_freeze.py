"""rasa_fixes/gc_freeze.py: the app Rasa builds freezes the start-up objects once serving."""

import asyncio
import gc

import rasa.core.run
from sanic import Sanic

import rasa_fixes
from rasa_fixes.gc_freeze import freeze_loaded_objects

rasa_fixes.install()


def test_the_app_rasa_configures_freezes_after_the_server_starts(monkeypatch):
    registered = []
    real = Sanic.register_listener

    def spy(self, listener, event):
        registered.append((listener, event))
        return real(self, listener, event)

    monkeypatch.setattr(Sanic, "register_listener", spy)
    rasa.core.run.configure_app(input_channels=[], enable_api=False, port=0)
    assert (freeze_loaded_objects, "after_server_start") in registered


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
