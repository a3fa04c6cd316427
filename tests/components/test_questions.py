"""components/questions.py: where a message divides into the clauses the classifier reads."""

import pytest

from components.questions import asks_something, clauses


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Which office, and is there a fee?", ["Which office", "and is there a fee"]),
        ("去哪里办，要不要交钱？", ["去哪里办", "要不要交钱"]),
        ("办卡要带啥 要交钱不", ["办卡要带啥", "要交钱不"]),
        ("社保卡丢了怎么办还有补卡要多少钱", ["社保卡丢了怎么办", "还有补卡要多少钱"]),
        ("where do I apply and what do I need", ["where do I apply", "and what do I need"]),
        ("lost card", ["lost card"]),
        ("", []),
    ],
)
def test_a_message_divides_at_sentence_ends_commas_and_joining_words(text, expected):
    assert [text[start:end].strip() for start, end in clauses(text)] == expected


@pytest.mark.parametrize(
    "clause, asks",
    [
        ("is there a fee", True),
        ("how long", True),
        ("fee?", True),
        ("and whats the initial pin", True),
        ("收不收钱", True),
        ("要交钱不", True),
        ("去哪里办", True),
        ("my card went missing last week", False),
        ("我已经告诉单位了", False),
    ],
)
def test_a_clause_asks_with_a_question_mark_word_or_particle(clause, asks):
    assert asks_something(clause) is asks


@pytest.mark.parametrize(
    "clause, normalised",
    [
        ("外國人可以辦社保卡嗎", "外国人 可以 办 社保卡 吗"),
        ("社保卡怎麼申請", "社保卡 怎么 申请"),
        ("有沒有費用", "有没有 费用"),
    ],
)
def test_a_clause_asks_in_its_normalised_words_when_not_as_written(clause, normalised):
    assert not asks_something(clause)
    assert asks_something(clause, normalised)
