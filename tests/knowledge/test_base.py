import re
import shutil
from pathlib import Path

import pytest
import yaml

from knowledge import LANGUAGES, KnowledgeBase, KnowledgeError
from knowledge.base import DATA_DIR

SOURCES = Path(DATA_DIR).parent / "sources"


def article_58_from_source_article() -> str:
    text = (SOURCES / "source-article.md").read_text(encoding="utf-8")
    quoted = text.split("Article 58 provides that:", 1)[1]
    return " ".join(quoted.strip().strip('"').split())


def article_58_chinese_from_fact_sheet() -> str:
    text = (SOURCES / "social-security-card.md").read_text(encoding="utf-8")
    lines = [line[2:].strip() for line in text.splitlines() if line.startswith("> ")]
    return "\n".join(lines).replace("第五十八条\u3000", "", 1)


def test_article_58_english_is_the_source_articles_text(knowledge):
    assert (
        " ".join(knowledge.law.articles["58"].text.en.split()) == article_58_from_source_article()
    )


def test_article_58_chinese_is_the_statute_verbatim(knowledge):
    assert knowledge.law.articles["58"].text.zh == article_58_chinese_from_fact_sheet()


@pytest.mark.parametrize("language", LANGUAGES)
def test_legal_basis_answer_quotes_article_58_in_the_users_language(knowledge, language):
    reply = knowledge.answer("legal_basis", language)
    assert knowledge.law.articles["58"].text.get(language) in reply.text
    other = "zh" if language == "en" else "en"
    assert knowledge.law.articles["58"].text.get(other) not in reply.text


def test_every_topic_has_an_answer_and_a_button_label_in_every_language(knowledge):
    for topic_id, topic in knowledge.topics.items():
        for language in LANGUAGES:
            assert topic.answer.get(language).strip(), (topic_id, language)
            assert topic.label.get(language).strip(), (topic_id, language)


def test_chinese_answers_are_written_in_chinese(knowledge):
    for topic_id, topic in knowledge.topics.items():
        han = re.findall(r"[\u4e00-\u9fff]", topic.answer.zh)
        assert len(han) > len(topic.answer.zh) / 3, topic_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_topic_answers_with_related_buttons_and_its_source(knowledge, language):
    for topic_id in knowledge.topics:
        reply = knowledge.answer(topic_id, language)
        assert reply.buttons, topic_id
        assert all(button.payload.startswith("/") for button in reply.buttons)
        assert reply.data["topic"] == topic_id
        assert reply.data["language"] == language
        assert reply.data["source"]


def test_only_the_national_hotline_number_appears_in_any_answer(knowledge):
    for language in LANGUAGES:
        texts = [knowledge.answer(topic_id, language).text for topic_id in knowledge.topics]
        for key in knowledge.messages.__fields__:
            text = getattr(knowledge.messages, key).get(language)
            texts.append(" ".join(text) if isinstance(text, list) else text)  # weekdays: a list
        for text in texts:
            numbers = re.findall(r"\d{5,}", text.replace(",", ""))
            assert set(numbers) <= {"12333"}, numbers
            assert "http" not in text and "www." not in text


def test_regional_answers_name_the_local_bureau_and_general_answers_do_not(knowledge):
    wuhan = knowledge.regions.get("wuhan")
    general = knowledge.answer("department", "en")
    local = knowledge.answer("department", "en", wuhan)
    assert wuhan.bureau_en not in general.text
    assert wuhan.bureau_en in local.text and wuhan.bureau_zh in local.text
    assert local.data["region"] == "wuhan"
    assert wuhan.bureau_zh in knowledge.answer("department", "zh", wuhan).text


def test_follow_up_answers_open_with_the_link_to_the_previous_topic(knowledge):
    follow_up = knowledge.topics["department"].follow_up["materials"].en
    assert knowledge.answer("department", "en", previous_topic="materials").text.startswith(
        follow_up
    )
    assert follow_up not in knowledge.answer("department", "en").text


def test_the_menu_is_offered_in_the_users_language(knowledge):
    reply = knowledge.message("fallback", "zh")
    assert [b.title for b in reply.buttons] == [
        knowledge.topics[t].label.zh for t in knowledge.menu
    ]
    assert all('"language": "zh"' in b.payload for b in reply.buttons)


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_topic_missing_its_chinese_answer_fails_at_load_naming_file_and_field(tmp_path):
    data = copy_data(tmp_path)
    topics = yaml.safe_load((data / "topics.yml").read_text(encoding="utf-8"))
    del topics["topics"]["lost_card"]["answer"]["zh"]
    (data / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        KnowledgeError, match=r"topics\.yml: topics\.lost_card\.answer\.zh: field required"
    ):
        KnowledgeBase(data)


def test_a_related_topic_that_does_not_exist_fails_at_load(tmp_path):
    data = copy_data(tmp_path)
    topics = yaml.safe_load((data / "topics.yml").read_text(encoding="utf-8"))
    topics["topics"]["fees"]["related"].append("no_such_topic")
    (data / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="topics.yml.*no_such_topic"):
        KnowledgeBase(data)


def test_a_file_that_is_not_yaml_fails_at_load_naming_the_file(tmp_path):
    data = copy_data(tmp_path)
    (data / "regions.yml").write_text("regions: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="regions.yml: cannot be read"):
        KnowledgeBase(data)


def test_changing_an_answer_needs_only_the_data_file(tmp_path):
    data = copy_data(tmp_path)
    topics = yaml.safe_load((data / "topics.yml").read_text(encoding="utf-8"))
    topics["topics"]["fees"]["answer"]["en"] = "Reworded fees answer."
    (data / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    assert KnowledgeBase(data).answer("fees", "en").text.startswith("Reworded fees answer.")
