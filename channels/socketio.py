"""The website widget's socket.io channel: Rasa's, with the apology instead of silence,
and with the session room joined for real.

python-socketio 5.10 made `enter_room` a coroutine; Rasa 3.6 calls it without
awaiting, so with session persistence on, the browser never joins its session's
room and no reply reaches it (RasaHQ/rasa#13027). This channel registers a
`session_request` handler that awaits it, and accepts only safe session ids.
"""
import re
import uuid
from typing import Dict, Optional, Text

from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from channels.resilience import ApologizingChannel, MessageHandler

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class SocketIOInput(ApologizingChannel, RasaSocketIOInput):
    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            valid = isinstance(requested, str) and SESSION_ID.match(requested)
            session_id = requested if valid else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
