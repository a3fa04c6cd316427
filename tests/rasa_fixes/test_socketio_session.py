"""rasa_fixes/socketio_session.py: the session room is joined (awaited), ids are checked."""

import asyncio

import pytest
from rasa.core.channels.socketio import SocketIOInput

import rasa_fixes
from rasa_fixes.socketio_session import session_id_for

rasa_fixes.install()


@pytest.mark.parametrize(
    "data, kept",
    [
        ({"session_id": "abc_DEF-123"}, True),
        ({"session_id": "a" * 64}, True),
        ({"session_id": "a" * 65}, False),
        ({"session_id": "../x"}, False),
        ({"session_id": 5}, False),
        (None, False),
        ("text", False),
        ({}, False),
    ],
)
def test_only_safe_session_ids_are_kept(data, kept):
    session_id = session_id_for(data)
    assert (session_id == data.get("session_id")) is kept if isinstance(data, dict) else not kept
    assert len(session_id) <= 64


def test_rasa_s_own_socketio_channel_awaits_enter_room():
    channel = SocketIOInput(session_persistence=True)
    channel.blueprint(lambda message: None)
    entered, emitted = [], []

    async def enter_room(sid, room, namespace=None):
        entered.append((sid, room))

    async def emit(event, data, room=None, namespace=None):
        emitted.append((event, data, room))

    channel.sio.enter_room, channel.sio.emit = enter_room, emit
    handler = channel.sio.handlers[channel.namespace or "/"]["session_request"]
    asyncio.run(handler("sid-1", {"session_id": "browser-session"}))
    assert entered == [("sid-1", "browser-session")]
    assert emitted == [("session_confirm", "browser-session", "sid-1")]
