"""Messages that cannot be answered as questions: empty, without words, or far too long."""

import re
import unicodedata
from typing import Optional

# A question about the card fits in a few sentences; past this, a message is a paste.
MAX_QUESTION_CHARS = 1000

_WORD_CHARACTER = re.compile(r"[^\W_]", re.UNICODE)


def unanswerable_reason(text: Optional[str]) -> Optional[str]:
    """The conversation message that explains why `text` can't be answered, or None."""
    if text is None:
        return "empty_message"
    visible = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    if not visible:
        return "empty_message"
    if len(text) > MAX_QUESTION_CHARS:
        return "too_long"
    if not _WORD_CHARACTER.search(visible):
        return "no_words"
    return None
