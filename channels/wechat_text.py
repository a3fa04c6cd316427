"""What a WeChat text message can hold: the bot's messages as one text, within WeChat's size.

WeChat shows neither buttons nor markup in a text message: the assistant's messages of
a turn become one text, paragraphs apart, and its quick replies a list headed in the
answer's language that the user can type back. A text message holds at most 2,048
bytes of UTF-8 (a passive reply longer than that is not shown); a longer answer is
split between paragraphs, lines or, at worst, characters.
"""

import re
from typing import Any, Dict, Iterable, List

from knowledge import LANGUAGES, Reply, load_knowledge
from knowledge.language import default_language

MAX_TEXT_BYTES = 2048
# Characters XML 1.0 forbids even inside CDATA.
_ILLEGAL_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def reply_as_message(reply: Reply) -> Dict[str, Any]:
    """A knowledge Reply in the form the output channel stores bot messages."""
    return {
        "text": reply.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons],
        "custom": reply.data,
    }


def render_messages(messages: Iterable[Dict[str, Any]]) -> str:
    """Bot messages as one text: paragraphs separated by a blank line, buttons as a list."""
    knowledge = load_knowledge()
    parts: List[str] = []
    for message in messages:
        if message.get("text"):
            parts.append(message["text"].strip())
        titles = [b.get("title") for b in message.get("buttons") or [] if b.get("title")]
        if titles:
            language = (message.get("custom") or {}).get("language")
            # Buttons without a language are the channel's own, in its default language.
            language = language if language in LANGUAGES else default_language("wechat")
            heading = knowledge.messages.related_heading.get(language)
            parts.append("\n".join([heading, *(f"· {title}" for title in titles)]))
    return "\n\n".join(part for part in parts if part)


def cdata_safe(text: str) -> str:
    """Text that stays one CDATA section's content: "]]>" split across two, illegal characters dropped.

    wechatpy writes reply fields as `<![CDATA[...]]>` verbatim, so an answer quoting
    "]]>" would end the section early and a control character would make the XML
    unreadable.
    """
    return _ILLEGAL_XML_CHARS.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> List[str]:
    """`text` in parts of at most `limit` UTF-8 bytes, cut between paragraphs where it can."""
    parts: List[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        for index, fragment in enumerate(_split_long(paragraph, limit)):
            joiner = "\n\n" if index == 0 else "\n"
            candidate = f"{current}{joiner}{fragment}" if current else fragment
            if _utf8_len(candidate) <= limit:
                current = candidate
                continue
            if current:
                parts.append(current)
            current = fragment
    if current:
        parts.append(current)
    return parts


def _split_long(paragraph: str, limit: int) -> List[str]:
    """A paragraph too long for one message: by lines, and lines too long by characters."""
    if _utf8_len(paragraph) <= limit:
        return [paragraph]
    fragments: List[str] = []
    for line in paragraph.split("\n"):
        while _utf8_len(line) > limit:
            cut = limit
            while _utf8_len(line[:cut]) > limit:
                cut -= 1
            fragments.append(line[:cut])
            line = line[cut:]
        fragments.append(line)
    return fragments


def fit_text(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """The first part of `text` that fits one message (for the passive reply, which is one)."""
    parts = split_text(text, limit)
    return parts[0] if parts else ""
