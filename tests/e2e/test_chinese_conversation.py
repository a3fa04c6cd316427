"""Chinese conversations, and conversations that switch language, through the REST webhook."""

import re
import uuid

HAN = re.compile(r"[\u4e00-\u9fff]")


def reply(assistant, sender, text):
    messages = assistant.say(sender, text)
    assert len(messages) == 1, messages
    return messages[0]


def is_chinese(text):
    return len(HAN.findall(text)) > len(text) / 3


def test_a_chinese_conversation_with_region_and_follow_ups(assistant, knowledge):
    sender = f"zh-{uuid.uuid4().hex[:10]}"
    hello = reply(assistant, sender, "你好")
    assert hello["text"] == knowledge.messages.greet.zh
    assert [b["title"] for b in hello["buttons"]] == [
        knowledge.topics[t].label.zh for t in knowledge.menu
    ]

    materials = reply(assistant, sender, "办社保卡要带啥材料")
    assert materials["custom"] == {**materials["custom"], "topic": "materials", "language": "zh"}
    assert "户口簿" in materials["text"]

    where = reply(assistant, sender, "那材料交到哪里")
    assert where["custom"]["topic"] == "department"
    assert where["text"].startswith(knowledge.topics["department"].follow_up["materials"].zh)

    refined = reply(assistant, sender, "我在成都")
    assert "成都市人力资源和社会保障局" in refined["text"]
    assert refined["custom"]["region"] == "510100"

    law = reply(assistant, sender, "法律依据是什么")
    assert knowledge.law.articles["58"].text.zh in law["text"]
    assert knowledge.law.articles["58"].text.en not in law["text"]


def test_colloquial_and_typo_chinese_is_understood(assistant):
    sender = f"zh-{uuid.uuid4().hex[:10]}"
    assert reply(assistant, sender, "社报卡丢了咋整")["custom"]["topic"] == "lost_card"
    assert reply(assistant, sender, "电子社保卡怎么领")["custom"]["topic"] == "electronic_card"
    assert reply(assistant, sender, "人社局电话多少")["custom"]["topic"] == "hotline"


def test_each_reply_is_in_the_language_of_its_message(assistant):
    sender = f"mix-{uuid.uuid4().hex[:10]}"
    english = reply(assistant, sender, "I lost my social security card, what should I do?")
    assert english["custom"]["language"] == "en" and not is_chinese(english["text"])
    chinese = reply(assistant, sender, "补办要多少钱")
    assert chinese["custom"]["language"] == "zh" and is_chinese(chinese["text"])
    assert all('"language": "zh"' in b["payload"] for b in chinese["buttons"])
    back = reply(assistant, sender, "ok, and is there a hotline?")
    assert back["custom"]["language"] == "en" and "12333" in back["text"]
    # A quick reply offered in Chinese is answered in Chinese.
    clicked = reply(assistant, sender, chinese["buttons"][0]["payload"])
    assert clicked["custom"]["language"] == "zh" and is_chinese(clicked["text"])


def test_chinese_bad_input_gets_a_chinese_reply(assistant, knowledge):
    sender = f"zh-{uuid.uuid4().hex[:10]}"
    reply(assistant, sender, "你好")
    emoji = reply(assistant, sender, "🌀🌀")
    assert emoji["text"] == knowledge.messages.no_words.zh
