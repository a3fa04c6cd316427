"""Build the project's spaCy pipeline and write it to a folder Rasa's SpacyNLP loads.

    python -m spacy_pipeline.build build/spacy_pipeline

The pipeline is a blank multi-language pipeline with the bilingual tokenizer, whose user
dictionary (the card's vocabulary and every Chinese place name) is filled from the
knowledge module and saved with the pipeline. Places are found and resolved by the
knowledge module itself (knowledge/regions.py), once per message, in the action.
"""

import sys
from pathlib import Path

import spacy

from knowledge import load_knowledge
from spacy_pipeline.tokenizer import REGISTERED_NAME, BilingualTokenizer


def build_pipeline() -> "spacy.language.Language":
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": REGISTERED_NAME}}})
    nlp.meta.update(
        name="sscard",
        version="1.0.0",
        description="Bilingual tokenizer for the social security card assistant",
    )
    knowledge = load_knowledge()
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, BilingualTokenizer)
    tokenizer.add_user_words([*knowledge.vocabulary, *knowledge.regions.chinese_names()])
    return nlp


def main(output: str) -> None:
    nlp = build_pipeline()
    Path(output).mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, BilingualTokenizer)
    print(f"spaCy pipeline with {len(tokenizer.user_words)} dictionary words written to {output}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_pipeline")
