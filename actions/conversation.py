"""One turn of the conversation: what the user said and what the assistant remembers.

`respond` is plain Python over the knowledge base, so the whole decision of what
to answer is testable without Rasa running.
"""

from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional, Tuple

from actions.incoming import MAX_QUESTION_CHARS, unanswerable_reason
from knowledge import KnowledgeBase, Region, Reply
from knowledge.language import reply_language

INFORM_REGION = "inform_region"
FALLBACK_MESSAGE = "fallback"


@dataclass(frozen=True)
class Turn:
    text: str
    intent: Optional[str]
    language: str
    mentioned_region: Optional[Region]
    remembered_region: Optional[Region]
    previous_topic: Optional[str]

    @property
    def region(self) -> Optional[Region]:
        return self.mentioned_region or self.remembered_region


def read_turn(
    knowledge: KnowledgeBase,
    text: Optional[str],
    intent: Optional[str],
    entities: Iterable[Dict[str, Any]],
    slots: Dict[str, Any],
) -> Turn:
    """Gather what the reply depends on from the latest message and the slots."""
    text = text or ""
    entity_values: Dict[str, str] = {}
    for entity in entities:
        entity_values.setdefault(str(entity.get("entity")), str(entity.get("value", "")))
    mentioned = None
    if "region" in entity_values:
        mentioned = knowledge.regions.resolve(entity_values["region"])
    if mentioned is None and not text.startswith("/"):
        mentioned = knowledge.regions.find_in_text(text)
    return Turn(
        text=text,
        intent=intent,
        language=reply_language(text, entity_values.get("language"), slots.get("language")),
        mentioned_region=mentioned,
        remembered_region=knowledge.regions.get(slots.get("region")),
        previous_topic=slots.get("topic"),
    )


def respond(knowledge: KnowledgeBase, turn: Turn) -> Tuple[Reply, Dict[str, Any]]:
    """The reply to a turn, and the slots to remember afterwards."""
    slots: Dict[str, Any] = {"language": turn.language}
    reason = unanswerable_reason(turn.text)
    if reason:
        return knowledge.message(reason, turn.language, max_chars=MAX_QUESTION_CHARS), slots
    if turn.mentioned_region:
        slots["region"] = turn.mentioned_region.id

    if turn.intent == INFORM_REGION:
        if turn.mentioned_region is None:
            return knowledge.message("region_unknown", turn.language), slots
        previous = turn.previous_topic
        if previous in knowledge.topics and knowledge.topics[previous].regional:
            # Naming the place after a general answer refines that answer.
            return knowledge.answer(previous, turn.language, turn.region), slots
        return knowledge.message("region_noted", turn.language, region=turn.region), slots

    topic = knowledge.topic_for_intent(turn.intent)
    if topic:
        slots["topic"] = topic
        return knowledge.answer(topic, turn.language, turn.region, turn.previous_topic), slots

    key = knowledge.message_for_intent.get(turn.intent or "", FALLBACK_MESSAGE)
    return knowledge.message(key, turn.language), slots
