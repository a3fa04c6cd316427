"""Place-name recall and precision on the held-out test sentences, on the resolved place.

Each annotated place of a test sentence carries the division it means, as its full
Chinese names from the province down (`[Taizhou]{"entity": "region", "value":
"江苏省泰州市"}`), or AMBIGUOUS where the sentence cannot tell (the assistant must ask).
The assistant's reading of the whole sentence (knowledge.places) is compared with them:
recall is the share of annotated places it resolved to exactly that division, precision
the share of the places it resolved that are annotated. A sentence with no annotation
counts against precision for every place read into it.
"""

from dataclasses import dataclass, field
from typing import List, Sequence, Set, Tuple

from evaluation.nlu import Example
from knowledge.places import most_specific, read_places
from knowledge.regions import RegionDirectory

AMBIGUOUS = "AMBIGUOUS"


@dataclass
class PlaceScores:
    annotated: int
    read: int
    recall: float
    precision: float
    errors: List[Tuple[str, Set[str], Set[str]]] = field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"place recall {self.recall:.3f} of {self.annotated}, precision "
            f"{self.precision:.3f} of {self.read}"
        ]
        lines += [
            f"  {text!r}: expected {sorted(want)}, read {sorted(got)}"
            for text, want, got in self.errors
        ]
        return "\n".join(lines)


def expected_places(directory: RegionDirectory, example: Example) -> Set[str]:
    """The division codes a sentence's annotations name (AMBIGUOUS kept as it is)."""
    regions, markers = [], set()
    for _, value in example.regions:
        if value == AMBIGUOUS:
            markers.add(AMBIGUOUS)
            continue
        region = directory.named(value)
        if region is None:
            raise ValueError(f"{example.text!r}: no division is named {value!r}")
        regions.append(region)
    return {region.id for region in most_specific(directory, regions)} | markers


def read_places_of(directory: RegionDirectory, text: str) -> Set[str]:
    reading = read_places(directory, directory.find(text))
    if reading.ambiguous:
        return {AMBIGUOUS}
    if reading.place:
        return {reading.place.id}
    return {region.id for region in reading.places}


def evaluate_places(directory: RegionDirectory, examples: Sequence[Example]) -> PlaceScores:
    hits = annotated = read = 0
    errors = []
    for example in examples:
        want = expected_places(directory, example)
        got = read_places_of(directory, example.text)
        hits += len(want & got)
        annotated += len(want)
        read += len(got)
        if want != got:
            errors.append((example.text, want, got))
    return PlaceScores(
        annotated=annotated,
        read=read,
        recall=hits / annotated if annotated else 1.0,
        precision=hits / read if read else 1.0,
        errors=errors,
    )
