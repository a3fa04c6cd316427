"""`make bench`: the project's configuration against Rasa's stock one, on the project's data.

    python -m bench.run [--quick] [--reuse-models DIR] [--out docs/benchmarks.md]

For "project" (config.yml) and "stock" (bench/stock_config.yml, what `rasa init` writes),
one after the other, with the same domain, data, action server, endpoints and credentials:

  training time   wall clock of `rasa train --force` into a fresh folder and a fresh cache
  model size      bytes of the .tar.gz
  accuracy        intent accuracy, macro F1, out-of-scope precision and recall on the
                  held-out test sets (evaluation/nlu.py on the model from Agent.load)
  start-up        from starting `rasa run` to the first successful REST webhook reply
  latency         p50/p95/p99 and messages/s through the REST webhook, 1 and 20 conversations
  50 turns        mean latency of turns 1-10 vs 41-50 of one conversation
  memory          VmRSS of Rasa and of the action server (and their children) after the load

then writes docs/benchmarks.md (rendered by bench/report.py) with the ratios project/stock
and the targets met or not.
Any HTTP error or empty reply list fails the run (exit status 1).

--quick (for developing the benchmark only): the stock configuration with 5 epochs instead
of 100 for DIETClassifier, ResponseSelector, TEDPolicy and UnexpecTEDIntentPolicy and fewer
messages; the report says so on every stock figure, and goes to results/ unless --out is given.
--reuse-models DIR: models already in DIR are used as they are (training time "not
measured"); missing ones are trained and kept there.
"""

import argparse
import asyncio
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence

import yaml

from bench.figures import EPOCH_COMPONENTS, FULL_LOAD, QUICK_EPOCHS, QUICK_LOAD, Figures, Load
from bench.load import (
    LoadError,
    LoadResult,
    conversation_script,
    repeat_script,
    run_conversations,
    tree_rss,
    wait_first_reply,
    window_mean,
)
from bench.report import build_sections, render_document
from scripts.processes import (
    BIN,
    ROOT,
    Process,
    ensure_ready,
    free_port,
    quiet_environment,
    start,
    start_action_server,
    write_credentials,
    write_endpoints,
)

if TYPE_CHECKING:
    # evaluation.nlu brings scikit-learn: only the evaluation subprocess imports it.
    from evaluation.nlu import Evaluation, Example

STOCK_CONFIG = ROOT / "bench" / "stock_config.yml"
PROJECT_CONFIG = ROOT / "config.yml"
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
QUICK_OUT = ROOT / "results" / "benchmarks-quick.md"
STARTUP_TIMEOUT_S = 600.0


# What the two configurations are trained, evaluated and served from: if any of it changes
# while the benchmark runs (another developer commits), the comparison is void.
INPUT_PATHS = (
    "config.yml",
    "domain.yml",
    "endpoints.yml",
    "credentials.yml",
    "data",
    "actions",
    "channels",
    "components",
    "knowledge",
    "spacy_pipeline",
    "tracker_store",
    "rasa_fixes",
    "rasa_sdk_plugins",
    "requirements/runtime.lock",
    "requirements/dev.lock",
    "bench/stock_config.yml",
    "bench/load.py",
    "bench/run.py",
    "evaluation",
    "tests/nlu",
    "scripts/processes.py",
)


class BenchmarkError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


# =========================================================================== inputs


def fingerprint(root: Path, paths: Sequence[str] = INPUT_PATHS) -> Dict[str, str]:
    """sha256 of every file under `paths` (relative to root), bytecode caches left out."""
    digests: Dict[str, str] = {}
    for name in paths:
        top = root / name
        files = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digests[path.relative_to(root).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return digests


def changed_files(before: Dict[str, str], after: Dict[str, str]) -> List[str]:
    """Files added, removed or modified between two fingerprints, sorted."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def git_commit() -> str:
    """The short commit, and the benchmark's inputs with uncommitted changes if there are any."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = [line[3:] for line in git("status", "--porcelain", "--", *INPUT_PATHS).splitlines()]
    return commit + (f" (uncommitted changes: {', '.join(dirty)})" if dirty else "")


# =========================================================================== machine


def machine_info() -> Dict[str, str]:
    """CPUs, memory, CPU model and the Python, Rasa and rasa-sdk versions, for the report."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    from importlib.metadata import version

    return {
        "machine": f"{nproc} CPUs (nproc), {mem_kb / 2**20:.1f} GiB memory, CPU: {cpu}",
        "Python": platform.python_version(),
        "Rasa": f"{version('rasa')} (rasa-sdk {version('rasa-sdk')})",
    }


def load_average() -> str:
    """The 1, 5 and 15-minute load averages as `0.52 / 0.61 / 0.70`."""
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


# =========================================================================== steps


def log(message: str) -> None:
    """A timestamped progress line on stdout, flushed so that `make bench` shows it at once."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def quick_stock_config(directory: Path) -> Path:
    """Rasa's default configuration with 5 epochs: for developing the benchmark only."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise BenchmarkError("Rasa is not installed in this Python")
    rasa_dir = Path(spec.submodule_search_locations[0])
    defaults = yaml.safe_load(
        (rasa_dir / "engine/recipes/config_files/default_config.yml").read_text(encoding="utf-8")
    )
    stock = yaml.safe_load(STOCK_CONFIG.read_text(encoding="utf-8"))
    config = {
        **defaults,
        "language": stock["language"],
        "assistant_id": f"{stock['assistant_id']}-quick",
    }
    for item in config["pipeline"] + config["policies"]:
        if item["name"] in EPOCH_COMPONENTS:
            item["epochs"] = QUICK_EPOCHS
    path = directory / "stock-quick.yml"
    path.write_text(
        "# QUICK bench only: Rasa's defaults with 5 epochs. NOT the stock config.\n"
        + yaml.safe_dump(config, sort_keys=False),
        encoding="utf-8",
    )
    return path


def tail(path: Path, chars: int = 3000) -> str:
    """The end of a log file, for an error message."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def train(name: str, config: Path, out_dir: Path, work: Path) -> float:
    """Train into a fresh folder with a fresh cache; the wall-clock seconds it took."""
    fresh = Path(tempfile.mkdtemp(prefix=f"train-{name}-", dir=work))
    log_path = work / f"train-{name}.log"
    # Rasa writes its auto-configuration into a config that leaves keys out: give it a copy.
    config_copy = fresh / config.name
    shutil.copyfile(config, config_copy)
    command = [
        str(BIN / "sscard"),
        "train",
        "--config",
        str(config_copy),
        "--domain",
        str(ROOT / "domain.yml"),
        "--data",
        str(ROOT / "data"),
        "--out",
        str(fresh / "models"),
        "--fixed-model-name",
        name,
        "--force",
    ]
    env = quiet_environment({"RASA_CACHE_DIRECTORY": str(fresh / "cache")})
    log(f"training {name}: {shlex.join(command[1:])}")
    started = time.monotonic()
    with open(log_path, "wb") as handle:
        finished = subprocess.run(
            command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env
        )
    seconds = time.monotonic() - started
    model = fresh / "models" / f"{name}.tar.gz"
    if finished.returncode != 0 or not model.exists():
        raise BenchmarkError(
            f"training {name} failed (exit {finished.returncode}); "
            f"log {log_path}:\n{tail(log_path)}"
        )
    # Named as rasa_fixes/model_checksum.py records it; importing that module would bring
    # Rasa's training code into this process.
    checksum = model.with_name(f"{model.name}.sha256")
    if not checksum.is_file():
        raise BenchmarkError(
            f"training {name} recorded no checksum ({checksum.name}): was it "
            f"trained through `sscard`? log {log_path}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    # The checksum goes along: `sscard run` refuses a model without it (rasa_fixes/model_checksum.py).
    for path in (model, checksum):
        shutil.move(str(path), out_dir / path.name)
    shutil.rmtree(fresh, ignore_errors=True)
    log(f"trained {name} in {seconds:.1f} s")
    return seconds


def evaluate_in_subprocess(model: Path, work: Path) -> Dict[str, Dict[str, float]]:
    """The NLU figures per language, in a separate process (TensorFlow stays out of this one).

    For each language of the held-out test sets: accuracy, macro F1 and, when the test set has
    out-of-scope sentences, out-of-scope precision and recall (see `nlu_figures`).
    """
    out = work / f"evaluation-{model.stem}.json"
    log_path = work / f"evaluation-{model.stem}.log"
    with open(log_path, "wb") as handle:
        finished = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.run",
                "--evaluate-model",
                str(model),
                "--evaluation-out",
                str(out),
            ],
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=quiet_environment(),
        )
    if finished.returncode != 0 or not out.exists():
        raise BenchmarkError(f"evaluating {model} failed; log {log_path}:\n{tail(log_path)}")
    return json.loads(out.read_text())


def nlu_figures(result: "Evaluation", examples: Sequence["Example"]) -> Dict[str, float]:
    """The figures of one language's evaluation that the report shows, by name.

    Out-of-scope precision and recall are left out when the test set has no out-of-scope
    sentence: evaluation.nlu counts them as 1.0 there, a figure nothing was measured for.
    """
    from evaluation.nlu import OUT_OF_SCOPE

    figures = {"accuracy": result.accuracy, "macro_f1": result.macro_f1}
    if any(example.intent == OUT_OF_SCOPE for example in examples):
        figures["out_of_scope_precision"] = result.out_of_scope_precision
        figures["out_of_scope_recall"] = result.out_of_scope_recall
    return figures


def evaluate_model(model: Path, out: Path) -> None:
    """Score `model` on every language's held-out test set and write the figures to `out` as JSON.

    Runs in the subprocess that `evaluate_in_subprocess` starts, so that Rasa and TensorFlow
    are loaded there and not in the process that measures the servers.
    """
    from rasa.core.agent import Agent

    import rasa_fixes
    from evaluation.nlu import (
        LANGUAGES,
        evaluate_files,
        examples_of,
        held_out_files,
        quiet_rasa_logging,
    )

    # The model is loaded as `sscard run` loads it: with the project's fixes (its checksum
    # checked, the components' overrides guarded by the version check).
    rasa_fixes.install()
    quiet_rasa_logging()
    agent = Agent.load(str(model))
    figures = {}
    for language in LANGUAGES:
        files = held_out_files(language)
        result = evaluate_files(agent.parse_message, files)
        figures[language] = nlu_figures(result, examples_of(files))
    out.write_text(json.dumps(figures))


async def measure_server(
    name: str,
    model: Path,
    action_port: int,
    actions: Process,
    work: Path,
    script: List[str],
    load: Load,
    figures: Figures,
) -> None:
    """Start Rasa, time the first answer, run the load tests, read the memory, stop Rasa."""
    run_dir = work / f"serve-{name}"
    run_dir.mkdir()
    endpoints = write_endpoints(run_dir, action_port, run_dir / "conversations.db")
    credentials = write_credentials(run_dir)
    port = free_port()
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    command = [
        str(BIN / "sscard"),
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials),
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
    ]
    log(f"starting rasa run for {name} on port {port}")
    started = time.monotonic()
    rasa = start("rasa", command, run_dir)
    try:

        def alive() -> bool:
            return rasa.popen.poll() is None and actions.popen.poll() is None

        try:
            answered = await wait_first_reply(url, script[0], alive, STARTUP_TIMEOUT_S)
        except LoadError as error:
            raise BenchmarkError(
                f"{name}: start-up failed: {error}\n--- rasa log ---\n"
                f"{tail(rasa.log)}\n--- action server log ---\n"
                f"{tail(actions.log)}"
            ) from error
        figures.startup_s = answered - started
        log(f"{name}: first answer after {figures.startup_s:.1f} s")

        async def conversations(
            messages: List[str], count: int, concurrency: int, prefix: str
        ) -> LoadResult:
            try:
                return await run_conversations(
                    url, messages, count, concurrency, f"{name}-{prefix}"
                )
            except LoadError as error:
                raise BenchmarkError(
                    f"{name}: load test '{prefix}' failed: {error}\n"
                    f"--- rasa log ---\n{tail(rasa.log)}"
                ) from error

        await conversations(repeat_script(script, load.warmup_messages), 1, 1, "warmup")
        figures.load_before = os.getloadavg()[0]
        figures.c1 = (
            await conversations(repeat_script(script, load.c1_messages), 1, 1, "c1")
        ).summary()
        log(
            f"{name}: c=1  p50 {figures.c1.p50_ms:.0f} ms, p95 {figures.c1.p95_ms:.0f} ms, "
            f"{figures.c1.throughput:.2f} msg/s"
        )
        result = await conversations(
            repeat_script(script, load.c20_messages),
            load.c20_conversations,
            load.c20_conversations,
            "c20",
        )
        figures.c20 = result.summary()
        log(
            f"{name}: c=20 p50 {figures.c20.p50_ms:.0f} ms, p95 {figures.c20.p95_ms:.0f} ms, "
            f"{figures.c20.throughput:.2f} msg/s"
        )
        long = await conversations(repeat_script(script, load.long_turns), 1, 1, "long")
        turns = [value * 1000 for value in long.conversations[0].latencies_s]
        figures.long_first_ms = window_mean(turns, 1, min(10, len(turns)))
        figures.long_last_ms = window_mean(turns, max(1, len(turns) - 9), len(turns))
        log(
            f"{name}: {len(turns)} turns: {figures.long_first_ms:.0f} ms (1-10) -> "
            f"{figures.long_last_ms:.0f} ms (last 10)"
        )
        figures.load_after = os.getloadavg()[0]
        figures.rasa_rss = tree_rss(rasa.popen.pid)
        figures.actions_rss = tree_rss(actions.popen.pid)
        log(
            f"{name}: RSS rasa {figures.rasa_rss / 2**20:.0f} MiB, "
            f"actions {figures.actions_rss / 2**20:.0f} MiB"
        )
    finally:
        rasa.stop()


def benchmark(args: argparse.Namespace) -> int:
    """The whole run: train, evaluate and serve both configurations, then write the report."""
    began = time.monotonic()
    quick = args.quick
    load = QUICK_LOAD if quick else FULL_LOAD
    out = Path(args.out) if args.out else (QUICK_OUT if quick else DEFAULT_OUT)
    command = "python -m bench.run" + ("" if len(sys.argv) < 2 else " " + shlex.join(sys.argv[1:]))
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": f"`{command}`" + (" (`make bench`)" if command == "python -m bench.run" else ""),
        **machine_info(),
        "load average (1/5/15 min) at start": load_average(),
    }
    meta["commit"] = git_commit()
    inputs_before = fingerprint(ROOT)
    if not (ROOT / "build" / "spacy_pipeline" / "meta.json").exists():
        raise BenchmarkError("the project's spaCy pipeline is not built: run `make spacy` first")

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    log(f"work folder {work} (logs); report -> {out}")
    models_dir = Path(args.reuse_models).resolve() if args.reuse_models else work / "models"
    stock_name = "stock-quick" if quick else "stock"
    stock_config = quick_stock_config(work) if quick else STOCK_CONFIG
    configs = [("project", PROJECT_CONFIG, "project"), ("stock", stock_config, stock_name)]
    script = conversation_script()
    figures = {key: Figures() for key, _, _ in configs}

    action_port = free_port()
    actions = start_action_server(action_port, work)
    try:
        ensure_ready([f"http://127.0.0.1:{action_port}/health"], [actions])
        for key, config, name in configs:
            model = models_dir / f"{name}.tar.gz"
            if args.reuse_models and model.exists():
                log(f"reusing {model}: training time not measured")
            else:
                figures[key].training_s = train(name, config, models_dir, work)
            figures[key].model_bytes = model.stat().st_size
            log(f"evaluating {name}")
            figures[key].accuracy = evaluate_in_subprocess(model, work)
            log(
                f"{name}: "
                + ", ".join(
                    f"{lang} accuracy {f['accuracy']:.3f} / F1 {f['macro_f1']:.3f}"
                    for lang, f in figures[key].accuracy.items()
                )
            )
            asyncio.run(
                measure_server(key, model, action_port, actions, work, script, load, figures[key])
            )
    finally:
        actions.stop()

    elapsed = time.monotonic() - began
    meta["load average (1/5/15 min) at end"] = load_average()
    meta["run time"] = f"{elapsed / 60:.1f} min"
    changed = changed_files(inputs_before, fingerprint(ROOT))
    warnings = []
    if changed:
        warnings.append(
            "the project changed while the benchmark ran, so the two configurations "
            "were not measured on the same code and data; rerun it. Changed: " + ", ".join(changed)
        )
    sections = build_sections(figures["project"], figures["stock"], load)
    document = render_document(sections, meta, script, quick, warnings)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document, encoding="utf-8")
    print(document)
    log(f"wrote {out} in {elapsed / 60:.1f} min")
    shutil.rmtree(work, ignore_errors=True)  # kept (with its logs) when the run fails
    if changed:
        raise BenchmarkError(warnings[0])
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """`python -m bench.run`: the benchmark, or (internally) one model's evaluation; exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="stock trained with 5 epochs and fewer messages: NOT the real stock",
    )
    parser.add_argument(
        "--reuse-models",
        metavar="DIR",
        help="use project(.tar.gz) and stock(-quick).tar.gz found in DIR; train "
        "and keep missing ones there",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help=f"report (default {DEFAULT_OUT.relative_to(ROOT)}; with --quick "
        f"{QUICK_OUT.relative_to(ROOT)})",
    )
    parser.add_argument("--evaluate-model", metavar="MODEL", help=argparse.SUPPRESS)
    parser.add_argument("--evaluation-out", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.evaluate_model:
        evaluate_model(Path(args.evaluate_model), Path(args.evaluation_out))
        return 0
    try:
        return benchmark(args)
    except (BenchmarkError, LoadError) as error:
        print(f"\nbench: FAILED: {error}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
