"""Questions left for the office when no person can chat: the question and a way back.

The widget's form (socket.io `contact_request`) and the REST webhooks (`POST
/webhooks/rest/contact`) store them in `contact_requests`; agents see them in the
console. The question is masked like any message; the contact keeps the phone number or
e-mail address the person gave for the office to reply (citizen ID and bank card
numbers in it are masked). Both are deleted with the conversation (`make purge`).
"""

import re
from typing import Any, Mapping, Optional

from operators import store
from privacy.personal_data import BANK_CARD, CITIZEN_ID, find_personal_data, mask_text

MAX_QUESTION_CHARS = 1000
MAX_CONTACT_CHARS = 200
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"(?:\d[ -]?){7,}")


class ContactError(ValueError):
    """A left message that cannot be stored, with what is wrong for the person."""


def keep_contact(contact: str) -> str:
    """The contact with ID and bank card numbers masked, phone numbers kept."""
    parts, position = [], 0
    for start, end, kind, mask in find_personal_data(contact):
        if kind in (CITIZEN_ID, BANK_CARD):
            parts += [contact[position:start], mask]
            position = end
    return "".join(parts) + contact[position:]


def record_contact_request(
    tracker_store: Any,
    sender_id: str,
    body: Mapping[str, Any],
    channel: Optional[str],
    language: Optional[str] = None,
) -> int:
    """Store {"question", "contact"} for the office; the request's number."""
    question, contact = body.get("question"), body.get("contact")
    if not isinstance(question, str) or not question.strip() or len(question) > MAX_QUESTION_CHARS:
        raise ContactError(f"'question' must be a text of 1 to {MAX_QUESTION_CHARS} characters")
    if not isinstance(contact, str) or len(contact) > MAX_CONTACT_CHARS:
        raise ContactError(f"'contact' must be a text of at most {MAX_CONTACT_CHARS} characters")
    if not (_EMAIL.search(contact) or _PHONE.search(contact)):
        raise ContactError("'contact' must hold a phone number or an e-mail address")
    result = store.execute(
        store.engine_of(tracker_store),
        store.contact_requests.insert(),
        {
            "sender_id": sender_id,
            "channel": channel,
            "language": language if language in ("en", "zh") else None,
            "question": mask_text(question.strip()),
            "contact": keep_contact(contact.strip()),
            "created_at": store.now(),
        },
    )
    return int(result.inserted_primary_key[0])
