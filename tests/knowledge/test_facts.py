"""Every sentence the assistant says about the card rests on a fact of the fact files, quoted
there verbatim, with the confidence the file gives it; regional examples name their region."""

import re
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from knowledge.base import DATA_DIR

SOURCES = Path(DATA_DIR).parent / "sources"
MARKER = re.compile(r"\((source article|M-H|L-M|H|M|L)\b")
ADDRESS = re.compile(r"https?://|www\.|\.(com|cn|org|net)\b|\.gov\b", re.IGNORECASE)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def blocks(path: Path) -> List[Tuple[str, Optional[str]]]:
    """The file's bullets, numbered items, quotes and paragraphs, with their section's marker:
    the heading's, or that of a marked lead-in paragraph ending in ":" (the fact sheet's
    "Nearby articles ... (H, ...):" marks the list below it)."""
    found: List[Tuple[str, Optional[str]]] = []
    heading_marker: Optional[str] = None
    current: List[str] = []

    def close() -> None:
        nonlocal heading_marker
        if current:
            text = squeeze(" ".join(current))
            found.append((text, heading_marker))
            current.clear()
            marker = MARKER.search(text)
            if marker and text.endswith(":") and not re.match(r"^(- |> |\d+\. )", text):
                heading_marker = marker.group(1)

    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            close()
            marker = MARKER.search(stripped)
            heading_marker = marker.group(1) if marker else None
        elif not stripped:
            close()
        elif re.match(r"^(- |> |\d+\. )", stripped):
            close()
            current.append(stripped)
        else:
            current.append(stripped)
    close()
    return found


def marked_confidence(path: Path, quote: str) -> Optional[str]:
    """The confidence the file gives the quoted words: the first marker after them in their
    block, else their section's; the source article is all 'source'."""
    quote = squeeze(quote)
    for text, heading_marker in blocks(path):
        at = text.find(quote)
        if at < 0:
            continue
        if path.name == "source-article.md":
            return "source"
        marker = MARKER.search(text, at + len(quote)) or MARKER.search(text)
        found = marker.group(1) if marker else heading_marker
        return "source" if found == "source article" else found
    return None


def test_every_sentence_of_every_topic_names_a_known_fact(knowledge):
    for topic_id, topic in knowledge.topics.items():
        for statement in topic.statements():
            assert statement.fact in knowledge.facts, (topic_id, statement.fact)


@pytest.mark.parametrize("fact_id", sorted(__import__("knowledge").load_knowledge().facts))
def test_each_fact_is_quoted_verbatim_with_the_confidence_its_file_gives_it(knowledge, fact_id):
    fact = knowledge.facts[fact_id]
    path = SOURCES / fact.file
    confidence = marked_confidence(path, fact.quote)
    assert confidence is not None, f"{fact_id}: {fact.quote!r} is not in {fact.file}"
    assert fact.confidence == confidence, f"{fact_id}: {fact.file} marks it {confidence}"


def test_a_sentence_built_on_a_regional_example_names_its_region(knowledge):
    for topic_id, topic in knowledge.topics.items():
        for statement in topic.statements():
            region = knowledge.facts[statement.fact].region
            if region:
                assert region.en in statement.en, (topic_id, statement.fact, statement.en)
                assert region.zh in statement.zh, (topic_id, statement.fact, statement.zh)


# Facts-file lines saying that something could not be sourced.
UNSOURCED = re.compile(
    r"could not be sourced|no specific source found|No national rule found"
    r"|no official national statement found|No national fee schedule was found|not researched",
    re.IGNORECASE,
)
# How a sentence resting on one unofficial source (L) presents it: as one report, or as
# something that could not be confirmed; never as a rule.
HEDGES = {"en": ("according to one", "could not be"), "zh": ("据", "没有查到", "未能")}


def test_where_the_files_could_not_source_a_point_the_answer_says_whom_to_ask(knowledge):
    asked = 0
    for topic_id, topic in knowledge.topics.items():
        for statement in topic.statements():
            if UNSOURCED.search(knowledge.facts[statement.fact].quote):
                asked += 1
                assert "12333" in statement.en or "local" in statement.en, (topic_id, statement.en)
                assert "12333" in statement.zh or "当地" in statement.zh, (topic_id, statement.zh)
    assert asked


def test_a_sentence_resting_on_one_unofficial_source_is_never_stated_as_a_rule(knowledge):
    for topic_id, topic in knowledge.topics.items():
        for statement in topic.statements():
            if knowledge.facts[statement.fact].confidence == "L":
                assert any(h in statement.en.lower() for h in HEDGES["en"]), (
                    topic_id,
                    statement.en,
                )
                assert any(h in statement.zh for h in HEDGES["zh"]), (topic_id, statement.zh)


def test_users_see_sources_that_name_the_issuing_body_and_no_web_address(knowledge):
    for fact_id, fact in knowledge.facts.items():
        for language in ("en", "zh"):
            assert not ADDRESS.search(fact.source.get(language)), fact_id
    for topic in knowledge.topics.values():
        for statement in topic.statements():
            assert not ADDRESS.search(statement.en) and not ADDRESS.search(statement.zh)


def test_the_law_s_articles_rest_on_facts_too(knowledge):
    for number, article in knowledge.law.articles.items():
        assert article.fact in knowledge.facts, number


def test_the_checker_reads_confidence_markers_as_the_files_give_them():
    sheet = SOURCES / "social-security-card.md"
    assert (
        marked_confidence(sheet, "12333 is the national HR & social security consultation hotline")
        == "H"
    )
    assert marked_confidence(sheet, "A card found again can be un-reported") == "M"
    assert marked_confidence(sheet, "Keep contact details reachable while waiting.") == "source"
    assert (
        marked_confidence(SOURCES / "source-article.md", "Prepare relevant materials") == "source"
    )
    assert marked_confidence(sheet, "Art. 57: an employer registers itself") == "H"
    everyday = SOURCES / "everyday-questions.md"
    assert marked_confidence(everyday, "Fujian (Xiamen): under 6 months") == "L-M"
    assert marked_confidence(everyday, "Gansu (Lanzhou) planned it by end-2024") == "M"
    assert marked_confidence(sheet, "words that are nowhere in the file") is None
