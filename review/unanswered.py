"""The unanswered questions, grouped by similarity: the list an editor turns into new
training examples or new topics.

Questions are compared as character sequences (Chinese has no spaces; English typos
differ by a letter or two) with rapidfuzz's token-set ratio over characters and words;
each question joins the first group whose first question it resembles closely enough,
so "how to get a passport" and "how do I get a passport?" are counted together.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List

from rapidfuzz import fuzz

# Similarity (0-100) from which two questions count as the same one.
SIMILAR = 72
_HAN = re.compile(r"([\u3400-\u9fff])")
_NOT_WORD = re.compile(r"[^\w\s*]+")


@dataclass
class QuestionGroup:
    example: str
    questions: List[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)


def comparable(text: str) -> str:
    """Lower case, no punctuation, Han characters as separate tokens."""
    return " ".join(_HAN.sub(r" \1 ", _NOT_WORD.sub(" ", text.lower())).split())


def group_questions(questions: Iterable[str], similar: int = SIMILAR) -> List[QuestionGroup]:
    """Groups of similar questions, the largest first."""
    groups: List[QuestionGroup] = []
    keys: List[str] = []
    for question in questions:
        key = comparable(question)
        if not key:
            continue
        for index, other in enumerate(keys):
            if fuzz.token_set_ratio(key, other) >= similar:
                groups[index].questions.append(question)
                break
        else:
            groups.append(QuestionGroup(question, [question]))
            keys.append(key)
    return sorted(groups, key=lambda group: (-group.count, group.example))


def write_csv(groups: List[QuestionGroup], path: Path) -> None:
    """One row per question: its group, the group's size and example, the question."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["group", "count", "example", "question"])
        for number, group in enumerate(groups, 1):
            for question in group.questions:
                writer.writerow([number, group.count, group.example, question])
