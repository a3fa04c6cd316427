"""The socket.io channel: join the session's room for real, and accept only safe session ids.

python-socketio 5.10 made `AsyncServer.enter_room` a coroutine; Rasa 3.6's
`SocketIOInput.blueprint` registers a `session_request` handler that calls it without
awaiting, so with session persistence on the browser never joins its session's room and
no reply reaches it (RasaHQ/rasa#13027). This replaces that handler, for Rasa's own
`socketio` connector and for every subclass (channels/socketio.py), with one that awaits
it. The session id a browser asks for is used only if it is 1-64 letters, digits, `_` or
`-`; otherwise it gets a new one, as Rasa does for a missing id.

Upstream: RasaHQ/rasa#13027, `rasa.core.channels.socketio.SocketIOInput.blueprint`.
"""

import re
import uuid
from typing import Any, Dict, Optional, Text

from rasa.core.channels.socketio import SocketIOInput

SUMMARY = "socket.io session rooms joined (RasaHQ/rasa#13027), session ids checked"

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

_rasa_blueprint = SocketIOInput.blueprint


def session_id_for(data: Optional[Dict[Text, Any]]) -> Text:
    """The session id a `session_request` asked for if it is safe, else a new one."""
    requested = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(requested, str) and SESSION_ID.match(requested):
        return requested
    return uuid.uuid4().hex


def _blueprint(self: SocketIOInput, on_new_message: Any) -> Any:
    blueprint = _rasa_blueprint(self, on_new_message)
    sio = self.sio

    @sio.on("session_request", namespace=self.namespace)
    async def session_request(sid: Text, data: Optional[Dict]) -> None:
        session_id = session_id_for(data)
        if self.session_persistence:
            await sio.enter_room(sid, session_id, namespace=self.namespace)
        await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

    return blueprint


def install() -> None:
    """Replace the handler in every socket.io channel's blueprint (idempotent)."""
    SocketIOInput.blueprint = _blueprint
