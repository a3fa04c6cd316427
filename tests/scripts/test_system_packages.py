"""`make test`, `make run` and `make run-cluster` first make sure of the Debian packages
they start: a missing one stops a user who is not root at once, naming the command that
installs it (as root, scripts/system_packages.sh installs it with apt-get)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def make(target, packages):
    """`make TARGET` with another package list, as an unprivileged user."""
    env = {**os.environ, "SSCARD_SYSTEM_PACKAGES": str(packages)}
    command = ["make", "--no-print-directory", "-C", str(ROOT), target]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def package_list():
    """A package list that the unprivileged user can read (pytest's own folders are
    private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="sscard-packages-"))
    folder.chmod(0o755)
    yield folder / "packages.txt"
    shutil.rmtree(folder)


@pytest.mark.parametrize("target", ["packages-test", "packages-run-cluster"])
def test_a_missing_package_stops_a_user_who_is_not_root_naming_the_install_command(
    package_list, target
):
    package_list.write_text(
        "# package  needed by\nsscard-no-such-package  test run-cluster\n", encoding="utf-8"
    )
    package_list.chmod(0o644)
    result = make(target, package_list)
    assert result.returncode != 0
    assert "apt-get install -y --no-install-recommends sscard-no-such-package" in result.stderr


def test_installed_packages_let_the_command_go_on_silently(package_list):
    package_list.write_text("bash  test run run-cluster\n", encoding="utf-8")
    package_list.chmod(0o644)
    result = make("packages-test", package_list)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "" and result.stderr.strip() == ""


def test_a_package_another_command_needs_is_not_asked_for(package_list):
    package_list.write_text("sscard-no-such-package  run-cluster\n", encoding="utf-8")
    package_list.chmod(0o644)
    assert make("packages-test", package_list).returncode == 0


def test_make_test_run_and_run_cluster_check_their_packages_before_anything_else():
    for target, first in (("test", "test"), ("run", "run"), ("run-cluster", "run-cluster")):
        plan = subprocess.run(
            ["make", "--no-print-directory", "-n", "-C", str(ROOT), target],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.splitlines()
        assert plan and plan[0] == f"scripts/system_packages.sh {first}", (target, plan[:3])
