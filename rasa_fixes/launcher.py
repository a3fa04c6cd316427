"""`sscard`: Rasa's own command line, with this project's fixes installed first.

    sscard run --model models/sscard.tar.gz ...     # instead of: rasa run ...
    sscard run actions --actions actions             # the action server
    sscard train / shell / test / data validate     # every other rasa command

It takes exactly Rasa's arguments. Starting through it is what guarantees that the fixes
(rasa_fixes/) apply whatever the channels and the command, and that the installed Rasa is
the version they were written for. A command that serves or tests a model checks the
model's recorded checksum before anything starts: Rasa itself logs a model that fails to
load and goes on serving without one.
"""

import sys
from pathlib import Path
from typing import List, Optional

import rasa_fixes
from rasa_fixes.model_checksum import ModelChecksumError, verify
from rasa_fixes.versions import UnsupportedVersion

COMMANDS_WITH_A_MODEL = ("run", "shell", "test", "interactive")
DEFAULT_MODELS = "models"


def model_to_serve(argv: List[str]) -> Optional[Path]:
    """The model archive a Rasa command line will load, if it loads one."""
    if not argv or argv[0] not in COMMANDS_WITH_A_MODEL or argv[:2] == ["run", "actions"]:
        return None
    given = DEFAULT_MODELS
    for flag in ("--model", "-m"):
        if flag in argv[:-1]:
            given = argv[argv.index(flag) + 1]
    for argument in argv:
        if argument.startswith("--model="):
            given = argument.split("=", 1)[1]
    path = Path(given)
    if path.is_dir():
        archives = sorted(path.glob("*.tar.gz"), key=lambda archive: archive.stat().st_mtime)
        return archives[-1] if archives else None
    return path if path.is_file() else None


def main() -> None:
    try:
        rasa_fixes.install(announce=True)
        model = model_to_serve(sys.argv[1:])
        if model is not None:
            verify(model)
    except (UnsupportedVersion, ModelChecksumError) as error:
        sys.exit(f"sscard: {error}")
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
