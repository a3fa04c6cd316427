"""The questions of one message: where a message asking several things divides.

"Which office, and is there a fee?" / "去哪里办，要不要交钱？" ask two things; "I'm in
Taizhou, Jiangsu. Where do I apply?" states a place and asks one. A message divides into
clauses at sentence ends, semicolons and Chinese commas, and before the words that join a
second question ("and", "also", "还有", "另外" ...). The classifier reads each clause on its
own (components/intent_classifier.py) and lists the card questions it finds, in order,
under `questions` in the parse, which the action answers one after the other.
"""

import re
from typing import List, Tuple

QUESTIONS = "questions"

# Where one clause ends and the next begins: sentence ends, semicolons and commas, and just
# before the words that join a further question.
_BOUNDARY = re.compile(
    r"[.?!;。？！；\n]+|[，,、]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])"
    r"|\s+(?=(?:and|also|plus|besides|as well as|what about|how about)\b)"
    r"|(?<=[\u4e00-\u9fff])(?=还有|另外|以及|顺便问|再问一下)",
    re.IGNORECASE,
)
MIN_CLAUSE_CHARS = 2
# What makes a clause a question rather than part of the story around it ("Ten years ago
# the clerk typed my birthday wrong."): a question mark, a question word or particle.
_QUESTION = re.compile(
    r"[?？]|\b((?:what|how|where|when|which|who|why)(?:'?s)?|whether|can|could|may|do|does|did|is|are|"
    r"will|would|should|must|shall|any|need|tell me|want to know)\b"
    r"|吗|呢|么|嘛|啥|什么|怎么|怎样|咋|哪|几|多少|多久|多长|是否|能否|可否|如何|请问|想问|问一下|"
    r"能不能|可不可以|可以不|要不要|有没有|是不是|会不会|需不需要|行不行|用不用"
    r"|([\u4e00-\u9fff])不\2|不\s*$",  # 收不收, 要交钱不: the A-not-A question
    re.IGNORECASE,
)


def asks_something(clause: str, normalised: str = "") -> bool:
    """Whether a clause asks (a question mark, question word or particle), as written or in
    its normalised words (Traditional script as Simplified, misspellings corrected: the
    tokens' lemmas), so that "社保卡怎麼申請" and "wher do i get it" ask as well."""
    return bool(_QUESTION.search(clause) or _QUESTION.search(normalised))


def clauses(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each clause of the message, in order; one clause for most messages."""
    spans = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        if boundary.start() > start:
            spans.append((start, boundary.start()))
        start = max(start, boundary.end())
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if len(text[s:e].strip(" ,，、")) >= MIN_CLAUSE_CHARS]
