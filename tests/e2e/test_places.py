"""Places in whole conversations through the REST webhook, in both languages: same-name
places asked about with buttons, places inside questions, corrections, provinces,
counties, place names inside other words, and two places in one message."""

import json

import pytest

from tests.e2e.conversation import new_sender, say


def names_the_bureau(text, knowledge, code, language):
    """Whether the answer names the division's own bureau, told apart from same-name ones:
    English answers give the Chinese name too (both Taizhous' bureaus are "Taizhou
    Municipal ..." in English), and a county's answer names its city."""
    region = knowledge.regions.get(code)
    found = region.bureau_zh in text and (language == "zh" or region.bureau_en in text)
    if region.level == "county":
        city = knowledge.regions.parent(region)
        found = found and (city.name_zh if language == "zh" else city.name_en) in text
    return found


def pressed(button):
    """The message a chat client sends when the button is pressed: its payload."""
    return button["payload"]


def region_of_button(button):
    payload = button["payload"]
    assert payload.startswith("/inform_region{"), payload
    return json.loads(payload[payload.index("{") :])["region"]


@pytest.mark.parametrize(
    "language, question, name, candidates",
    [
        ("en", "Where do I apply for the card in Taizhou?", "Taizhou", {"321200", "331000"}),
        ("en", "I'm in Suzhou, which office issues the card?", "Suzhou", {"320500", "341300"}),
        ("zh", "我在鼓楼区，社保卡去哪办", "鼓楼区", {"320106", "350102", "320302", "410204"}),
    ],
)
def test_a_same_name_place_is_asked_about_and_the_button_answers_the_question(
    assistant, knowledge, language, question, name, candidates
):
    sender = new_sender("places")
    asked = say(assistant, sender, question)
    assert asked["custom"]["message"] == "which_place"
    assert asked["custom"]["topic"] == "department" and asked["custom"]["region"] is None
    assert knowledge.messages.which_place.get(language).format(name=name) in asked["text"]
    offered = {region_of_button(b): b for b in asked["buttons"]}
    assert set(offered) == candidates
    titles = [b["title"] for b in asked["buttons"]]
    assert len(set(titles)) == len(titles), titles  # each candidate told apart by its parent
    assert all(f'"language": "{language}"' in b["payload"] for b in asked["buttons"])

    chosen = sorted(candidates)[-1]
    answer = say(assistant, sender, pressed(offered[chosen]))
    assert answer["custom"]["topic"] == "department"
    assert answer["custom"]["region"] == chosen
    assert names_the_bureau(answer["text"], knowledge, chosen, language)


@pytest.mark.parametrize(
    "language, message, code",
    [
        ("en", "I'm in Taizhou, Jiangsu. Where do I apply?", "321200"),
        ("en", "Taizhou in Zhejiang: which office handles the card?", "331000"),
        ("zh", "南京鼓楼区的社保卡在哪办", "320106"),
    ],
)
def test_a_province_in_the_same_message_tells_same_name_places_apart(
    assistant, knowledge, language, message, code
):
    answer = say(assistant, new_sender("places"), message)
    assert answer["custom"]["topic"] == "department"
    assert answer["custom"]["region"] == code
    assert names_the_bureau(answer["text"], knowledge, code, language)


@pytest.mark.parametrize(
    "language, province, question, code",
    [
        ("en", "I live in Zhejiang", "where do I apply in Taizhou?", "331000"),
        ("zh", "我在福建", "鼓楼区在哪里办社保卡", "350102"),
    ],
)
def test_a_province_named_earlier_tells_same_name_places_apart(
    assistant, knowledge, language, province, question, code
):
    sender = new_sender("places")
    say(assistant, sender, province)
    answer = say(assistant, sender, question)
    assert answer["custom"]["region"] == code
    assert names_the_bureau(answer["text"], knowledge, code, language)


@pytest.mark.parametrize(
    "language, message, topic, code",
    [
        ("en", "I'm in Chengdu, what documents do I need to bring?", "materials", "510100"),
        ("en", "lost my card in Xining yesterday, what now", "lost_card", "630100"),
        ("zh", "我在成都，办社保卡要带什么材料", "materials", "510100"),
        ("zh", "我户口在武汉，社保卡丢了怎么办", "lost_card", "420100"),
    ],
)
def test_a_place_inside_a_question_gets_the_answer_for_that_place(
    assistant, knowledge, language, message, topic, code
):
    sender = new_sender("places")
    answer = say(assistant, sender, message)
    assert answer["custom"]["topic"] == topic
    assert answer["custom"]["region"] == code
    assert answer["custom"]["language"] == language
    assert names_the_bureau(answer["text"], knowledge, code, language)
    # ...and the place is remembered for the next question.
    later = say(assistant, sender, "where do I apply?" if language == "en" else "去哪里办理")
    assert later["custom"]["region"] == code


@pytest.mark.parametrize(
    "language, first, correction, wrong, right",
    [
        ("en", "I live in Guangzhou", "I meant Hangzhou, not Guangzhou", "440100", "330100"),
        ("zh", "我在广州", "不是广州，是杭州", "440100", "330100"),
    ],
)
def test_a_correction_replaces_the_remembered_place(
    assistant, knowledge, language, first, correction, wrong, right
):
    sender = new_sender("places")
    assert say(assistant, sender, first)["custom"]["region"] == wrong
    corrected = say(assistant, sender, correction)
    assert corrected["custom"]["region"] == right
    answer = say(assistant, sender, "which office?" if language == "en" else "在哪个部门办")
    assert answer["custom"]["region"] == right
    assert names_the_bureau(answer["text"], knowledge, right, language)
    assert knowledge.regions.get(wrong).bureau_zh not in answer["text"]


@pytest.mark.parametrize(
    "language, message, code",
    [("en", "I live in Guangdong", "440000"), ("zh", "我住在广东", "440000")],
)
def test_a_province_alone_says_where_people_apply_and_asks_for_the_city(
    assistant, knowledge, language, message, code
):
    reply = say(assistant, new_sender("places"), message)
    assert reply["custom"]["message"] == "region_noted_province"
    assert reply["custom"]["region"] == code
    assert names_the_bureau(reply["text"], knowledge, code, language)
    if language == "en":
        assert "city or county where you live" in reply["text"]
        assert "supervises" in reply["text"] and "Which city" in reply["text"]
    else:
        assert "所在城市或区县" in reply["text"] and "指导和监督" in reply["text"]
        assert "哪个城市" in reply["text"]


@pytest.mark.parametrize(
    "language, message, county, city_name",
    [
        ("zh", "我在海淀区，在哪办卡", "110108", "北京市"),
        ("en", "I live in Yiwu, where do I get the card?", "330782", "Jinhua"),
    ],
)
def test_a_county_is_answered_with_its_own_bureau_and_its_city(
    assistant, knowledge, language, message, county, city_name
):
    reply = say(assistant, new_sender("places"), message)
    assert reply["custom"]["region"] == county
    assert names_the_bureau(reply["text"], knowledge, county, language)
    assert city_name in reply["text"]


@pytest.mark.parametrize(
    "language, message",
    [
        ("zh", "我在中山大学读书，社保卡去哪办"),
        ("zh", "我家在中山路附近，补卡要带什么"),
        ("en", "I study at Zhongshan University, where do I apply for the card?"),
    ],
)
def test_a_place_name_inside_another_name_is_not_a_place(assistant, language, message):
    reply = say(assistant, new_sender("places"), message)
    assert reply["custom"]["region"] is None
    assert reply["custom"]["topic"] in {"department", "materials", "lost_card"}
    assert "Zhongshan Municipal" not in reply["text"] and "中山市人力资源" not in reply["text"]


@pytest.mark.parametrize(
    "language, message, places",
    [
        (
            "en",
            "my hukou is in Chengdu but I work in Shenzhen, where do I apply for the card?",
            {"510100", "440300"},
        ),
        ("zh", "户口在成都，在深圳上班，社保卡在哪办", {"510100", "440300"}),
    ],
)
def test_two_places_get_what_decides_between_them_and_a_choice(
    assistant, knowledge, language, message, places
):
    sender = new_sender("places")
    reply = say(assistant, sender, message)
    assert reply["custom"]["message"] == "two_places"
    assert reply["custom"]["topic"] == "department"
    for code in places:
        assert names_the_bureau(reply["text"], knowledge, code, language)
    # What the facts support: the card goes with the place where one is insured.
    assert ("insured" in reply["text"]) if language == "en" else ("参保地" in reply["text"])
    offered = {region_of_button(b): b for b in reply["buttons"]}
    assert set(offered) == places
    chosen = say(assistant, sender, pressed(offered["440300"]))
    assert chosen["custom"]["region"] == "440300"
    assert names_the_bureau(chosen["text"], knowledge, "440300", language)
