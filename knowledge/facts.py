"""How sourced sentences become an answer: joined, with the sources and the confidence.

`knowledge/data/facts.yml` lists the facts (`schema.Fact`): each names a file of
`knowledge/sources/` (the source article, the fact sheet, the everyday-questions sheet),
quotes its words there verbatim, and gives its confidence as that file marks it. Every
sentence of every topic (`schema.Statement`) points to one fact;
tests/knowledge/test_facts.py checks each quote and confidence against the files, and that
a sentence built on a regional example names the region.
"""

from typing import Iterable, List

from knowledge.schema import CONFIDENCE_ORDER, Fact, Statement


def join_sentences(statements: Iterable[Statement], language: str) -> str:
    """Sentences as one paragraph: separated by a space in English, by nothing in Chinese."""
    return ("" if language == "zh" else " ").join(s.get(language) for s in statements)


def weakest(confidences: Iterable[str]) -> str:
    """The confidence of an answer: that of its weakest sentence."""
    return max(confidences, key=CONFIDENCE_ORDER.index, default="source")


def sources_of(facts: Iterable[Fact], language: str) -> str:
    """The issuing bodies and dates of the facts, each once, in the order first used."""
    seen: List[str] = []
    for fact in facts:
        label = fact.source.get(language)
        if label not in seen:
            seen.append(label)
    return "; ".join(seen)
