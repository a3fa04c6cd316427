"""knowledge/whole_messages.py: messages that only acknowledge, take leave or ask for the menu."""

import pytest

from knowledge.whole_messages import load_whole_messages

WHOLE = load_whole_messages()


@pytest.mark.parametrize(
    "text, intent",
    [
        ("awesome", "thank"),
        ("you're a lifesaver!", "thank"),
        ("ok great thanks 👍", "thank"),
        ("太好了", "thank"),
        ("太 好 了", "thank"),
        ("好的謝謝", "thank"),
        ("ok谢谢", "thank"),
        ("end chat", "goodbye"),
        ("ok thanks, bye", "goodbye"),
        ("thanks, that's all for now", "goodbye"),
        ("好的，拜拜", "goodbye"),
        ("menu", "ask_help"),
        ("what are my choices?", "ask_help"),
        ("从头来", "ask_help"),
        ("Do you speak English?", "ask_help"),
        ("你会说英语吗", "ask_help"),
    ],
)
def test_nothing_but_conversational_phrases_is_their_intent(text, intent):
    assert WHOLE.intent_of(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        # a question beside the acknowledgement is the classifier's to read
        "ok and for kids?",
        "great, how much is it",
        "好的，那补卡要多久",
        # a phrase ends where a word ends: no "k" and "roger"
        "kroger",
        # acknowledging and asking for the menu, or greeting, are not one intent
        "thanks, menu",
        "thanks hello",
        "",
        "🙂",
    ],
)
def test_any_other_word_leaves_the_message_to_the_classifier(text):
    assert WHOLE.intent_of(text) is None
