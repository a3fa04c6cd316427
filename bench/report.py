"""The markdown report of `make bench`: two configurations' figures, their ratios and targets.

Pure functions of Figures (bench/figures.py): nothing here starts a process or reads a file,
so tests/bench/test_report.py renders made-up figures with them.
"""

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence

from bench.figures import EPOCH_COMPONENTS, FULL_LOAD, QUICK_EPOCHS, Figures, Load
from bench.load import Summary

TRAINING_TARGET_S = 180.0
STARTUP_TARGET_S = 30.0
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}

Format = Callable[[Optional[float]], str]

# =========================================================================== numbers


def ratio(project: Optional[float], stock: Optional[float]) -> Optional[float]:
    """project / stock, or None when either figure is missing or stock's is zero."""
    if project is None or stock is None or stock == 0:
        return None
    return project / stock


def fmt_ratio(value: Optional[float]) -> str:
    """A ratio as `1.23×`, with three significant digits when it is very large or small."""
    if value is None:
        return "n/a"
    if value >= 100 or value < 0.01:
        return f"{value:.3g}×"
    return f"{value:.2f}×"


def fmt_seconds(value: Optional[float]) -> str:
    """Seconds to one decimal, with minutes and seconds from one minute on."""
    if value is None:
        return "not measured"
    if value >= 60:
        return f"{value:.1f} s ({int(value // 60)} min {value % 60:02.0f} s)"
    return f"{value:.1f} s"


def fmt_ms(value: Optional[float]) -> str:
    """Milliseconds to one decimal."""
    return "not measured" if value is None else f"{value:.1f} ms"


def fmt_rate(value: Optional[float]) -> str:
    """Messages per second to two decimals."""
    return "not measured" if value is None else f"{value:.2f} msg/s"


def fmt_bytes(value: Optional[float]) -> str:
    """Bytes with thousands separators, and the same in MiB."""
    if value is None:
        return "not measured"
    return f"{int(value):,} B ({value / 2**20:.1f} MiB)"


def fmt_score(value: Optional[float]) -> str:
    """A score between 0 and 1 (accuracy, F1, precision, recall) to three decimals."""
    return "not measured" if value is None else f"{value:.3f}"


def fmt_count(value: Optional[float]) -> str:
    """A whole number."""
    return "not measured" if value is None else f"{int(value)}"


def fmt_load_average(value: Optional[float]) -> str:
    """A load average (runnable processes) to two decimals."""
    return "not measured" if value is None else f"{value:.2f}"


def fmt_growth(value: Optional[float]) -> str:
    """A factor between two of one configuration's own figures, to two decimals."""
    return "n/a" if value is None else f"{value:.2f}"


# =========================================================================== targets


@dataclass(frozen=True)
class Target:
    """A goal for the project's figure: `check(project, stock)` says whether it is met."""

    text: str
    check: Callable[[float, Optional[float]], bool]
    # A limit needs only the project's figure; a comparison with stock needs both.
    needs_stock: bool = True


def relative(text: str, test: Callable[[float, float], bool]) -> Target:
    """A target comparing the project's figure with stock's: unmet while stock's is missing."""
    return Target(text, lambda project, stock: stock is not None and test(project, stock))


def below(limit: float, text: str) -> Target:
    """A target met when the project's figure is below `limit`, whatever stock's figure."""
    return Target(text, lambda project, _stock: project < limit, needs_stock=False)


AT_LEAST_STOCK = relative("≥ stock", lambda p, s: p >= s)
THREE_TIMES_STOCK = relative("≥ 3× stock", lambda p, s: p >= 3 * s)
THIRD_OF_STOCK = relative("≤ 1/3 stock", lambda p, s: p * 3 <= s)
TRAINING_TARGET = below(TRAINING_TARGET_S, "< 3 min")
STARTUP_TARGET = below(STARTUP_TARGET_S, "< 30 s")


# =========================================================================== tables


@dataclass(frozen=True)
class Row:
    """One figure of both configurations, how to show it, and its target if it has one."""

    label: str
    project: Optional[float]
    stock: Optional[float]
    fmt: Format
    target: Optional[Target] = None
    with_ratio: bool = True

    def verdict(self) -> str:
        """`met`, `**not met**`, `not measured`, or "" for a figure without a target."""
        if self.target is None:
            return ""
        if self.project is None or (self.target.needs_stock and self.stock is None):
            return "not measured"
        return "met" if self.target.check(self.project, self.stock) else "**not met**"


@dataclass(frozen=True)
class Section:
    """A heading of the report, its table and the note that says how it was measured."""

    title: str
    rows: Sequence[Row]
    note: str = ""


def render_table(rows: Sequence[Row], stock_label: str = "stock") -> str:
    """A markdown table: figure, project, stock, project/stock, target, met?"""
    lines = [
        f"| figure | project | {stock_label} | project/stock | target | met? |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        shown_ratio = fmt_ratio(ratio(row.project, row.stock)) if row.with_ratio else "—"
        target = row.target.text if row.target else "—"
        lines.append(
            f"| {row.label} | {row.fmt(row.project)} | {row.fmt(row.stock)} | "
            f"{shown_ratio} | {target} | {row.verdict() or '—'} |"
        )
    return "\n".join(lines)


def render_targets(sections: Sequence[Section], stock_label: str = "stock") -> str:
    """The markdown table of every row with a target, across sections, met or not."""
    lines = [
        f"| section | figure | target | project | {stock_label} | project/stock | met? |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for section in sections:
        for row in section.rows:
            if row.target is None:
                continue
            lines.append(
                f"| {section.title} | {row.label} | {row.target.text} | {row.fmt(row.project)} | "
                f"{row.fmt(row.stock)} | {fmt_ratio(ratio(row.project, row.stock))} | "
                f"{row.verdict()} |"
            )
    return "\n".join(lines)


# =========================================================================== sections


def _accuracy(figures: Figures, language: str, key: str) -> Optional[float]:
    return figures.accuracy.get(language, {}).get(key)


def _summary(summary: Optional[Summary], name: str) -> Optional[float]:
    return None if summary is None else getattr(summary, name)


def accuracy_rows(project: Figures, stock: Figures) -> List[Row]:
    """Accuracy (with its target), macro F1 and out-of-scope precision and recall per language."""
    figures = (
        ("accuracy", "accuracy", AT_LEAST_STOCK),
        ("macro F1", "macro_f1", None),
        ("out-of-scope precision", "out_of_scope_precision", None),
        ("out-of-scope recall", "out_of_scope_recall", None),
    )
    return [
        Row(
            f"{name} {label}",
            _accuracy(project, language, key),
            _accuracy(stock, language, key),
            fmt_score,
            target,
        )
        for language, name in LANGUAGE_NAMES.items()
        for label, key, target in figures
    ]


def latency_rows(project: Optional[Summary], stock: Optional[Summary], targets: bool) -> List[Row]:
    """Requests, latency percentiles and throughput of one load test; `targets` on the p95."""
    return [
        Row(
            "requests",
            _summary(project, "requests"),
            _summary(stock, "requests"),
            fmt_count,
            with_ratio=False,
        ),
        Row("latency p50", _summary(project, "p50_ms"), _summary(stock, "p50_ms"), fmt_ms),
        Row(
            "latency p95",
            _summary(project, "p95_ms"),
            _summary(stock, "p95_ms"),
            fmt_ms,
            THIRD_OF_STOCK,
        ),
        Row("latency p99", _summary(project, "p99_ms"), _summary(stock, "p99_ms"), fmt_ms),
        Row("latency mean", _summary(project, "mean_ms"), _summary(stock, "mean_ms"), fmt_ms),
        Row(
            "throughput",
            _summary(project, "throughput"),
            _summary(stock, "throughput"),
            fmt_rate,
            THREE_TIMES_STOCK if targets else None,
        ),
    ]


def build_sections(project: Figures, stock: Figures, load: Load = FULL_LOAD) -> List[Section]:
    """Every section of the report, in order, each with the note saying how it was measured."""
    c20_total = load.c20_conversations * load.c20_messages
    machine_load = [
        Row(
            "machine load average (1 min) before the load tests",
            project.load_before,
            stock.load_before,
            fmt_load_average,
            with_ratio=False,
        ),
        Row(
            "machine load average (1 min) after the load tests",
            project.load_after,
            stock.load_after,
            fmt_load_average,
            with_ratio=False,
        ),
    ]
    growth_p = ratio(project.long_last_ms, project.long_first_ms)
    growth_s = ratio(stock.long_last_ms, stock.long_first_ms)
    last_first = max(1, load.long_turns - 9)
    return [
        Section(
            "Intent accuracy",
            accuracy_rows(project, stock),
            "Held-out sentences of `tests/nlu/test_<language>*.yml` and "
            "`test_places_<language>.yml`, read with Rasa's loader and scored by "
            "`evaluation.nlu.evaluate_files` on the model loaded with `Agent.load` "
            "(`out_of_scope` and `nlu_fallback` count as the same answer; a compound question "
            "is right when all its questions are found, in order). Out-of-scope precision: the "
            "share of the sentences answered as out of scope that were; recall: the share of the "
            "out-of-scope sentences answered so (not measured for a test set without any).",
        ),
        Section(
            "Training",
            [
                Row(
                    "training time",
                    project.training_s,
                    stock.training_s,
                    fmt_seconds,
                    TRAINING_TARGET,
                ),
            ],
            "Wall clock of `rasa train --config X --domain domain.yml --data data --out <fresh dir> "
            "--fixed-model-name X --force` with an empty training cache (`RASA_CACHE_DIRECTORY` "
            "in a fresh folder): a full training, Python start-up included.",
        ),
        Section(
            "Model size",
            [
                Row("model (.tar.gz)", project.model_bytes, stock.model_bytes, fmt_bytes),
            ],
        ),
        Section(
            "Start-up",
            [
                Row(
                    "start-up to first answer",
                    project.startup_s,
                    stock.startup_s,
                    fmt_seconds,
                    STARTUP_TARGET,
                ),
            ],
            "From starting `rasa run` until the first successful reply of the REST webhook "
            "(HTTP 200, non-empty reply list), polled every 0.1 s, with the action server already up.",
        ),
        Section(
            "Memory",
            [
                Row("Rasa server RSS", project.rasa_rss, stock.rasa_rss, fmt_bytes),
                Row("action server RSS", project.actions_rss, stock.actions_rss, fmt_bytes),
            ],
            "`VmRSS` of `/proc/<pid>/status`, the process plus its children, after the load tests. "
            "Both configurations use the same action server process (started once), measured "
            "after each configuration's load tests.",
        ),
        Section(
            "Latency and throughput, 1 conversation",
            latency_rows(project.c1, stock.c1, False),
            f"One conversation of {load.c1_messages} messages (the script below, repeated), "
            "each sent when the previous reply arrived.",
        ),
        Section(
            "Latency and throughput, 20 concurrent conversations",
            latency_rows(project.c20, stock.c20, True),
            f"{load.c20_conversations} conversations at once (different sender ids, one "
            f"keep-alive connection each), {load.c20_messages} messages each: "
            f"{c20_total} requests. Throughput = requests / wall clock of the whole run.",
        ),
        Section(
            f"A {load.long_turns}-turn conversation",
            [
                Row("mean latency, turns 1–10", project.long_first_ms, stock.long_first_ms, fmt_ms),
                Row(
                    f"mean latency, turns {last_first}–{load.long_turns}",
                    project.long_last_ms,
                    stock.long_last_ms,
                    fmt_ms,
                ),
                Row(
                    f"turns {last_first}–{load.long_turns} / turns 1–10",
                    growth_p,
                    growth_s,
                    fmt_growth,
                    with_ratio=False,
                ),
            ],
            "One sender, the 10-message script five times over, so turns 1–10 and 41–50 send the "
            "same sentences: the difference is what a longer conversation costs per turn (Rasa "
            "replays the session for its policies; tracker store and action call are the "
            "project's, shared by both configurations).",
        ),
        Section(
            "Machine load during the load tests",
            machine_load,
            "Other developers' work on the same 2 cores slows whichever configuration it "
            "coincides with: compare the latency figures with this in mind.",
        ),
    ]


# =========================================================================== document


def render_document(
    sections: Sequence[Section],
    meta: Dict[str, str],
    script: Sequence[str],
    quick: bool,
    warnings: Sequence[str] = (),
) -> str:
    """docs/benchmarks.md: warnings, the run's facts, the targets, every section, the script.

    `meta` (date, command, machine, versions, commit, load averages) is shown as given, in
    order; `quick` labels every stock figure as the 5-epoch stand-in it is.
    """
    stock_label = "stock (QUICK, 5 epochs)" if quick else "stock"
    out = ["# Benchmarks: the project's configuration against Rasa's stock one", ""]
    out.append(
        "Written by `make bench` (`python -m bench.run`); rerun it rather than editing this file."
    )
    out.append("")
    for warning in warnings:
        out += [f"> **WARNING: {warning}**", ""]
    if quick:
        out += [
            "> **QUICK RUN — NOT THE REAL STOCK CONFIGURATION.** The stock model was trained "
            f"with {QUICK_EPOCHS} epochs instead of 100 for "
            f"{', '.join(EPOCH_COMPONENTS)}, and fewer messages were sent. These figures only "
            "check that the benchmark works; they compare nothing.",
            "",
        ]
    out += ["| | |", "| --- | --- |"]
    out += [f"| {key} | {value} |" for key, value in meta.items()]
    out += [
        "",
        "> Figures vary between runs: the machine is shared, and other developers' tests "
        "run on the same 2 cores at the same time (see the load average above). Compare the "
        "ratios within one run rather than absolute figures across runs.",
        "",
    ]
    out += [
        "**project** = `config.yml` (the project's spaCy pipeline, TF-IDF intent classifier, "
        "RulePolicy matching the recent turns). **stock** = `bench/stock_config.yml`, what "
        "`rasa init` writes: Rasa's default pipeline (WhitespaceTokenizer, featurizers, "
        "DIETClassifier, ResponseSelector, FallbackClassifier) and policies (MemoizationPolicy, "
        "RulePolicy, UnexpecTEDIntentPolicy, TEDPolicy). Both are trained on `data/` with "
        "`domain.yml`, and served by `rasa run` with the same endpoints.yml settings (the "
        "project's cached SQL tracker store on a fresh SQLite file per configuration; the same "
        "action server, sent the latest turn), the same channels with their fixes to Rasa, and "
        "the same credentials, one configuration after the other: the ratios measure "
        "`config.yml`.",
        "",
    ]
    out += ["## Targets", "", render_targets(sections, stock_label), ""]
    for section in sections:
        out += [f"## {section.title}", ""]
        if section.note:
            out += [section.note, ""]
        out += [render_table(section.rows, stock_label), ""]
    out += [
        "## The conversation script",
        "",
        "Every load-test conversation sends these messages in this order (the first example "
        "of each intent named, from `tests/nlu/test_en.yml` and `test_zh.yml`), after "
        "a warm-up conversation that is not measured:",
        "",
    ]
    out += [f"{index}. {text}" for index, text in enumerate(script, 1)]
    out.append("")
    return "\n".join(out)
