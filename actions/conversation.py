"""One turn of the conversation: what the user said and what the assistant remembers.

`read_turn` gathers what the reply depends on (the questions the NLU found, in order; the
places named and the one remembered; the reply language) and `respond` decides the reply.
Both are plain Python over the knowledge base, so the whole decision is testable without
Rasa running.
"""

from dataclasses import dataclass, replace
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from actions.incoming import MAX_QUESTION_CHARS, unanswerable_reason
from components.questions import asks_something
from knowledge import KnowledgeBase, Region, Reply
from knowledge.language import asks_only_for_language, reply_language, requested_text_language
from knowledge.places import PlaceReading, read_places

INFORM_REGION = "inform_region"
FALLBACK_MESSAGE = "fallback"
# Intents of a message that carry no question of their own beside a real one
# ("hi, where do I apply?", "I'm in Taizhou. Where do I apply?").
NO_QUESTION = ("greet", "thank", INFORM_REGION)
FALLBACK_INTENT = "nlu_fallback"
# What a message of emoji alone can say, if the classifier is this sure of it; any other
# message without words gets the reply that asks for words.
SAID_WITHOUT_WORDS = ("thank", "greet", "goodbye")
WITHOUT_WORDS_CONFIDENCE = 0.5
# Below this confidence a short message after an answer is read as a follow-up to it.
FOLLOW_UP_CONFIDENCE = 0.5
# What a follow-up leaning on the previous answer looks like: a few words.
FOLLOW_UP_MAX_WORDS = 8
FOLLOW_UP_MAX_HAN = 14


@dataclass(frozen=True)
class Turn:
    text: str
    intent: Optional[str]
    language: str
    places: PlaceReading
    remembered_region: Optional[Region]
    previous_topic: Optional[str]
    questions: Tuple[str, ...] = ()
    text_language: Optional[str] = None
    channel: Optional[str] = None
    confidence: float = 1.0

    @property
    def region(self) -> Optional[Region]:
        return self.places.place or self.remembered_region


def read_turn(
    knowledge: KnowledgeBase,
    text: Optional[str],
    intent: Optional[str],
    entities: Iterable[Dict[str, Any]],
    slots: Dict[str, Any],
    questions: Sequence[str] = (),
    channel: Optional[str] = None,
    ranking: Sequence[Dict[str, Any]] = (),
) -> Turn:
    """Gather what the reply depends on from the latest message and the slots."""
    text = text or ""
    values: Dict[str, str] = {}
    for entity in entities:
        values.setdefault(str(entity.get("entity")), str(entity.get("value", "")))
    remembered = knowledge.regions.get(slots.get("region"))
    if "region" in values:  # a quick reply that names the place
        chosen = knowledge.regions.resolve_name(values["region"])
        places = read_places(knowledge.regions, [], remembered)
        if len(chosen) == 1:
            places = PlaceReading(place=chosen[0])
    elif text.startswith("/"):
        places = PlaceReading()
    else:
        places = read_places(knowledge.regions, knowledge.regions.find(text), remembered)
    language = reply_language(text, values.get("language"), slots.get("language"), channel)
    return Turn(
        text=text,
        intent=intent,
        language=language,
        places=places,
        remembered_region=remembered,
        previous_topic=slots.get("topic"),
        questions=tuple(questions) or ((intent,) if intent else ()),
        text_language=requested_text_language(text, language),
        channel=channel,
        confidence=float((ranking[0] if ranking else {}).get("confidence") or 1.0),
    )


def respond(knowledge: KnowledgeBase, turn: Turn) -> Tuple[Reply, Dict[str, Any]]:
    """The reply to a turn, and the slots to remember afterwards."""
    slots: Dict[str, Any] = {"language": turn.language}
    reason = unanswerable_reason(turn.text)
    if reason == "no_words" and (
        turn.intent in SAID_WITHOUT_WORDS and turn.confidence >= WITHOUT_WORDS_CONFIDENCE
    ):
        # "👍", "🙏", "👋": thanks, a greeting or a goodbye the classifier is sure of
        reason = None
    if reason:
        return knowledge.message(reason, turn.language, max_chars=MAX_QUESTION_CHARS), slots
    places = turn.places
    if places.place:
        slots["region"] = places.place.id

    topics = topics_asked(knowledge, turn.questions)
    follow_up = follow_up_topic(knowledge, turn)
    if follow_up:
        topics = [follow_up]
    previous = turn.previous_topic
    if previous and asks_only_for_language(turn.text, turn.language):
        # "in Chinese please", "英文呢": the previous answer again, in the language asked for
        turn = replace(turn, language=turn.text_language or turn.language, text_language=None)
        topics = [previous]
    if topics:
        slots["topic"] = topics[-1]
        return answer_topics(knowledge, turn, topics), slots
    if turn.intent == INFORM_REGION or (places.named and turn.intent in NO_QUESTION):
        return answer_places(knowledge, turn), slots
    key = knowledge.message_for_intent.get(turn.intent or "", FALLBACK_MESSAGE)
    return knowledge.message(key, turn.language), slots


def follow_up_topic(knowledge: KnowledgeBase, turn: Turn) -> Optional[str]:
    """The topic of a short message that leans on the previous answer ("and the fee?",
    "for my mum?", "那小孩呢") when the classifier could not place it on its own."""
    if not turn.previous_topic or not elliptical(turn.text):
        return None
    unsure = turn.intent in (FALLBACK_INTENT, None, *NO_QUESTION, "ask_help") or (
        turn.confidence < FOLLOW_UP_CONFIDENCE
    )
    if not unsure:
        return None
    cue = knowledge.follow_up_topic(turn.text)
    if cue:
        return cue
    # "what about Xiamen?", "天津呢": the previous question, for the place named now; after
    # an answer that is the same everywhere, only if the message asks ("in Kunming too?"),
    # since a place on its own then just says where the user is.
    if turn.places.named and (
        knowledge.topics[turn.previous_topic].regional or asks_something(turn.text)
    ):
        return turn.previous_topic
    return None


def elliptical(text: str) -> bool:
    """Short enough to be a follow-up rather than a question of its own."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han <= FOLLOW_UP_MAX_HAN and len(text.split()) <= FOLLOW_UP_MAX_WORDS


def topics_asked(knowledge: KnowledgeBase, questions: Sequence[str]) -> List[str]:
    """The card topics of the questions, each once, in the order asked."""
    topics: List[str] = []
    for intent in questions:
        topic = knowledge.topic_for_intent(intent)
        if topic and topic not in topics:
            topics.append(topic)
    return topics


def answer_topics(knowledge: KnowledgeBase, turn: Turn, topics: Sequence[str]) -> Reply:
    """Each topic's answer in order, in one reply, for the place the message is about."""
    places = turn.places
    local = not (places.ambiguous or places.two_places)
    regional = [t for t in topics if knowledge.topics[t].regional]
    last_regional = regional[-1] if regional else None
    replies = [
        knowledge.answer(
            topic,
            turn.language,
            turn.region if local else None,
            previous_topic=turn.previous_topic if index == 0 else topics[index - 1],
            text_language=turn.text_language,
            local_note=local and topic == (last_regional or topics[-1]),
            general_here=bool(places.named),
        )
        for index, topic in enumerate(topics)
    ]
    if places.ambiguous:
        return knowledge.which_place(places.choices, turn.language, replies)
    if places.two_places:
        return knowledge.two_places(places.places, places.roles, turn.language, replies)
    return replies[0] if len(replies) == 1 else knowledge.combine(replies, turn.language)


def answer_places(knowledge: KnowledgeBase, turn: Turn) -> Reply:
    """A message that only names places (or corrects one)."""
    places = turn.places
    if places.ambiguous:
        return knowledge.which_place(places.choices, turn.language)
    if places.two_places:
        return knowledge.two_places(places.places, places.roles, turn.language)
    if places.place is None:
        return knowledge.message("region_unknown", turn.language)
    previous = turn.previous_topic
    if previous in knowledge.topics and knowledge.topics[previous].regional:
        # Naming (or correcting) the place after a general answer refines that answer.
        return knowledge.answer(previous, turn.language, places.place)
    return knowledge.region_noted(places.place, turn.language)
