"""What the end-to-end conversations share: a new user, and one message with its one reply."""

import uuid


def new_sender(prefix: str = "e2e") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def say(assistant, sender, text):
    """The one reply to one message, through the REST webhook."""
    messages = assistant.say(sender, text)
    assert len(messages) == 1, messages
    return messages[0]
