"""Slack, with a configurable Web API address.

Rasa's SlackInput checks Slack's request signature; `api_url` lets the bot client
talk to another Web API address (a local stand-in in the tests).
"""

from typing import Any, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput

from channels.resilience import ApologizingChannel


class SlackInput(ApologizingChannel, RasaSlackInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("api_url")
        return channel

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        bot = SlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
        api_url = getattr(self, "api_url", None)
        if api_url:
            bot.client.base_url = api_url.rstrip("/") + "/"
        return bot
