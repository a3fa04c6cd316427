"""Build the project's spaCy pipeline and write it to a folder Rasa's SpacyNLP loads.

    python -m spacy_pipeline.build build/spacy_pipeline

The pipeline is a blank multi-language pipeline with the bilingual tokenizer and
an EntityRuler whose patterns are every written form of every region in the
knowledge module's directory, labelled `region` (Rasa's entity name).
"""
import sys
from pathlib import Path
from typing import Dict, List

import spacy

from knowledge import load_knowledge
from spacy_pipeline.tokenizer import REGISTERED_NAME

ENTITY_LABEL = "region"


def region_patterns() -> List[Dict[str, str]]:
    """One phrase pattern per written form of a region, matched case-insensitively."""
    directory = load_knowledge().regions
    return [
        {"label": ENTITY_LABEL, "pattern": form, "id": directory.resolve(form).id}
        for form in directory.surface_forms()
    ]


def build_pipeline() -> "spacy.language.Language":
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": REGISTERED_NAME}}})
    nlp.meta.update(
        name="sscard", version="1.0.0",
        description="Bilingual tokenizer and region entity ruler for the social security card assistant",
    )
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(region_patterns())
    return nlp


def main(output: str) -> None:
    nlp = build_pipeline()
    Path(output).mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    print(f"spaCy pipeline with {len(nlp.get_pipe('entity_ruler').patterns)} region patterns "
          f"written to {output}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_pipeline")
