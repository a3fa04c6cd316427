"""The reply language: decided once per message, here, and passed on as a value.

The action decides it for every answer; the channels use the same rules only for what
they say themselves when no answer came (the apology naming 12333, a WeChat event). No
other module decides a language.
"""

import re
from typing import Optional

from knowledge.schema import LANGUAGES

DEFAULT_LANGUAGE = "en"
# Where a channel's users are Chinese speakers unless their message says otherwise.
CHANNEL_DEFAULT_LANGUAGE = {"wechat": "zh"}

# Asking for a text in the other language: "Can I see Article 58 in Chinese?",
# "第五十八条有英文吗".
_ASKS_FOR_CHINESE = re.compile(
    r"\b(in chinese|chinese (version|text|original)|in mandarin|"
    r"original (chinese|text|wording)|in the original)\b",
    re.IGNORECASE,
)
_ASKS_FOR_ENGLISH = re.compile(r"(英文|英语|英译|english)", re.IGNORECASE)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# A Han character carries about as much as a short English word.
_LETTERS_PER_HAN = 3

# Chinese written in toneless pinyin by people without a Chinese input method
# ("shebaoka diule zenme ban", "wo de ka diu le") is Chinese. A word counts as pinyin when
# it is made only of pinyin syllables, is no common English word ("he", "can", "song" are
# syllables too) and is not a capitalised name ("Taizhou, Jiangsu" is English with two
# place names); a message is pinyin when most of its words are.
_SYLLABLE = (
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ue|ve|ui|un|"
    r"ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|uo|a|o|e|i|u|v)"
    r"|ang|eng|ai|ei|ao|ou|an|en|er|a|o|e)"  # syllables without an initial
)
_PINYIN_WORD = re.compile(rf"(?:{_SYLLABLE})+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# wordfreq's Zipf scale: 4 is about once per 100,000 English words ("hao" 2.9, "ni" 3.9,
# "wo" 3.7 fall below it; "he", "men", "song" are far above).
_COMMON_ENGLISH_ZIPF = 4.0


def _written_in_pinyin(text: str) -> bool:
    words = _LATIN_WORD.findall(text)
    if len(words) < 2:
        return False
    from wordfreq import zipf_frequency

    pinyin = [
        word
        for index, word in enumerate(words)
        if (index == 0 or word.islower())
        and _PINYIN_WORD.fullmatch(word.lower())
        and zipf_frequency(word.lower(), "en") < _COMMON_ENGLISH_ZIPF
    ]
    return len(pinyin) >= 2 and len(pinyin) * 2 > len(words)


def detect_language(text: str) -> Optional[str]:
    """'zh' or 'en' by the script the message is written in (pinyin is Chinese); None if
    it has no letters."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han == 0 and latin == 0:
        return None
    if han * _LETTERS_PER_HAN >= latin or _written_in_pinyin(text):
        return "zh"
    return "en"


def default_language(channel: Optional[str] = None) -> str:
    """The language of a conversation that has given no sign of its own yet."""
    return CHANNEL_DEFAULT_LANGUAGE.get(channel or "", DEFAULT_LANGUAGE)


def reply_language(
    text: str,
    requested: Optional[str],
    previous: Optional[str],
    channel: Optional[str] = None,
) -> str:
    """The language to answer in.

    A quick reply carries the language it was offered in (`requested`); typed text
    is answered in its own language; text without letters (emoji, digits) keeps the
    conversation's previous language, or the channel's default.
    """
    if requested in LANGUAGES:
        return requested
    if not text.startswith("/"):
        detected = detect_language(text)
        if detected:
            return detected
    return previous if previous in LANGUAGES else default_language(channel)


# What may stand beside the request in a message that asks for nothing but the other
# language ("in Chinese please", "英文呢", "有英文版吗").
_LANGUAGE_REQUEST_FILLER = re.compile(
    r"\b(please|pls|plz|can|could|i|you|see|get|have|it|that|this|the|one|version|text|"
    r"show|me|give|send|is|there|an?|ok|and|now|too|also)\b"
    r"|[版本的呢吗嘛么有没能给我看一下请要个呀啊吧下来麻烦]",
    re.IGNORECASE,
)


def asks_only_for_language(text: str, language: str) -> bool:
    """The message asks for nothing but the other language: a follow-up that wants the
    previous answer again in it."""
    if requested_text_language(text, language) is None:
        return False
    pattern = _ASKS_FOR_CHINESE if language == "en" else _ASKS_FOR_ENGLISH
    rest = _LANGUAGE_REQUEST_FILLER.sub(" ", pattern.sub(" ", text))
    return not re.search(r"\w", rest)


def requested_text_language(text: str, language: str) -> Optional[str]:
    """The other language, when the message asks for a text in it (the statute's words);
    None otherwise."""
    if language == "en" and _ASKS_FOR_CHINESE.search(text):
        return "zh"
    if language == "zh" and _ASKS_FOR_ENGLISH.search(text):
        return "en"
    return None
