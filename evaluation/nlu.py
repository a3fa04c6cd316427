"""Intent accuracy, compound questions and out-of-scope precision on held-out sentences.

The test sets are Rasa NLU files (read with Rasa's own loader) under tests/nlu/:
`test_<language>*.yml` and `test_places_<language>.yml` are the test set of a language,
`dev_<language>.yml` its development set (the one to look at while tuning). A compound
question is labelled with its intents in the order asked, joined by '+'
(`ask_department+ask_fees`); the assistant answers it right when it finds exactly those
questions in that order.
"""

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Sequence, Tuple

from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
TEST_SETS = ROOT / "tests" / "nlu"
LANGUAGES = ("en", "zh")
OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
COMPOUND_SEPARATOR = "+"
# The parse key under which the classifier lists the questions of a compound message.
QUESTIONS_KEY = "questions"

Parse = Dict[str, Any]
Parser = Callable[[str], Awaitable[Parse]]


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    # (the words as written, the place they name) for every annotated region
    regions: Tuple[Tuple[str, str], ...] = ()

    @property
    def intents(self) -> List[str]:
        return self.intent.split(COMPOUND_SEPARATOR)


def quiet_rasa_logging() -> None:
    """Rasa's CLI sets its log levels; in-process, structlog would print every debug event."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def read_examples(path: Path) -> List[Example]:
    """Every example of a Rasa NLU file, read with Rasa's loader."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(path)).intent_examples:
        text = message.get("text")
        regions = tuple(
            (text[entity["start"] : entity["end"]], str(entity.get("value")))
            for entity in message.get("entities") or []
            if entity.get("entity") == "region"
        )
        examples.append(Example(text=text, intent=message.get("intent"), regions=regions))
    return examples


def held_out_files(language: str) -> List[Path]:
    """The test set of a language: never looked at while tuning."""
    return _set_files("test", language)


def dev_set_files(language: str) -> List[Path]:
    """The development set of a language: the one to tune on."""
    return _set_files("dev", language)


def _set_files(kind: str, language: str) -> List[Path]:
    return sorted(TEST_SETS.glob(f"{kind}_{language}*.yml")) + sorted(
        TEST_SETS.glob(f"{kind}_places*_{language}.yml")
    )


def examples_of(files: Sequence[Path]) -> List[Example]:
    return [example for path in files for example in read_examples(path)]


def predicted_intents(parse: Parse) -> List[str]:
    """The questions the assistant found in a message, in order."""
    questions = parse.get(QUESTIONS_KEY)
    if questions:
        return list(questions)
    return [(parse.get("intent") or {}).get("name") or FALLBACK]


def same_reply(expected: str, predicted: str) -> bool:
    """Out of scope and low confidence get the same reply (what the assistant covers)."""
    return expected == predicted or {expected, predicted} == {OUT_OF_SCOPE, FALLBACK}


@dataclass
class Evaluation:
    examples: int
    accuracy: float
    macro_f1: float
    out_of_scope_precision: float
    out_of_scope_recall: float
    errors: List[Tuple[str, str, str]] = field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"accuracy {self.accuracy:.3f} on {self.examples}, macro F1 {self.macro_f1:.3f}, "
            f"out of scope precision {self.out_of_scope_precision:.3f} "
            f"recall {self.out_of_scope_recall:.3f}"
        ]
        lines += [f"  {text!r}: expected {want}, got {got}" for text, want, got in self.errors]
        return "\n".join(lines)


def parse_all(parse: Parser, texts: Sequence[str]) -> List[Parse]:
    async def run() -> List[Parse]:
        return [await parse(text) for text in texts]

    return asyncio.run(run())


def evaluate(examples: Sequence[Example], parses: Sequence[Parse]) -> Evaluation:
    """Scores of the parses of `examples` (one parse per example, same order)."""
    errors = []
    expected_labels, predicted_labels = [], []
    oos_true = oos_predicted = oos_expected = 0
    for example, parse in zip(examples, parses):
        predicted = predicted_intents(parse)
        right = len(predicted) == len(example.intents) and all(
            same_reply(want, got) for want, got in zip(example.intents, predicted)
        )
        if not right:
            errors.append((example.text, example.intent, COMPOUND_SEPARATOR.join(predicted)))
        label = COMPOUND_SEPARATOR.join(predicted)
        expected_labels.append(example.intent)
        predicted_labels.append(example.intent if right else label)
        is_oos = example.intent == OUT_OF_SCOPE
        said_oos = len(predicted) == 1 and predicted[0] in (OUT_OF_SCOPE, FALLBACK)
        oos_expected += is_oos
        oos_predicted += said_oos
        oos_true += is_oos and said_oos
    count = len(examples)
    return Evaluation(
        examples=count,
        accuracy=1 - len(errors) / count if count else 1.0,
        macro_f1=f1_score(expected_labels, predicted_labels, average="macro", zero_division=0),
        out_of_scope_precision=oos_true / oos_predicted if oos_predicted else 1.0,
        out_of_scope_recall=oos_true / oos_expected if oos_expected else 1.0,
        errors=errors,
    )


def evaluate_files(parse: Parser, files: Sequence[Path]) -> Evaluation:
    examples = examples_of(files)
    return evaluate(examples, parse_all(parse, [example.text for example in examples]))
