"""Rating buttons on messaging platforms that have buttons.

The widget draws its own 👍/👎 under each answer and asks for a rating when the
conversation ends, and the REST webhooks take ratings at /feedback; Telegram, Slack,
Messenger and Teams get them as buttons whose payload Rasa's side stores as a rating
without making it a turn (rasa_fixes/handover.py).
"""

import json
from dataclasses import replace
from typing import Optional

from knowledge import Button, Reply

# Channels (Rasa's input channel names) whose buttons send their payload back.
RATING_BUTTON_CHANNELS = ("telegram", "slack", "facebook", "botframework")


def rating_payload(**rating: int) -> str:
    return "/feedback" + json.dumps(rating)


def with_rating_buttons(reply: Reply, channel: Optional[str]) -> Reply:
    """`reply` with 👍/👎 after an answer, or 1-5 stars after a goodbye, on button platforms."""
    if channel not in RATING_BUTTON_CHANNELS:
        return reply
    if reply.data.get("message") == "goodbye":
        stars = [Button("★" * n, rating_payload(stars=n)) for n in range(1, 6)]
        return replace(reply, buttons=[*reply.buttons, *stars])
    if not reply.data.get("topic"):
        return reply
    thumbs = [Button("👍", rating_payload(rating=1)), Button("👎", rating_payload(rating=-1))]
    return replace(reply, buttons=[*reply.buttons, *thumbs])
