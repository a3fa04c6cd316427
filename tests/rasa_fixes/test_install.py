"""rasa_fixes: one entry point installs every fix, and refuses other Rasa versions."""

import importlib
import subprocess
import sys

import pytest

import rasa_fixes
from rasa_fixes import versions


def test_every_module_of_the_package_is_a_listed_fix_with_a_summary_and_an_install():
    from pathlib import Path

    modules = {path.stem for path in Path(rasa_fixes.__file__).parent.glob("*.py")}
    not_fixes = {"__init__", "__main__", "launcher", "versions"}
    assert modules - not_fixes == set(rasa_fixes.FIXES)
    for name in rasa_fixes.FIXES:
        module = importlib.import_module(f"rasa_fixes.{name}")
        assert module.SUMMARY and callable(module.install)
        assert "\nUpstream: " in module.__doc__, f"{name} does not name what it changes upstream"


def test_install_installs_them_all_once():
    assert rasa_fixes.install() == list(rasa_fixes.FIXES)
    assert rasa_fixes.install() == list(rasa_fixes.FIXES)


def test_another_rasa_version_is_refused(monkeypatch):
    monkeypatch.setitem(versions.WRITTEN_FOR, "rasa", "3.6.20")
    with pytest.raises(
        versions.UnsupportedVersion, match=r"rasa 3\.6\.21 \(written for 3\.6\.20\)"
    ):
        versions.require_written_for_versions()


def test_the_launcher_refuses_to_start_on_another_version(tmp_path):
    # A sitecustomize that pretends the installed rasa-sdk is another version.
    (tmp_path / "sitecustomize.py").write_text(
        "import importlib.metadata as m\n"
        "real = m.version\n"
        "m.version = lambda name: '3.6.0' if name == 'rasa-sdk' else real(name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "rasa_fixes", "--version"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        timeout=120,
    )
    assert result.returncode != 0
    assert "rasa-sdk 3.6.0 (written for 3.6.2)" in result.stderr


def test_the_launcher_runs_rasa_s_command_line_with_the_fixes():
    result = subprocess.run(
        [sys.executable, "-m", "rasa_fixes", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Rasa Version" in result.stdout and "3.6.21" in result.stdout
    assert "fixes: " + ", ".join(rasa_fixes.FIXES) in result.stderr


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["run", "--model", "{model}"], "{model}"),
        (["run", "-m", "{model}", "--port", "1"], "{model}"),
        (["run", "--model={model}"], "{model}"),
        (["shell", "--model", "{folder}"], "{model}"),
        (["run", "actions", "--actions", "actions"], None),
        (["train", "--out", "{folder}"], None),
        (["data", "validate"], None),
    ],
)
def test_the_launcher_knows_which_model_a_command_will_load(tmp_path, argv, expected):
    from rasa_fixes.launcher import model_to_serve

    model = tmp_path / "m.tar.gz"
    model.write_bytes(b"x")
    fill = {"model": str(model), "folder": str(tmp_path)}
    found = model_to_serve([part.format(**fill) for part in argv])
    assert found == (None if expected is None else type(model)(expected.format(**fill)))
