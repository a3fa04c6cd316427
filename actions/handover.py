"""Asking for a person: the hand-over action, and the offer of a person after repeated
fallbacks.

Whether someone can take the conversation is decided on Rasa's side for each message
(operators/handover.py) and arrives in the message metadata; this action only words it
in the user's language and, when someone is on duty, pauses the conversation with Rasa's
`ConversationPaused`, after which the bot says nothing until the person hands it back.
"""

from dataclasses import replace
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import with_privacy_notice
from knowledge import Button, KnowledgeBase, Reply, load_knowledge
from knowledge.base import button_payload
from knowledge.language import reply_language

REQUEST_HUMAN = "request_human"
CANCEL_PAYLOAD = "/cancel_handover"  # taken by Rasa's side (rasa_fixes/handover.py)
FALLBACK_SLOT = "fallbacks"
# The fallback that brings the "talk to a person" button: the second in a row.
FALLBACKS_BEFORE_OFFER = 2
MESSAGES = {
    "open": "handover_waiting",
    "closed": "handover_closed",
    "nobody": "handover_nobody",
    "unreachable": "handover_unreachable",
    "none": "handover_unreachable",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def describe_hours(knowledge: KnowledgeBase, hours: Dict[str, Any], language: str) -> str:
    """Office hours in words: "Monday to Friday, 09:00–17:00 (Beijing time)"."""
    names = knowledge.messages.weekdays.get(language)
    days = sorted(WEEKDAYS.index(day) for day in hours.get("days") or [] if day in WEEKDAYS)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        described = knowledge.messages.day_range.get(language).format(
            first=names[days[0]], last=names[days[-1]]
        )
    else:
        described = ("、" if language == "zh" else ", ").join(names[day] for day in days)
    return knowledge.messages.office_hours.get(language).format(
        days=described, open=hours.get("open", ""), close=hours.get("close", "")
    )


def hand_over_reply(knowledge: KnowledgeBase, availability: Dict[str, Any], language: str) -> Reply:
    """What the user is told when they ask for a person, given the availability."""
    status = availability.get("status") or "none"
    key = MESSAGES.get(status, "handover_unreachable")
    fields: Dict[str, Any] = {"position": int(availability.get("waiting") or 0) + 1}
    if status == "closed":
        fields["hours"] = describe_hours(knowledge, availability, language)
    reply = knowledge.message(key, language, **fields)
    data = {**reply.data, "handover": status}
    if status == "open":
        back = Button(knowledge.messages.back_to_assistant.get(language), CANCEL_PAYLOAD)
        return Reply(reply.text, [back], data)
    text = reply.text
    if availability.get("leave_message"):
        text += "\n\n" + knowledge.messages.leave_message_offer.get(language)
        data["offer"] = "leave_message"
    return Reply(text, reply.buttons, data)


class ActionHandOver(Action):
    """Answers `request_human`: hands over to a person on duty, or names 12333."""

    def name(self) -> Text:
        return "action_hand_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        from actions.answer import send  # answer.py uses this module's fallback offer

        knowledge = load_knowledge()
        message = tracker.latest_message or {}
        language_entity = next(
            (
                e.get("value")
                for e in message.get("entities") or []
                if e.get("entity") == "language"
            ),
            None,
        )
        language = reply_language(
            message.get("text") or "", language_entity, tracker.get_slot("language")
        )
        availability = (message.get("metadata") or {}).get("handover") or {}
        reply = with_privacy_notice(
            knowledge, hand_over_reply(knowledge, availability, language), message
        )
        send(dispatcher, reply)
        events = [SlotSet("language", language)]
        if tracker.get_slot(FALLBACK_SLOT):
            events.append(SlotSet(FALLBACK_SLOT, None))
        if availability.get("status") == "open":
            events.append(ConversationPaused())
        return events


def offer_a_person(
    knowledge: KnowledgeBase, reply: Reply, slots: Dict[str, Any], fallbacks: Optional[float]
) -> Tuple[Reply, Dict[str, Any]]:
    """Count fallbacks in a row; from the second one, offer a person as the first button."""
    if reply.data.get("message") != "fallback":
        if fallbacks:
            slots = {**slots, FALLBACK_SLOT: None}
        return reply, slots
    count = int(fallbacks or 0) + 1
    slots = {**slots, FALLBACK_SLOT: float(count)}
    if count < FALLBACKS_BEFORE_OFFER:
        return reply, slots
    language = reply.data.get("language") or "en"
    person = Button(
        knowledge.messages.talk_to_person.get(language), button_payload(REQUEST_HUMAN, language)
    )
    return replace(reply, buttons=[person, *reply.buttons]), slots
