"""The one custom action: answer the latest message from the knowledge module."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import read_turn, respond
from actions.feedback import with_rating_buttons
from actions.handover import offer_a_person
from actions.privacy import with_privacy_notice
from components.questions import QUESTIONS
from knowledge import Reply, load_knowledge


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send a reply; `answer` travels as message metadata and the REST channels put it in `custom`."""
    dispatcher.utter_message(
        text=reply.text,
        buttons=[{"title": button.title, "payload": button.payload} for button in reply.buttons],
        answer=reply.data,
    )


class ActionAnswer(Action):
    """Answers every intent: card topics, small talk, places, fallback and bad input."""

    def name(self) -> Text:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        knowledge = load_knowledge()
        message = tracker.latest_message or {}
        turn = read_turn(
            knowledge,
            text=message.get("text"),
            intent=(message.get("intent") or {}).get("name"),
            entities=message.get("entities") or [],
            slots=tracker.current_slot_values(),
            questions=message.get(QUESTIONS) or (),
            channel=tracker.get_latest_input_channel(),
            ranking=message.get("intent_ranking") or (),
        )
        reply, slots = respond(knowledge, turn)
        # The office's side: a person offered after fallbacks, the personal-data notice,
        # rating buttons on platforms (actions/handover.py, privacy.py, feedback.py).
        reply, slots = offer_a_person(knowledge, reply, slots, tracker.get_slot("fallbacks"))
        reply = with_privacy_notice(knowledge, reply, message)
        reply = with_rating_buttons(reply, tracker.get_latest_input_channel())
        send(dispatcher, reply)
        return [SlotSet(name, value) for name, value in slots.items()]


class ActionRestart(Action):
    """Rasa's /restart, which forgets the conversation, saying so (Rasa's own says nothing
    unless the domain has an utter_restart response, and the channel would then apologise
    for an outage)."""

    def name(self) -> Text:
        return "action_restart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = tracker.get_slot("language") or "en"
        send(dispatcher, load_knowledge().message("restarted", language))
        return [Restarted()]
