"""knowledge/naming_only.py: messages that only name the card, or only another card."""

import pytest

from knowledge.naming_only import load_naming_only

NAMING_ONLY = load_naming_only()


@pytest.mark.parametrize(
    "text",
    [
        "I have a question about my social security card",
        "hi, quick q about my SSC 🙏",
        "a question on my medical insurance card, please",
        "need help with the shebao card",
        "Hello there! Can I ask something regarding the social security card?",
        "social security card",
        "社保卡的事",
        "關於社保卡",
        "想问一下社保卡",
        "在吗，医保卡的事情",
        "社保卡？",
    ],
)
def test_the_card_named_and_nothing_asked(text):
    assert NAMING_ONLY.the_card(text)
    assert not NAMING_ONLY.another_card(text)


@pytest.mark.parametrize(
    "text",
    [
        # a topic, however short
        "社保卡丢了",
        "social security card lost",
        "社保卡有效期",
        "SSC fee?",
        # wanting the card, with nothing saying the message is only about it, asks for one
        "I need a social security card",
        "can i have a social security card",
        "我想办社保卡",
        # another card named beside it
        "bank card question",
        # no card named
        "hi",
        "I have a question",
    ],
)
def test_a_question_or_no_card_is_no_mere_mention(text):
    assert not NAMING_ONLY.the_card(text)


@pytest.mark.parametrize(
    "text",
    [
        "metro card",
        "my ID card please",
        "hey, quick q about my membership card 😊",
        "work permit question",
        "你好，问一下驾驶证的事",
        "會員卡的問題",
        "户口本的事情",
    ],
)
def test_another_card_named_and_nothing_asked(text):
    assert NAMING_ONLY.another_card(text)
    assert not NAMING_ONLY.the_card(text)


@pytest.mark.parametrize(
    "text",
    [
        "id card enough?",
        "身份证和社保卡的事",
        "question about my ID card and my social security card",
        "银行卡丢了",
        "I need a passport",
    ],
)
def test_another_card_with_a_question_or_beside_the_card_is_not(text):
    assert not NAMING_ONLY.another_card(text)
