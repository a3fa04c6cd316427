"""One NLU model for English and Chinese, or one per language behind language detection?

    python -m bench.one_or_two_models

Trains the project's intent model (the same features and classifier as config.yml:
the project's tokenizer, word 1-2-grams and character 1-4-grams, TF-IDF, logistic
regression with C=30) with scikit-learn directly, once on both languages' training
data and once per language, and prints each one's accuracy on the held-out test sets.
No fallback threshold is applied, so the figures compare the classifiers alone.
"""

from pathlib import Path
from typing import Callable, Iterable, List, Tuple

import numpy as np
import spacy
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from evaluation.nlu import TEST_SETS, read_examples
from scripts.processes import ROOT

TRAINING = {language: ROOT / "data" / "nlu" / language for language in ("en", "zh")}


def texts_and_intents(paths: Iterable[Path]) -> Tuple[List[str], List[str]]:
    """The texts of every example of the Rasa NLU files `paths`, and their intents."""
    examples = [example for path in paths for example in read_examples(path)]
    return [example.text for example in examples], [example.intent for example in examples]


def model(tokenize: Callable[[str], List[str]]) -> Pipeline:
    """The project's intent classifier (config.yml) as a scikit-learn pipeline, untrained."""
    return make_pipeline(
        make_union(
            TfidfVectorizer(
                tokenizer=tokenize, ngram_range=(1, 2), sublinear_tf=True, lowercase=False
            ),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
        ),
        LogisticRegression(C=30, max_iter=2000, class_weight="balanced", random_state=42),
    )


def main() -> None:
    """Print each test set's accuracy with one joint model and with one model per language."""
    nlp = spacy.load(ROOT / "build" / "spacy_pipeline")

    def tokenize(text: str) -> List[str]:
        return [token.text.lower() for token in nlp(text)]

    joint = model(tokenize).fit(*texts_and_intents(TRAINING.values()))
    print(f"{'test set':10} {'one model':>10} {'per language':>13}")
    for language, path in TRAINING.items():
        separate = model(tokenize).fit(*texts_and_intents([path]))
        texts, intents = texts_and_intents([TEST_SETS / f"test_{language}.yml"])
        scores = [
            np.mean(np.array(m.predict(texts)) == np.array(intents)) for m in (joint, separate)
        ]
        print(f"{language:10} {scores[0]:>10.3f} {scores[1]:>13.3f}")


if __name__ == "__main__":
    main()
