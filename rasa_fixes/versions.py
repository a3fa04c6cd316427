"""The versions of Rasa and rasa_sdk that the fixes (and the private methods the project's
subclasses override) were written against. Another version may have moved or changed any
of them, so the project refuses to start on it rather than misbehave quietly."""

from importlib.metadata import PackageNotFoundError, version
from typing import Dict

WRITTEN_FOR: Dict[str, str] = {"rasa": "3.6.21", "rasa-sdk": "3.6.2"}


class UnsupportedVersion(RuntimeError):
    """The installed Rasa or rasa_sdk is not the version the fixes were written for."""


def require_written_for_versions() -> None:
    """Raise UnsupportedVersion unless every package in WRITTEN_FOR has exactly that version."""
    problems = []
    for package, wanted in WRITTEN_FOR.items():
        try:
            found = version(package)
        except PackageNotFoundError:
            found = "not installed"
        if found != wanted:
            problems.append(f"{package} {found} (written for {wanted})")
    if problems:
        raise UnsupportedVersion(
            "rasa_fixes: refusing to start: "
            + "; ".join(problems)
            + ". Review every module of rasa_fixes/ against the new version, then update "
            "rasa_fixes/versions.py and requirements.lock together."
        )
