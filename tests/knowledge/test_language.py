import pytest

from knowledge.language import asks_only_for_language, detect_language, reply_language


@pytest.mark.parametrize(
    "text, language",
    [
        ("I lost my card", "en"),
        ("社保卡丢了咋办", "zh"),
        ("shebao卡丢了", "zh"),
        ("SSC怎么办理", "zh"),
        ("I live in 武汉", "en"),
        ("shebaoka diule zenme ban", "zh"),
        ("wo de ka diu le", "zh"),
        ("ni hao", "zh"),
        ("qing wen shebaoka zai nali banli", "zh"),
        ("Taizhou, Jiangsu", "en"),
        ("I'm in Taizhou, Jiangsu. Where do I apply?", "en"),
        ("how do I get a shebao card", "en"),
        ("hwo do i actvate my card", "en"),
        ("can he apply for me", "en"),
        ("12333", None),
        ("😀", None),
        ("", None),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_a_quick_reply_payload_keeps_the_language_it_was_offered_in():
    assert reply_language('/ask_fees{"language": "zh"}', "zh", "en") == "zh"
    assert reply_language("/ask_fees", None, "zh") == "zh"


def test_text_without_letters_keeps_the_previous_language():
    assert reply_language("👍", None, "zh") == "zh"
    assert reply_language("👍", None, None) == "en"


def test_each_message_is_answered_in_its_own_language():
    assert reply_language("what about fees?", None, "zh") == "en"
    assert reply_language("要多少钱", None, "en") == "zh"


@pytest.mark.parametrize(
    "text, language, only",
    [
        ("in chinese pls", "en", True),
        ("can i have it in Chinese?", "en", True),
        ("英文呢", "zh", True),
        ("有英文版吗", "zh", True),
        ("Can I see Article 58 in Chinese?", "en", False),
        ("第五十八条有英文吗", "zh", False),
        ("in Chinese, and the fee?", "en", False),
        ("how much is it", "en", False),
    ],
)
def test_a_message_that_asks_only_for_the_other_language(text, language, only):
    assert asks_only_for_language(text, language) is only
