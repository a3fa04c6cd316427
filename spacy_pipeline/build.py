"""Build the project's spaCy pipeline and write it to a folder Rasa's SpacyNLP loads.

    python -m spacy_pipeline.build build/spacy_pipeline [--no-simplify] [--no-spelling]

The pipeline is a blank multi-language pipeline with the bilingual tokenizer, whose user
dictionary (the card's vocabulary and every Chinese place name) is filled from the
knowledge module, and the English spelling corrector, whose dictionary is symspellpy's
English word frequencies plus the card's English vocabulary and every romanised place
name, and the place marker, which gives every place name's token the lemma "a place" for
the classifier. All three are saved with the pipeline. Places are found and resolved by the knowledge
module itself (knowledge/regions.py), once per message, in the action. The switches
build the pipeline without one normalisation step, to measure what it buys
(bench/normalisation.py).
"""

import argparse
import shutil
from pathlib import Path

import spacy

from knowledge import load_knowledge
from spacy_pipeline.places import FACTORY as PLACES_FACTORY
from spacy_pipeline.places import PlaceMarker
from spacy_pipeline.spelling import (
    FACTORY,
    MIN_WORD_COUNT,
    SpellingCorrector,
    english_frequency_words,
)
from spacy_pipeline.tokenizer import REGISTERED_NAME, BilingualTokenizer


def build_pipeline(
    simplify: bool = True, spelling: bool = True, places: bool = True
) -> "spacy.language.Language":
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": REGISTERED_NAME}}})
    nlp.meta.update(
        name="sscard",
        version="1.1.0",
        description="Bilingual tokenizer and English spelling correction for the social "
        "security card assistant",
    )
    knowledge = load_knowledge()
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, BilingualTokenizer)
    tokenizer.simplify = simplify
    tokenizer.add_user_words([*knowledge.vocabulary, *knowledge.regions.chinese_names()])
    if spelling:
        corrector = nlp.add_pipe(FACTORY)
        assert isinstance(corrector, SpellingCorrector)
        corrector.add_words(english_frequency_words())
        corrector.add_domain_words(
            [*knowledge.english_vocabulary, *knowledge.regions.english_words()]
        )
        # Everyday words in pinyin are words ("shenme" is 什么, never Shenmu), as common as
        # the rarest dictionary word, so that an English word or a place wins a tie.
        corrector.add_words({word: MIN_WORD_COUNT for word in knowledge.pinyin_words})
    if places:
        marker = nlp.add_pipe(PLACES_FACTORY)
        assert isinstance(marker, PlaceMarker)
        marker.add_words(knowledge.regions.place_words())
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="build/spacy_pipeline")
    parser.add_argument(
        "--no-simplify", action="store_true", help="leave Traditional script as it is"
    )
    parser.add_argument("--no-spelling", action="store_true", help="no English spelling correction")
    parser.add_argument("--no-places", action="store_true", help="place names not marked as places")
    args = parser.parse_args()
    nlp = build_pipeline(
        simplify=not args.no_simplify, spelling=not args.no_spelling, places=not args.no_places
    )
    # A fresh folder: a component left over from an earlier build would be loaded with it.
    shutil.rmtree(args.output, ignore_errors=True)
    Path(args.output).mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.output)
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, BilingualTokenizer)
    print(
        f"spaCy pipeline ({', '.join(nlp.pipe_names) or 'tokenizer only'}) with "
        f"{len(tokenizer.user_words)} dictionary words written to {args.output}"
    )


if __name__ == "__main__":
    main()
