"""Write the runtime and development locks from what is installed in the virtual environment.

    python -m scripts.lock        (make lock: after installing requirements/*.txt)

requirements/runtime.txt and requirements/dev.txt name the project's direct dependencies.
Each lock pins the whole set of installed distributions that its roots need (their
requirements, followed transitively with extras and environment markers); the
development lock holds only what the runtime lock does not. Images install the runtime
lock alone.
"""

import re
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def roots(path: Path) -> List[Requirement]:
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def closure(requirements: Iterable[Requirement]) -> Dict[str, str]:
    """Canonical name -> 'Name==version' for the requirements and all they need."""
    pinned: Dict[str, str] = {}
    pending: List[Tuple[Requirement, Set[str]]] = [(r, set(r.extras)) for r in requirements]
    seen: Set[Tuple[str, frozenset]] = set()
    while pending:
        requirement, extras = pending.pop()
        key = (canonical(requirement.name), frozenset(extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            sys.exit(f"{requirement.name} is required but not installed: run `make venv` first")
        pinned[canonical(dist.metadata["Name"])] = f"{dist.metadata['Name']}=={dist.version}"
        for line in dist.requires or []:
            needed = Requirement(line)
            environment = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if needed.marker is None or any(needed.marker.evaluate(env) for env in environment):
                pending.append((needed, set(needed.extras)))
    return pinned


def write(path: Path, header: str, pins: Iterable[str]) -> None:
    path.write_text(
        header + "".join(f"{pin}\n" for pin in sorted(pins, key=str.lower)), encoding="utf-8"
    )


def main() -> None:
    runtime = closure(roots(REQUIREMENTS / "runtime.txt"))
    dev = closure(roots(REQUIREMENTS / "dev.txt"))
    write(
        REQUIREMENTS / "runtime.lock",
        "# Every package the assistant needs to run, pinned (scripts/lock.py). Images install this alone.\n",
        runtime.values(),
    )
    write(
        REQUIREMENTS / "dev.lock",
        "# Tests, lint, type check, benchmark and data generation: installed on top of runtime.lock.\n",
        [pin for name, pin in dev.items() if name not in runtime],
    )
    print(
        f"requirements/runtime.lock: {len(runtime)} packages; "
        f"requirements/dev.lock: {len(set(dev) - set(runtime))} more"
    )


if __name__ == "__main__":
    main()
