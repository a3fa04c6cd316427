"""The answer to a message that held personal data says that none is needed.

The numbers themselves never reach the action: Rasa's side masked them
(rasa_fixes/personal_data.py) and names the kinds it masked in the message metadata.
"""

from dataclasses import replace
from typing import Any, Dict

from knowledge import KnowledgeBase, Reply
from privacy.personal_data import METADATA_KEY


def with_privacy_notice(knowledge: KnowledgeBase, reply: Reply, message: Dict[str, Any]) -> Reply:
    """`reply`, opened with the notice that no personal data is needed if the message had some."""
    if not (message.get("metadata") or {}).get(METADATA_KEY):
        return reply
    language = reply.data.get("language") or "en"
    notice = knowledge.messages.personal_data_notice.get(language)
    return replace(
        reply, text=f"{notice}\n\n{reply.text}", data={**reply.data, "personal_data": True}
    )
