"""The website widget's socket.io channel: Rasa's, with the apology instead of silence.

The session-room fix for Rasa's socket.io channel (RasaHQ/rasa#13027) applies to this
channel too; it lives with the other fixes to Rasa in rasa_fixes/socketio_session.py.
"""

from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput

from channels.resilience import ApologizingChannel


class SocketIOInput(ApologizingChannel, RasaSocketIOInput):
    """Rasa's socket.io channel whose turns apologise instead of staying silent."""
