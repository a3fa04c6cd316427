"""Compose Rasa's credentials: the always-on channels plus every platform that is configured.

    python -m channels.platforms credentials.yml > var/credentials.yml

A platform is on when all its required environment variables (channels/platforms.yml)
are set; a platform with some but not all of them set is an error, named, so that a
typo does not silently leave a channel off.
"""

import os
import sys
from pathlib import Path
from typing import Any, Dict, Mapping

import yaml

PLATFORMS = Path(__file__).with_name("platforms.yml")


class PlatformConfigError(ValueError):
    pass


def platform_credentials(environ: Mapping[str, str]) -> Dict[str, Dict[str, Any]]:
    """Connector name -> credentials for each platform whose variables are all set."""
    enabled = {}
    for platform, spec in yaml.safe_load(PLATFORMS.read_text(encoding="utf-8")).items():
        required = spec["required"]
        present = {key: environ.get(var) for key, var in required.items() if environ.get(var)}
        if not present:
            continue
        if len(present) < len(required):
            missing = sorted(var for key, var in required.items() if key not in present)
            raise PlatformConfigError(
                f"{platform}: set {', '.join(missing)} too, or none of its variables"
            )
        optional = {
            key: environ[var] for key, var in spec.get("optional", {}).items() if environ.get(var)
        }
        enabled[spec["connector"]] = {**present, **optional}
    return enabled


def compose(base: Path, environ: Mapping[str, str]) -> Dict[str, Any]:
    credentials = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    credentials.update(platform_credentials(environ))
    return credentials


if __name__ == "__main__":
    try:
        composed = compose(
            Path(sys.argv[1] if len(sys.argv) > 1 else "credentials.yml"), os.environ
        )
    except PlatformConfigError as error:
        sys.exit(f"channel configuration: {error}")
    yaml.safe_dump(composed, sys.stdout, sort_keys=False)
