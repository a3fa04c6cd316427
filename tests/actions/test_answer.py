"""The action run as the action server runs it: tracker in, messages and slot events out."""

import pytest

from actions.answer import ActionAnswer
from actions.incoming import MAX_QUESTION_CHARS
from tests.conftest import make_tracker, run_action


def answer(text, intent, entities=(), slots=None):
    messages, events = run_action(ActionAnswer(), make_tracker(text, intent, entities, slots))
    assert len(messages) == 1
    slots_set = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    return messages[0], slots_set


def region_entity(value):
    return {"entity": "region", "value": value, "start": 0, "end": len(value)}


@pytest.mark.parametrize(
    "text, intent, must_contain",
    [
        ("what do I need to bring?", "ask_materials", ["household registration"]),
        ("I lost my card", "report_lost_card", ["12333", "temporary"]),
        ("what's the hotline", "ask_hotline", ["12333"]),
        ("how many days does my employer have", "ask_employer_registration", ["30 days"]),
        ("what law is this", "ask_legal_basis", ["Article 58", "citizenship number"]),
        ("社保卡丢了咋办", "report_lost_card", ["挂失", "12333"]),
        ("要带什么材料", "ask_materials", ["户口簿"]),
        ("法律依据是什么", "ask_legal_basis", ["第五十八条", "个人社会保障号码为公民身份号码"]),
    ],
)
def test_topic_questions_get_the_topic_answer_in_the_users_language(text, intent, must_contain):
    message, slots = answer(text, intent)
    for fragment in must_contain:
        assert fragment in message["text"]
    assert message["buttons"]
    assert message["answer"]["topic"] == slots["topic"]
    assert slots["language"] == ("zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en")


CHENGDU, WUHAN, GUANGZHOU = "510100", "420100", "440100"


def test_a_region_in_the_question_names_the_local_bureau_and_is_remembered():
    message, slots = answer("which office handles it in Chengdu?", "ask_department")
    assert "Chengdu Municipal Human Resources and Social Security Bureau" in message["text"]
    assert slots["region"] == CHENGDU


def test_a_remembered_region_is_used_for_a_later_question():
    message, slots = answer("which department?", "ask_department", slots={"region": WUHAN})
    assert "Wuhan Municipal Human Resources and Social Security Bureau" in message["text"]
    assert "region" not in slots


def test_a_misspelled_region_is_still_found():
    message, slots = answer("where do I apply in Guangzhuo", "ask_department")
    assert slots["region"] == GUANGZHOU
    assert "Guangzhou" in message["text"]


def test_a_quick_reply_names_the_place_by_its_code():
    message, slots = answer(
        '/inform_region{"region": "321200"}',
        "inform_region",
        [{"entity": "region", "value": "321200"}],
        slots={"topic": "department"},
    )
    assert slots["region"] == "321200"
    assert "泰州市人力资源和社会保障局" in message["text"]


def test_naming_the_region_after_a_general_answer_refines_that_answer():
    message, slots = answer(
        "I live in Wuhan",
        "inform_region",
        [region_entity("Wuhan")],
        slots={"topic": "materials", "language": "en"},
    )
    assert message["answer"]["topic"] == "materials"
    assert "Wuhan Municipal Human Resources and Social Security Bureau" in message["text"]
    assert slots["region"] == WUHAN


@pytest.mark.parametrize(
    "text, language, holds_there",
    [
        ("in Kunming too?", "en", "This general answer holds in Kunming too"),
        ("昆明呢", "zh", "在昆明市同样适用"),
    ],
)
def test_asking_about_a_place_after_an_answer_that_is_the_same_everywhere(
    text, language, holds_there
):
    message, slots = answer(
        text, "inform_region", slots={"topic": "electronic_card", "language": language}
    )
    assert message["answer"]["topic"] == "electronic_card"
    assert holds_there in message["text"]
    assert message["answer"]["region"] == "530100"
    assert slots["region"] == "530100"


def test_a_place_alone_after_an_answer_that_is_the_same_everywhere_is_noted():
    message, slots = answer(
        "Kunming", "inform_region", slots={"topic": "electronic_card", "language": "en"}
    )
    assert message["answer"]["topic"] is None
    assert "Got it, Kunming" in message["text"]
    assert slots["region"] == "530100"


def test_naming_the_region_first_is_acknowledged_with_the_bureau():
    message, slots = answer("我在上海", "inform_region", [region_entity("上海")])
    assert "上海市人力资源和社会保障局" in message["text"]
    assert slots == {"language": "zh", "region": "310000"}


def test_an_unknown_place_is_asked_for_again():
    message, slots = answer("I live in Atlantis", "inform_region")
    assert "region" not in slots
    assert "city or province" in message["text"]


def test_a_follow_up_question_links_to_the_previous_answer(knowledge):
    message, _ = answer(
        "and where do I submit them?", "ask_department", slots={"topic": "materials"}
    )
    assert message["text"].startswith(knowledge.topics["department"].follow_up["materials"].en)
    message, _ = answer(
        "is there a number I can call?", "ask_hotline", slots={"topic": "lost_card"}
    )
    assert message["text"].startswith(knowledge.topics["hotline"].follow_up["lost_card"].en)


@pytest.mark.parametrize(
    "text, intent, topic, language",
    [
        ("in chinese pls", "ask_foreigners", "legal_basis", "zh"),
        ("can I have it in Chinese?", "nlu_fallback", "fees", "zh"),
        ("英文呢", "inform_region", "fees", "en"),
    ],
)
def test_asking_only_for_the_other_language_gets_the_previous_answer_in_it(
    knowledge, text, intent, topic, language
):
    message, slots = answer(text, intent, slots={"topic": topic})
    assert slots["topic"] == topic
    assert knowledge.topics[topic].answer[0].get(language) in message["text"]


def test_a_question_that_also_asks_for_a_language_is_still_that_question(knowledge):
    message, slots = answer(
        "Can I see Article 58 in Chinese?", "ask_legal_basis", slots={"topic": "fees"}
    )
    assert slots["topic"] == "legal_basis"
    assert knowledge.law.articles["58"].text.zh in message["text"]
    assert knowledge.topics["legal_basis"].answer[0].en in message["text"]


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback", None])
def test_out_of_scope_gets_what_the_assistant_covers_with_buttons(knowledge, intent):
    message, slots = answer("what's the weather tomorrow", intent)
    assert message["text"] == knowledge.messages.fallback.en
    assert len(message["buttons"]) == len(knowledge.menu)
    assert "topic" not in slots


def test_a_quick_reply_is_answered_in_the_language_it_was_offered_in():
    message, slots = answer(
        '/ask_fees{"language": "zh"}',
        "ask_fees",
        [{"entity": "language", "value": "zh"}],
        slots={"language": "zh"},
    )
    assert slots["language"] == "zh"
    assert all('"language": "zh"' in button["payload"] for button in message["buttons"])


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty_message"),
        ("   \n\t ", "empty_message"),
        ("\x00\x07", "empty_message"),
        ("😀😀👍", "no_words"),
        ("?!...", "no_words"),
        ("x" * 10_000, "too_long"),
        ("社保卡" * 4000, "too_long"),
    ],
)
def test_bad_input_gets_a_polite_reply_and_changes_nothing_remembered(knowledge, text, reason):
    message, slots = answer(text, "ask_materials", slots={"region": WUHAN, "topic": "fees"})
    expected = getattr(knowledge.messages, reason)
    assert message["text"] in (
        expected.en.format(max_chars=MAX_QUESTION_CHARS),
        expected.zh.format(max_chars=MAX_QUESTION_CHARS),
    )
    assert set(slots) == {"language"}


def test_emoji_keep_the_language_of_the_conversation(knowledge):
    message, slots = answer("🧐", "out_of_scope", slots={"language": "zh"})
    assert slots["language"] == "zh"
    assert message["text"] == knowledge.messages.no_words.zh


@pytest.mark.parametrize("text, intent", [("👍", "thank"), ("🙏🙏", "thank"), ("👋", "greet")])
def test_emoji_that_thank_or_greet_get_the_conversational_reply(knowledge, text, intent):
    message, _ = answer(text, intent, slots={"language": "en"})
    reply = knowledge.messages.thank if intent == "thank" else knowledge.messages.greet
    assert message["text"].startswith(reply.en)


def test_markup_is_not_echoed_back():
    message, _ = answer("<script>alert(1)</script>", "out_of_scope")
    assert "<script>" not in message["text"]
