"""The website widget's socket.io channel: Rasa's, with the apology instead of silence."""
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput

from channels.resilience import ApologizingChannel


class SocketIOInput(ApologizingChannel, RasaSocketIOInput):
    pass
