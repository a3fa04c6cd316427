import re
import shutil
from pathlib import Path

import pytest
import yaml

from knowledge import LANGUAGES, KnowledgeBase, KnowledgeError
from knowledge.base import DATA_DIR

SOURCES = Path(DATA_DIR).parent / "sources"

# The everyday subjects and the intents the NLU team classifies them as.
EVERYDAY_TOPICS = {
    "activation": "ask_activation",
    "foreigners": "ask_foreigners",
    "children": "ask_children",
    "proxy": "ask_proxy",
    "change_details": "ask_change_details",
    "moving": "ask_moving",
    "third_generation": "ask_third_generation",
    "card_uses": "ask_card_uses",
    "progress": "ask_progress",
    "expiry": "ask_expiry",
    "scams": "ask_scams",
}


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
            assert topic.answer, topic_id
            for statement in topic.statements():
                assert statement.get(language).strip(), (topic_id, language, statement.fact)
            assert topic.label.get(language).strip(), (topic_id, language)


def test_chinese_answers_are_written_in_chinese(knowledge):
    for topic_id, topic in knowledge.topics.items():
        text = "".join(statement.zh for statement in topic.statements())
        han = re.findall(r"[\u4e00-\u9fff]", text)
        assert len(han) > len(text) / 3, topic_id


def test_each_statement_is_one_sentence_on_one_line(knowledge):
    for topic_id, topic in knowledge.topics.items():
        for statement in topic.statements():
            assert "\n" not in statement.en and "\n" not in statement.zh, (topic_id, statement.zh)
            assert not re.search(r"[。！？](?!$)", statement.zh), (topic_id, statement.zh)
            assert not re.search(r"[.!?] [A-Z]", statement.en), (topic_id, statement.en)


@pytest.mark.parametrize("topic_id", sorted(EVERYDAY_TOPICS))
def test_each_everyday_subject_is_a_short_topic_under_its_fixed_intent(knowledge, topic_id):
    topic = knowledge.topics[topic_id]
    assert topic.intent == EVERYDAY_TOPICS[topic_id]
    assert knowledge.topic_for_intent(topic.intent) == topic_id
    assert 2 <= len(topic.answer) <= 6, len(topic.answer)
    assert 3 <= len(topic.related) <= 4 and topic_id not in topic.related
    for language in LANGUAGES:
        assert len(topic.label.get(language)) <= 26, topic.label.get(language)


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
        texts += [
            knowledge.answer(topic_id, language).data["source"] for topic_id in knowledge.topics
        ]
        for text in texts:
            numbers = re.findall(r"\d{5,}", text.replace(",", ""))
            assert set(numbers) <= {"12333"}, numbers
            assert "http" not in text and "www." not in text and ".gov" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_answers_keep_the_advice_to_check_the_local_agency_or_its_official_website(
    knowledge, language
):
    website = {"en": "official website", "zh": "官方网站"}[language]
    for topic_id in ("department", "materials", "children"):
        assert website in knowledge.answer(topic_id, language).text, topic_id


def test_regional_answers_name_the_local_bureau_and_general_answers_do_not(knowledge):
    wuhan = knowledge.regions.named("湖北省武汉市")
    general = knowledge.answer("department", "en")
    local = knowledge.answer("department", "en", wuhan)
    assert wuhan.bureau_en not in general.text
    assert wuhan.bureau_en in local.text and wuhan.bureau_zh in local.text
    assert local.data["region"] == wuhan.id == "420100"
    assert wuhan.bureau_zh in knowledge.answer("department", "zh", wuhan).text


def test_follow_up_answers_open_with_the_link_to_the_previous_topic(knowledge):
    follow_up = knowledge.topics["department"].follow_up["materials"].en
    assert knowledge.answer("department", "en", previous_topic="materials").text.startswith(
        follow_up
    )
    assert follow_up not in knowledge.answer("department", "en").text


def test_the_menu_is_offered_in_the_users_language(knowledge):
    assert 6 <= len(knowledge.menu) <= 8
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
    del topics["topics"]["lost_card"]["answer"][0]["zh"]
    (data / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        KnowledgeError, match=r"topics\.yml: topics\.lost_card\.answer\.0\.zh: field required"
    ):
        KnowledgeBase(data)


def test_a_sentence_resting_on_an_unknown_fact_fails_at_load(tmp_path):
    data = copy_data(tmp_path)
    topics = yaml.safe_load((data / "topics.yml").read_text(encoding="utf-8"))
    topics["topics"]["scams"]["answer"][0]["fact"] = "scams.no_such_fact"
    (data / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"topics\.yml: topics\.scams: .*scams\.no_such_fact"):
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
    topics["topics"]["fees"]["answer"][0]["en"] = "Reworded fees answer."
    (data / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    assert KnowledgeBase(data).answer("fees", "en").text.startswith("Reworded fees answer.")


# Trust fixes: what the answers must never again say beyond their sources.

ORDER_TO_CORRECT = {"en": "ordered to correct", "zh": "责令限期改正"}
ARTICLE_84_FINE = {"en": "one to three times", "zh": "一倍以上三倍以下"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_employer_answer_shows_article_84_with_the_order_to_correct_first(knowledge, language):
    text = knowledge.answer("employer_registration", language).text
    assert ARTICLE_84_FINE[language] in text
    assert text.index(ORDER_TO_CORRECT[language]) < text.index(ARTICLE_84_FINE[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_answer_threatens_the_article_84_fine_without_the_order_to_correct(knowledge, language):
    for topic_id in knowledge.topics:
        text = knowledge.answer(topic_id, language).text
        if ARTICLE_84_FINE[language] in text:
            order = text.find(ORDER_TO_CORRECT[language])
            assert 0 <= order < text.index(ARTICLE_84_FINE[language]), topic_id


# Who has which social security number: citizens, foreigners, HK/Macao/Taiwan residents.
NUMBER_HOLDERS = {
    "en": ("citizen", "resident id card", "foreigners", "hong kong, macao and taiwan residents"),
    "zh": ("公民", "居民身份证", "外国人", "港澳台居民"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic_id", ["social_security_number", "foreigners"])
def test_the_number_answers_tell_citizens_foreigners_and_hmt_residents_apart(
    knowledge, topic_id, language
):
    main_paragraph = knowledge.answer(topic_id, language).text.split("\n\n")[0].lower()
    for holder in NUMBER_HOLDERS[language]:
        assert holder in main_paragraph, (topic_id, holder)


def test_the_social_security_number_answer_does_not_give_everyone_the_id_card_number(knowledge):
    text = knowledge.answer("social_security_number", "en").text
    assert "your resident ID card" not in text
    assert "not a citizen ID number" in knowledge.answer("foreigners", "en").text
    assert "不是公民身份号码" in knowledge.answer("foreigners", "zh").text


ARTICLE_58_GROUPS = {
    "en": ("individual", "part-time", "flexib"),
    "zh": ("个体工商户", "非全日制从业人员", "灵活就业人员"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_flexible_registration_duty_names_exactly_article_58_s_three_groups(
    knowledge, language
):
    text = knowledge.answer("flexible_registration", language).text
    bullets = [line.lower() for line in text.splitlines() if line.startswith("• ")]
    statute = knowledge.law.articles["58"].text.get(language).lower()
    assert len(bullets) == len(ARTICLE_58_GROUPS[language]) == 3
    for bullet, group in zip(bullets, ARTICLE_58_GROUPS[language]):
        assert group in bullet and group in statute, (bullet, group)
    assert ("three groups" if language == "en" else "三类") in text
    assert "not insured through an employer" not in text
    assert "没有通过用人单位参保的人员" not in text


SUMMARY_MARK = {"en": " (summary, not the statute's words)", "zh": "（内容概要，非条文原文）"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_summaries_are_labelled_and_never_shown_as_the_statute_s_words(knowledge, language):
    summaries_seen = 0
    for topic_id, topic in knowledge.topics.items():
        text = knowledge.answer(topic_id, language).text
        for number in topic.cites:
            article = knowledge.law.articles[number]
            title = article.title.get(language)
            words = article.text.get(language)
            statute_heading = knowledge.messages.law_heading.get(language).format(article=title)
            if article.quote:
                assert statute_heading in text, (topic_id, number)
                continue
            summaries_seen += 1
            line = next(line for line in text.splitlines() if words in line)
            assert line.startswith(title + SUMMARY_MARK[language]), (topic_id, line)
            assert statute_heading not in text and f"“{words}”" not in text, (topic_id, number)
            assert f"{title}：{words}" not in text and f"{title}: {words}" not in text
    assert summaries_seen


@pytest.mark.parametrize("language, text_language", [("en", "zh"), ("zh", "en")])
def test_article_58_is_shown_verbatim_in_the_language_asked_for(knowledge, language, text_language):
    article = knowledge.law.articles["58"]
    reply = knowledge.answer("legal_basis", language, text_language=text_language)
    assert article.text.get(text_language) in reply.text
    assert article.text.get(language) not in reply.text
    heading = knowledge.messages.law_heading_other_language.get(language)
    assert heading.format(article=article.title.get(language)) in reply.text
    assert knowledge.topics["legal_basis"].answer[0].get(language) in reply.text
