"""What the stored conversations say: one summary per conversation, read from Rasa's rows.

A conversation is one session of a sender (Rasa's `session_started` separates them) with
at least one user message. Its outcome is what the office wants to know first:

- handed over: it was paused for a person (Rasa's `pause` event);
- sent to the fallback: otherwise, at least one question got the fallback reply;
- answered: every message got an answer (a topic, or a greeting, help, ...).

Messages are the user's; the unanswered questions are the texts that got the fallback
(already masked: they were masked before they were stored).
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Dict, Iterable, List, Optional

import pytz
import sqlalchemy as sa

from operators import store

ANSWERED, FALLBACK, HANDED_OVER = "answered", "fallback", "handed_over"
OUTCOMES = (ANSWERED, FALLBACK, HANDED_OVER)
FALLBACK_MESSAGES = ("fallback",)


@dataclass
class Conversation:
    sender_id: str
    started: float
    messages: int = 0
    outcome: str = ANSWERED
    topics: List[str] = field(default_factory=list)
    language: Optional[str] = None
    region: Optional[str] = None
    unanswered: List[str] = field(default_factory=list)

    def day(self, timezone: str) -> date:
        return datetime.fromtimestamp(self.started, pytz.timezone(timezone)).date()


def read_conversations(engine: sa.engine.Engine) -> List[Conversation]:
    """Every conversation in the database, oldest first."""
    if not store.has_events(engine):
        return []
    events = sa.Table("events", sa.MetaData(), autoload_with=engine)
    query = sa.select(
        events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data
    ).order_by(events.c.sender_id, events.c.id)
    with engine.connect() as connection:
        rows = connection.execute(query).fetchall()
    conversations: List[Conversation] = []
    for sender_id, group in _by_sender(rows):
        conversations.extend(_sessions(sender_id, group))
    return sorted(conversations, key=lambda c: c.started)


def _by_sender(rows: Iterable) -> Iterable:
    current: Optional[str] = None
    group: List = []
    for row in rows:
        if row[0] != current and group:
            yield current, group
            group = []
        current = row[0]
        group.append(row)
    if group:
        yield current, group


def _sessions(sender_id: str, rows: List) -> List[Conversation]:
    found: List[Conversation] = []
    conversation: Optional[Conversation] = None
    last_user_text: Optional[str] = None
    paused = False
    for _, type_name, timestamp, raw in rows:
        if type_name == "session_started" or conversation is None:
            conversation = Conversation(sender_id, timestamp)
            found.append(conversation)
            paused = False
            if type_name == "session_started":
                continue
        data = json.loads(raw)
        if type_name == "user":
            if conversation.messages == 0:
                conversation.started = timestamp
            conversation.messages += 1
            last_user_text = data.get("text")
        elif type_name == "pause":
            paused = True
            conversation.outcome = HANDED_OVER
        elif type_name == "resume":
            paused = False
        elif (
            type_name == "slot" and data.get("name") in ("language", "region") and data.get("value")
        ):
            setattr(conversation, data["name"], data["value"])
        elif type_name == "bot" and not paused:
            answer = (data.get("metadata") or {}).get("answer") or {}
            if answer.get("topic"):
                conversation.topics.append(answer["topic"])
            if answer.get("message") in FALLBACK_MESSAGES:
                if conversation.outcome != HANDED_OVER:
                    conversation.outcome = FALLBACK
                if last_user_text:
                    conversation.unanswered.append(last_user_text)
    return [c for c in found if c.messages]


@dataclass
class Summary:
    """The figures of the review page."""

    conversations: int
    messages: int
    per_day: Dict[date, int]
    messages_per_day: Dict[date, int]
    outcomes: Dict[str, int]
    topics: Counter
    languages: Counter
    regions: Counter
    unanswered: List[str]


def summarise(conversations: List[Conversation], timezone: str) -> Summary:
    per_day: Counter = Counter()
    messages_per_day: Counter = Counter()
    for conversation in conversations:
        per_day[conversation.day(timezone)] += 1
        messages_per_day[conversation.day(timezone)] += conversation.messages
    return Summary(
        conversations=len(conversations),
        messages=sum(c.messages for c in conversations),
        per_day=dict(sorted(per_day.items())),
        messages_per_day=dict(sorted(messages_per_day.items())),
        outcomes={
            outcome: sum(c.outcome == outcome for c in conversations) for outcome in OUTCOMES
        },
        topics=Counter(topic for c in conversations for topic in c.topics),
        languages=Counter(c.language or "unknown" for c in conversations),
        regions=Counter(region_name(c.region) for c in conversations),
        unanswered=[text for c in conversations for text in c.unanswered],
    )


@dataclass
class FeedbackSummary:
    helpful: int
    not_helpful: int
    stars: Dict[int, int]
    not_helpful_topics: Counter
    comments: List[str]
    models: Counter

    @property
    def average_stars(self) -> Optional[float]:
        total = sum(self.stars.values())
        return sum(n * count for n, count in self.stars.items()) / total if total else None


def read_feedback(engine: sa.engine.Engine) -> FeedbackSummary:
    table = store.feedback
    rows = store.rows(engine, sa.select(table).order_by(table.c.created_at))
    answers = [r for r in rows if r["kind"] == "answer"]
    ratings = [r for r in rows if r["kind"] == "conversation"]
    return FeedbackSummary(
        helpful=sum(r["rating"] > 0 for r in answers),
        not_helpful=sum(r["rating"] < 0 for r in answers),
        stars={n: sum(r["rating"] == n for r in ratings) for n in range(1, 6)},
        not_helpful_topics=Counter(
            r["topic"] or r["message"] or "unknown" for r in answers if r["rating"] < 0
        ),
        comments=[r["comment"] for r in rows if r["comment"]][-20:],
        models=Counter(r["model_id"] or "unknown" for r in rows),
    )


def region_name(code: Optional[str]) -> str:
    """A region as the report shows it: its Chinese name (the slot holds the division code)."""
    if not code:
        return "not given"
    from knowledge import load_knowledge

    region = load_knowledge().regions.get(code)
    return region.name_zh if region else code
