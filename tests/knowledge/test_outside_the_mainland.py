"""knowledge/outside_the_mainland.py: places in Hong Kong, Macao and Taiwan."""

import pytest

from knowledge.outside_the_mainland import load_outside_the_mainland

OUTSIDE = load_outside_the_mainland()


@pytest.mark.parametrize(
    "text",
    [
        "我在香港",
        "住喺九龍",
        "臺北",
        "你好，高雄人",
        "hi, Macau",
        "live in Kowloon",
        "HK resident here",
        "I'm from Kaohsiung",
        "澳門人",
    ],
)
def test_a_place_in_hong_kong_macao_or_taiwan_is_named(text):
    assert OUTSIDE.named_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "我在深圳",
        "I live in Chengdu",
        # inside other words: no place
        "在App平台中查进度",
        "thanks, hkd is fine",
        # also a mainland division or a common word: the region directory reads them
        "我在新北区",
        "我住沙田镇",
        "Taoyuan county, Hunan",
    ],
)
def test_other_words_and_mainland_places_are_not(text):
    assert not OUTSIDE.named_in(text)


@pytest.mark.parametrize(
    "text, only",
    [
        ("臺北", True),
        ("Taipei!", True),
        ("高雄人", True),
        ("hong kong", True),
        ("from Kaohsiung", True),
        ("I'm from Macau.", True),
        ("我来自高雄", True),
        ("我住在九龍", True),
        ("香港天气", False),
        ("from hk to macau by ferry", False),
        ("在香港怎么办社保卡", False),
        ("ferry hk to macau", False),
        ("台北101几点开门", False),
    ],
)
def test_a_message_that_is_nothing_but_the_place(text, only):
    assert OUTSIDE.only_named(text) is only
