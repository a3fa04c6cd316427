"""bench/run.py without running the benchmark: its inputs, its NLU figures, its command line."""

import ast
from pathlib import Path

import pytest

from bench.run import INPUT_PATHS, ROOT, changed_files, fingerprint, main, nlu_figures
from evaluation.nlu import Example, evaluate


def parse(intent: str) -> dict:
    return {"intent": {"name": intent, "confidence": 0.9}}


# --------------------------------------------------------------------------- inputs


def test_a_change_to_the_inputs_during_the_run_is_noticed(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nlu.yml").write_text("a")
    (tmp_path / "config.yml").write_text("pipeline: []")
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    before = fingerprint(tmp_path, ("config.yml", "data", "missing"))
    assert sorted(before) == ["config.yml", "data/nlu.yml"]
    assert changed_files(before, fingerprint(tmp_path, ("config.yml", "data"))) == []
    (tmp_path / "data" / "nlu.yml").write_text("b")
    (tmp_path / "data" / "rules.yml").write_text("c")
    (tmp_path / "config.yml").unlink()
    after = fingerprint(tmp_path, ("config.yml", "data"))
    assert changed_files(before, after) == ["config.yml", "data/nlu.yml", "data/rules.yml"]


@pytest.mark.parametrize("name", INPUT_PATHS)
def test_every_input_of_the_benchmark_exists(name):
    # A path that was renamed away would silently drop out of the fingerprint.
    assert (ROOT / name).exists(), f"INPUT_PATHS names {name}, which is not in the project"


# --------------------------------------------------------------------------- NLU figures


@pytest.mark.parametrize(
    "examples, predicted, figures",
    [
        (
            [Example("hi", "greet"), Example("weather?", "out_of_scope")],
            ["greet", "nlu_fallback"],
            {
                "accuracy": 1.0,
                "macro_f1": 1.0,
                "out_of_scope_precision": 1.0,
                "out_of_scope_recall": 1.0,
            },
        ),
        (
            [
                Example("hi", "greet"),
                Example("thanks", "thank"),
                Example("weather?", "out_of_scope"),
                Example("stocks?", "out_of_scope"),
            ],
            ["out_of_scope", "thank", "out_of_scope", "greet"],
            {"accuracy": 0.5, "out_of_scope_precision": 0.5, "out_of_scope_recall": 0.5},
        ),
        # Without an out-of-scope sentence, evaluation.nlu's 1.0 would be a figure nothing
        # was measured for: it is left out, and the report says "not measured".
        (
            [Example("hi", "greet"), Example("thanks", "thank")],
            ["greet", "out_of_scope"],
            {"accuracy": 0.5},
        ),
    ],
)
def test_the_nlu_figures_are_the_evaluations_with_out_of_scope_only_when_measured(
    examples, predicted, figures
):
    shown = nlu_figures(evaluate(examples, [parse(intent) for intent in predicted]), examples)
    has_out_of_scope = any(example.intent == "out_of_scope" for example in examples)
    expected_keys = {"accuracy", "macro_f1"} | (
        {"out_of_scope_precision", "out_of_scope_recall"} if has_out_of_scope else set()
    )
    assert set(shown) == expected_keys
    for key, value in figures.items():
        assert shown[key] == pytest.approx(value), key


# --------------------------------------------------------------------------- the package


def imported_modules(path: Path) -> list:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
    return modules


@pytest.mark.parametrize("path", sorted((ROOT / "bench").glob("*.py")), ids=lambda p: p.name)
def test_the_benchmark_imports_nothing_from_the_tests(path):
    from_tests = [name for name in imported_modules(path) if name.split(".")[0] == "tests"]
    assert not from_tests, f"{path.name} imports {from_tests}"


def test_the_command_line_keeps_its_options(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0
    shown = capsys.readouterr().out
    for option in ("--quick", "--reuse-models DIR", "--out FILE"):
        assert option in shown
    assert "--evaluate-model" not in shown  # internal: the evaluation subprocess's
