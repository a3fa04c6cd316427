"""Microsoft Bot Framework (Teams), with a configurable OpenID address and a tolerant start.

Rasa's connector fetches Microsoft's signing keys when it is created and refuses to
start if it cannot. This one logs the failure and keeps refusing activities (401)
until the keys can be fetched, so one unreachable platform does not take the
other channels down. `openid_url` points it at another OpenID configuration (a
local stand-in in the tests).
"""

import datetime
import logging
from typing import Any, Dict, Optional, Text

import requests
from rasa.core.channels.botframework import MICROSOFT_OPEN_ID_URI
from rasa.core.channels.botframework import BotFrameworkInput as RasaBotFrameworkInput
from rasa.core.channels.channel import InputChannel

from channels.resilience import ApologizingChannel

logger = logging.getLogger(__name__)


class BotFrameworkInput(ApologizingChannel, RasaBotFrameworkInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials or not credentials.get("app_id") or not credentials.get("app_password"):
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable")  # Rasa's check raises
        return cls(
            credentials["app_id"],
            credentials["app_password"],
            credentials.get("openid_url") or MICROSOFT_OPEN_ID_URI,
        )

    def __init__(
        self, app_id: Text, app_password: Text, openid_url: Text = MICROSOFT_OPEN_ID_URI
    ) -> None:
        self.openid_url = openid_url
        super().__init__(app_id, app_password)

    def _update_cached_jwk_keys(self) -> None:
        try:
            configuration = requests.get(self.openid_url, timeout=10)
            configuration.raise_for_status()
            keys = requests.get(configuration.json()["jwks_uri"], timeout=10)
            keys.raise_for_status()
        except (requests.RequestException, KeyError, ValueError) as error:
            logger.warning(
                "Bot Framework signing keys unavailable (%s); activities are refused", error
            )
            return
        self.jwt_keys = {key["kid"]: key for key in keys.json()["keys"]}
        self.jwt_update_time = datetime.datetime.now()
