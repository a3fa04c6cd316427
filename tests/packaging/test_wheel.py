"""The project installed as its images install it: the wheel plus the runtime lock, in a clean
virtual environment, run from outside the checkout. Every class that a configuration file
names must import there, and what only development needs must not be there."""

import json
import re
import subprocess
import sys
from typing import List

import pytest
import yaml

from scripts.processes import ROOT

pytestmark = pytest.mark.timeout(900)

DEVELOPMENT_ONLY = (
    "pytest",
    "playwright",
    "hypothesis",
    "ruff",
    "mypy",
    "pyinstrument",
    "pypinyin",
)
PYTHON_IMAGES = sorted(
    path
    for path in (ROOT / "deploy" / "docker").glob("*.Dockerfile")
    if "FROM python:" in path.read_text(encoding="utf-8")
)


def class_paths_in_configuration() -> List[str]:
    """Every dotted class path named in the configuration files Rasa and the scripts read."""

    def dotted(name) -> bool:
        return (
            isinstance(name, str)
            and re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+", name) is not None
        )

    paths = []
    for endpoints in (ROOT / "endpoints.yml", ROOT / "deploy" / "endpoints.cluster.yml"):
        for section in (yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}).values():
            if isinstance(section, dict) and dotted(section.get("type")):
                paths.append(section["type"])
    for credentials in (ROOT / "credentials.yml", ROOT / "deploy" / "credentials.cluster.yml"):
        paths += [
            name
            for name in yaml.safe_load(credentials.read_text(encoding="utf-8")) or {}
            if dotted(name)
        ]
    platforms = yaml.safe_load((ROOT / "channels" / "platforms.yml").read_text(encoding="utf-8"))
    paths += [spec["connector"] for spec in platforms.values() if dotted(spec["connector"])]
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    paths += [
        item["name"] for item in config["pipeline"] + config["policies"] if dotted(item["name"])
    ]
    return sorted(set(paths))


CHECK = r"""
import importlib, json, sys
results = {}
for path in json.loads(sys.argv[1]):
    module, _, name = path.rpartition(".")
    try:
        getattr(importlib.import_module(module), name)
        results[path] = "ok"
    except Exception as error:
        results[path] = f"{type(error).__name__}: {error}"

def check(label, function):
    try:
        function()
        results[label] = "ok"
    except Exception as error:
        results[label] = f"{type(error).__name__}: {error}"

def plugins():
    import pluggy, rasa_sdk.plugin, rasa_fixes
    rasa_fixes.install()
    manager = pluggy.PluginManager("rasa_sdk")
    rasa_sdk.plugin._discover_plugins(manager)
    assert len(manager.get_plugins()) >= 3, manager.get_plugins()

def knowledge():
    from knowledge import load_knowledge
    assert load_knowledge().topics

def tokenizer():
    import spacy
    spacy.registry.tokenizers.get("sscard.BilingualTokenizer.v1")

def action():
    import actions.answer
    assert actions.answer.ActionAnswer().name() == "action_answer"

check("action server plugins", plugins)
check("knowledge data files", knowledge)
check("spaCy tokenizer entry point", tokenizer)
check("actions package", action)
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The interpreter of a clean venv holding the runtime lock and the project's wheel."""
    work = tmp_path_factory.mktemp("package")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(work / "dist"),
            str(ROOT),
        ],
        check=True,
        cwd=work,
    )
    wheel = next((work / "dist").glob("sscard_assistant-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    python = work / "venv" / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--progress-bar",
            "off",
            "-r",
            str(ROOT / "requirements" / "runtime.lock"),
        ],
        check=True,
        cwd=work,
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        cwd=work,
    )
    return python, work


def test_the_configuration_names_the_project_s_classes():
    names = class_paths_in_configuration()
    for expected in (
        "tracker_store.cached_sql.CachedSQLTrackerStore",
        "lock_store.atomic_redis.AtomicRedisLockStore",
        "channels.rest.RestInput",
        "components.intent_classifier.TfidfIntentClassifier",
    ):
        assert expected in names


def test_every_class_the_configuration_names_imports_from_the_installed_wheel(installed):
    python, work = installed
    result = subprocess.run(
        [str(python), "-I", "-c", CHECK, json.dumps(class_paths_in_configuration())],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failures = {
        name: outcome
        for name, outcome in json.loads(result.stdout.splitlines()[-1]).items()
        if outcome != "ok"
    }
    assert not failures


def test_the_launcher_is_installed_and_starts_rasa_with_the_fixes(installed):
    python, work = installed
    result = subprocess.run(
        [str(python.parent / "sscard"), "--version"],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "3.6.21" in result.stdout and "fixes:" in result.stderr


def test_development_tools_are_not_installed_at_runtime(installed):
    python, work = installed
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=work,
    ).stdout
    installed_names = {item["name"].lower() for item in json.loads(listed)}
    assert not installed_names & set(DEVELOPMENT_ONLY)
    runtime_lock = (ROOT / "requirements" / "runtime.lock").read_text(encoding="utf-8").lower()
    for name in DEVELOPMENT_ONLY:
        assert f"\n{name}==" not in runtime_lock


def test_both_python_images_are_checked():
    assert [path.name for path in PYTHON_IMAGES] == ["actions.Dockerfile", "rasa.Dockerfile"]


@pytest.mark.parametrize("dockerfile", PYTHON_IMAGES, ids=lambda path: path.name)
def test_the_python_images_install_the_runtime_lock_and_the_wheel_only(dockerfile):
    text = dockerfile.read_text(encoding="utf-8")
    assert "requirements/dev.lock" not in text
    assert "requirements/runtime.lock" in text
    final_stage = text[text.rindex("\nFROM ") :]
    installs = [line for line in final_stage.splitlines() if "pip install" in line]
    assert any(".whl" in line for line in installs)
    # The project reaches the served image only as its wheel: no package folder copied in.
    for package in (
        "actions",
        "channels",
        "components",
        "knowledge",
        "tracker_store",
        "lock_store",
        "rasa_fixes",
        "rasa_sdk_plugins",
    ):
        assert not re.search(rf"^COPY {package}/", final_stage, re.MULTILINE), package
