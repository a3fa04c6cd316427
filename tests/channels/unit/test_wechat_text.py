"""A turn's messages as one WeChat text, and texts split within WeChat's size."""

import pytest

from channels.wechat_text import (
    MAX_TEXT_BYTES,
    cdata_safe,
    fit_text,
    render_messages,
    reply_as_message,
    split_text,
)


def test_several_messages_become_one_text_with_related_questions(knowledge):
    messages = [
        {"text": "第一段"},
        {
            "text": "第二段",
            "buttons": [
                {"title": "所需材料", "payload": "/ask_materials"},
                {"title": "办理流程", "payload": "/ask_process"},
            ],
            "custom": {"language": "zh"},
        },
    ]
    heading = knowledge.messages.related_heading.zh
    assert render_messages(messages) == f"第一段\n\n第二段\n\n{heading}\n· 所需材料\n· 办理流程"


def test_related_questions_are_headed_in_the_answers_language(knowledge):
    reply = knowledge.answer("materials", "en")
    text = render_messages([reply_as_message(reply)])
    assert text.startswith(reply.text)
    assert f"\n\n{knowledge.messages.related_heading.en}\n" in text
    for button in reply.buttons:
        assert f"· {button.title}" in text
    assert "/ask_" not in text  # payloads are not shown


def test_buttons_without_a_language_are_headed_in_the_channels_language(knowledge):
    heading = knowledge.messages.related_heading.zh
    plain = {"text": "x", "buttons": [{"title": "t", "payload": "/p"}]}
    assert render_messages([plain]) == f"x\n\n{heading}\n· t"
    assert render_messages([{**plain, "custom": {"language": "fr"}}]) == f"x\n\n{heading}\n· t"


def test_nothing_to_render_is_empty():
    assert render_messages([]) == ""
    assert render_messages([{"image": "http://example.invalid/x.png"}]) == ""


def test_cdata_safe_splits_its_terminator_and_drops_illegal_characters():
    assert cdata_safe("a]]>b") == "a]]]]><![CDATA[>b"
    assert cdata_safe("bell\x07 ok") == "bell ok"


def every_answer(knowledge):
    for topic in knowledge.topics:
        for language in ("en", "zh"):
            yield render_messages([reply_as_message(knowledge.answer(topic, language))])


@pytest.mark.parametrize("limit", [MAX_TEXT_BYTES, 600, 200, 40])
def test_split_parts_fit_and_lose_nothing_but_the_cuts(knowledge, limit):
    for text in every_answer(knowledge):
        parts = split_text(text, limit)
        assert all(len(part.encode("utf-8")) <= limit for part in parts)
        assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_a_text_is_cut_between_paragraphs_when_it_can_be():
    paragraphs = ["甲" * 300, "乙" * 300, "丙" * 300]  # 900 bytes each
    assert split_text("\n\n".join(paragraphs), MAX_TEXT_BYTES) == [
        "\n\n".join(paragraphs[:2]),
        paragraphs[2],
    ]


def test_a_paragraph_longer_than_a_message_is_cut_by_lines_then_characters():
    parts = split_text("行" * 1000, MAX_TEXT_BYTES)  # 3,000 bytes, one line
    assert [len(part) for part in parts] == [682, 318]
    assert split_text("a\nb", 1) == ["a", "b"]


def test_fit_text_is_the_first_part_and_short_texts_are_whole():
    assert fit_text("短") == "短"
    assert fit_text("\n\n".join(["甲" * 650, "乙" * 50])) == "甲" * 650
