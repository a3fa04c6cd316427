"""Intent accuracy of a trained model on the project's held-out test sets."""
import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import yaml
from sklearn.metrics import f1_score

TEST_SETS = Path(__file__).parent
# Out-of-scope questions and low-confidence ones get the same reply (what the assistant
# covers), so either label is right for an out-of-scope test sentence.
SAME_REPLY = {("out_of_scope", "nlu_fallback")}
_ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def read_examples(path: Path) -> List[Tuple[str, str, List[str]]]:
    """(text, intent, annotated regions) for every example of a Rasa NLU file."""
    examples = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                annotated = line[2:]
                regions = [value for value, kind in _ENTITY_MARKUP.findall(annotated) if kind == "region"]
                examples.append((_ENTITY_MARKUP.sub(r"\1", annotated), block["intent"], regions))
    return examples


@dataclass
class Evaluation:
    accuracy: float
    macro_f1: float
    region_recall: float
    errors: List[Tuple[str, str, str]]


def evaluate(agent, language: str) -> Evaluation:
    examples = read_examples(TEST_SETS / f"test_{language}.yml")

    async def parse_all() -> List[Dict]:
        return [await agent.parse_message(text) for text, _, _ in examples]

    parses = asyncio.run(parse_all())
    expected = [intent for _, intent, _ in examples]
    predicted = [parse["intent"]["name"] for parse in parses]
    errors = [
        (text, want, got)
        for (text, want, _), got in zip(examples, predicted)
        if want != got and (want, got) not in SAME_REPLY
    ]
    predicted = [want if (want, got) in SAME_REPLY else got for want, got in zip(expected, predicted)]
    wanted_regions = [(regions, parse) for (_, _, regions), parse in zip(examples, parses) if regions]
    found = sum(
        any(e["entity"] == "region" for e in parse.get("entities", [])) for _, parse in wanted_regions
    )
    return Evaluation(
        accuracy=1 - len(errors) / len(examples),
        macro_f1=f1_score(expected, predicted, average="macro", zero_division=0),
        region_recall=found / len(wanted_regions) if wanted_regions else 1.0,
        errors=errors,
    )
