"""What the assistant knows, counted (make knowledge-stats): the README's "What it knows".

python -m knowledge.stats
"""

from collections import Counter

from knowledge import load_knowledge
from knowledge.schema import CONFIDENCE_ORDER


def main() -> None:
    knowledge = load_knowledge()
    places = knowledge.regions.counts()
    kinds = Counter(region.kind for region in knowledge.regions.regions.values())
    print(
        f"places: {places.get('province', 0)} provincial-level, {places.get('prefecture', 0)} "
        f"prefecture-level, {places.get('county', 0)} county-level ({len(knowledge.regions)} in all)"
    )
    print("  by kind: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    regional = sum(topic.regional for topic in knowledge.topics.values())
    sentences = sum(len(topic.statements()) for topic in knowledge.topics.values())
    print(
        f"topics: {len(knowledge.topics)} ({regional} with the local bureau), {sentences} sourced "
        f"sentences in each language"
    )
    confidence = Counter(fact.confidence for fact in knowledge.facts.values())
    regional_facts = sum(fact.region is not None for fact in knowledge.facts.values())
    print(
        f"facts: {len(knowledge.facts)}, by confidence: "
        + ", ".join(f"{level} {confidence.get(level, 0)}" for level in CONFIDENCE_ORDER)
        + f"; {regional_facts} are regional examples"
    )


if __name__ == "__main__":
    main()
