"""The way back to a user: which channels can carry a person's replies after a hand-over."""

from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.utils.endpoints import EndpointConfig

from channels.callback import AnswerCallbackOutput, CallbackInput
from channels.rest import RestInput
from channels.slack import SlackInput
from channels.socketio import SocketIOInput
from channels.telegram import TelegramInput, TelegramOutput
from channels.wechat import WeChatInput
from operators.bridge import ConversationBridge, way_back


def test_channels_that_can_send_later_have_a_way_back_and_the_others_none():
    telegram = TelegramInput("123:token", "bot", "https://example.invalid/hook", secret_token="s")
    assert isinstance(way_back(telegram), TelegramOutput)  # without registering the webhook again
    assert isinstance(
        way_back(CallbackInput(EndpointConfig("http://127.0.0.1:9/cb"))), AnswerCallbackOutput
    )
    slack = SlackInput.from_credentials({"slack_token": "xoxb-1", "slack_signing_secret": "s"})
    assert way_back(slack) is not None
    for channel in (RestInput(), RasaRestInput(), WeChatInput("token")):
        assert way_back(channel) is None
    assert way_back(SocketIOInput()) is None  # until its server runs


def test_the_bridge_finds_the_way_back_by_the_channel_s_name():
    bridge = ConversationBridge(
        agent=None, input_channels=[RestInput(), CallbackInput(EndpointConfig("http://x/cb"))]
    )
    assert bridge.reachable("callback") and not bridge.reachable("rest")
    assert not bridge.reachable("telegram") and not bridge.reachable(None)
