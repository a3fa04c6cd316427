"""Recognise citizen ID, mobile and bank card numbers in a text, and mask them.

The assistant needs none of them to answer: whatever a user pastes is masked before
Rasa parses, logs or stores the message (rasa_fixes/personal_data.py), and everything
else the project stores or shows (feedback, left messages, agents' replies, the
review) goes through `mask_personal_data` too.

- citizen ID (居民身份证号码, GB 11643-1999): 17 digits and a check digit (0-9 or X)
  that the weighted sum of the others decides; a birth date in the middle;
- mainland mobile number: 11 digits starting 13-19, optionally +86 and split 3-4-4;
- bank card number: 16 to 19 digits (optionally in groups) passing the Luhn check.

A number of the right length whose check digit is wrong is left alone: order and
reference numbers are not personal data, and masking them would hide what the user
asked about. Masks keep the ends, as Chinese forms print them: 110101********1234.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import List, Tuple

CITIZEN_ID = "citizen_id"
MOBILE = "mobile"
BANK_CARD = "bank_card"
KINDS = (CITIZEN_ID, MOBILE, BANK_CARD)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Digits not glued to other digits or letters, so parts of longer numbers don't match.
_CITIZEN_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d){12,15}(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Masked:
    """A text with its personal data masked, and the kinds that were found in it."""

    text: str
    kinds: Tuple[str, ...] = ()


def is_citizen_id(number: str) -> bool:
    """Whether an 18-character number is a well-formed citizen ID (birth date, check digit)."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def passes_luhn(digits: str) -> bool:
    """The Luhn check that bank card numbers carry in their last digit."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _keep_ends(digits: str, head: int, tail: int = 4) -> str:
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


def find_personal_data(text: str) -> List[Tuple[int, int, str, str]]:
    """(start, end, kind, mask) of every personal number in `text`, in order, not overlapping."""
    found: List[Tuple[int, int, str, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _, _ in found)

    for match in _CITIZEN_ID.finditer(text):
        if is_citizen_id(match.group()):
            found.append((match.start(), match.end(), CITIZEN_ID, _keep_ends(match.group(), 6)))
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 16 <= len(digits) <= 19 and passes_luhn(digits) and free(*match.span()):
            found.append((match.start(), match.end(), BANK_CARD, _keep_ends(digits, 6)))
    for match in _MOBILE.finditer(text):
        if free(*match.span()):
            digits = "".join(match.groups())
            found.append((match.start(), match.end(), MOBILE, _keep_ends(digits, 3)))
    return sorted(found)


def mask_personal_data(text: str) -> Masked:
    """`text` with every citizen ID, mobile and bank card number masked, and their kinds."""
    if not text or not any(ch.isdigit() for ch in text):
        return Masked(text or "")
    found = find_personal_data(text)
    if not found:
        return Masked(text)
    parts, position = [], 0
    for start, end, _, mask in found:
        parts.append(text[position:start])
        parts.append(mask)
        position = end
    parts.append(text[position:])
    kinds = tuple(
        kind for kind in KINDS if any(kind == found_kind for _, _, found_kind, _ in found)
    )
    return Masked("".join(parts), kinds)


def mask_text(text: str) -> str:
    """`text` with its personal data masked (the kinds found are not needed)."""
    return mask_personal_data(text).text


# Where the masking step tells the action which kinds it masked (message metadata).
METADATA_KEY = "personal_data"


def mask_values(value: object) -> object:
    """A JSON-like value (metadata a channel or caller attached) with every string masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_values(item) for item in value]
    return value
