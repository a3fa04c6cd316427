"""What each normalisation step buys: the model trained without it, scored on the same sets.

    python -m bench.normalisation [--sets dev|test|both]

Variants: the project's pipeline; without English spelling correction; without
Traditional-to-Simplified conversion; without the generated pinyin examples
(data/nlu/pinyin); without place names marked as places; with none of the four. Each variant's spaCy pipeline is built with
`spacy_pipeline.build`'s switches and a model is trained with `sscard train` into a
temporary folder, then scored with evaluation.nlu (intent accuracy, out-of-scope
precision). About two minutes a variant on two cores. The figures are the README's.
"""

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from evaluation.nlu import (
    LANGUAGES,
    dev_set_files,
    evaluate_files,
    held_out_files,
    quiet_rasa_logging,
)
from scripts.processes import BIN, ROOT, quiet_environment


@dataclass(frozen=True)
class Variant:
    name: str
    build_flags: Tuple[str, ...] = ()
    pinyin_data: bool = True


VARIANTS = (
    Variant("project pipeline"),
    Variant("without spelling correction", ("--no-spelling",)),
    Variant("without Traditional to Simplified", ("--no-simplify",)),
    Variant("without the pinyin examples", pinyin_data=False),
    Variant("without place names marked", ("--no-places",)),
    Variant(
        "none of the four", ("--no-spelling", "--no-simplify", "--no-places"), pinyin_data=False
    ),
)


def training_data(pinyin: bool) -> List[str]:
    nlu = ROOT / "data" / "nlu"
    folders = [p for p in sorted(nlu.iterdir()) if pinyin or p.name != "pinyin"]
    return [str(p) for p in folders] + [
        str(ROOT / "data" / "rules.yml"),
        str(ROOT / "data" / "stories.yml"),
    ]


def train(variant: Variant, work: Path) -> Path:
    """Build the variant's pipeline and train its model; the model's path."""
    pipeline = work / "pipeline"
    env = quiet_environment()
    subprocess.run(
        [sys.executable, "-m", "spacy_pipeline.build", str(pipeline), *variant.build_flags],
        cwd=ROOT,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"].endswith("SpacyNLP"):
            component["model"] = str(pipeline)
    config_path = work / "config.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    subprocess.run(
        [
            str(BIN / "sscard"),
            "train",
            "--config",
            str(config_path),
            "--domain",
            str(ROOT / "domain.yml"),
            "--data",
            *training_data(variant.pinyin_data),
            "--out",
            str(work),
            "--fixed-model-name",
            "model",
            "--force",
        ],
        cwd=work,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return work / "model.tar.gz"


def score(model: Path, sets: Sequence[str]) -> Dict[Tuple[str, str], Tuple[float, float]]:
    """(set, language) -> (accuracy, out-of-scope precision)."""
    import rasa_fixes

    rasa_fixes.install()
    quiet_rasa_logging()
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    found = {}
    for name in sets:
        for language in LANGUAGES:
            files = dev_set_files(language) if name == "dev" else held_out_files(language)
            result = evaluate_files(agent.parse_message, files)
            found[(name, language)] = (result.accuracy, result.out_of_scope_precision)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", choices=("dev", "test", "both"), default="both")
    args = parser.parse_args()
    sets = ("dev", "test") if args.sets == "both" else (args.sets,)
    columns = [(s, language) for s in sets for language in LANGUAGES]
    print("| variant | " + " | ".join(f"{s} {language}" for s, language in columns) + " |")
    print("| --- |" + " ---: |" * len(columns))
    for variant in VARIANTS:
        with tempfile.TemporaryDirectory(prefix="normalisation-") as folder:
            figures = score(train(variant, Path(folder)), sets)
        cells = [f"{figures[c][0]:.3f}" for c in columns]
        print(f"| {variant.name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
