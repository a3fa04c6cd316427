"""Mask personal data in every message before Rasa parses, logs or stores it.

Users paste citizen ID, mobile and bank card numbers ("My ID number is 110101…, can
you check my card?"); Rasa keeps a message as it came, in the tracker store, in the
events it sends on and in its debug log. Every message of every channel (Rasa's own
connectors too) and of the HTTP API's `POST /conversations/<id>/messages` reaches
`MessageProcessor.log_message`, so that is where its text and metadata are masked
(privacy/personal_data.py): NLU then reads "110101********1234", the tracker stores it,
and nothing downstream can repeat the number. The kinds masked go to the action in the
message metadata (`personal_data`), so that the answer can say that no personal data is
needed. A log record factory masks whatever any logger of the process writes, in case
a library logs a message before it reaches the processor.

Upstream: Rasa Open Source 3.6 stores and logs messages verbatim
(`rasa.core.processor.MessageProcessor.log_message`; its anonymization pipeline is a
Rasa Pro plugin hook that nothing implements here).
"""

import logging
from typing import Any, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from privacy.personal_data import METADATA_KEY, mask_personal_data, mask_text, mask_values

SUMMARY = "personal data masked in every message and log record before it is kept"

_rasa_log_message = MessageProcessor.log_message
_previous_record_factory = logging.getLogRecordFactory()


def mask_message(message: UserMessage) -> None:
    """Mask the message's text and metadata in place; note the kinds found in its metadata."""
    masked = mask_personal_data(message.text or "")
    if message.text is not None:
        message.text = masked.text
    masked_metadata = mask_values(message.metadata or {})
    metadata: Dict[str, Any] = dict(masked_metadata) if isinstance(masked_metadata, dict) else {}
    metadata.pop(METADATA_KEY, None)
    if masked.kinds:
        metadata[METADATA_KEY] = list(masked.kinds)
    message.metadata = metadata if metadata or message.metadata is not None else None


async def _log_message(self: MessageProcessor, message: UserMessage, *args: Any, **kwargs: Any):
    mask_message(message)
    return await _rasa_log_message(self, message, *args, **kwargs)


def _masking_record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _previous_record_factory(*args, **kwargs)
    try:
        text = record.getMessage()
    except Exception:  # a malformed record is the logging module's to report
        return record
    masked = mask_text(text)
    if masked != text:
        record.msg, record.args = masked, ()
    return record


def install() -> None:
    """Mask in the processor and in every log record (idempotent)."""
    MessageProcessor.log_message = _log_message
    if logging.getLogRecordFactory() is not _masking_record_factory:
        logging.setLogRecordFactory(_masking_record_factory)
