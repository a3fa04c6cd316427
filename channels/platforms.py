"""Compose Rasa's credentials: the always-on channels plus every platform that is configured.

    python -m channels.platforms credentials.yml > var/credentials.yml

A platform is on when all its required environment variables (channels/platforms.yml)
are set; a platform with some but not all of them set, or with an optional variable
without the ones it works with (WeChat's encrypted mode needs the AppID and the
EncodingAESKey), is an error, named, so that a typo does not silently leave a channel
off or half working.
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
    """Connector name -> credentials for each platform whose variables are all set.

    A platform with only some of its required variables set, with optional ones but no
    required ones, or with an optional variable that lacks what it `needs`, is an error
    naming what to set.
    """
    enabled = {}
    for platform, spec in yaml.safe_load(PLATFORMS.read_text(encoding="utf-8")).items():
        required = spec["required"]
        optional_vars = spec.get("optional", {})
        present = {key: environ.get(var) for key, var in required.items() if environ.get(var)}
        optional = {key: environ[var] for key, var in optional_vars.items() if environ.get(var)}
        if not present and not optional:
            continue
        if len(present) < len(required):
            missing = sorted(var for key, var in required.items() if key not in present)
            raise PlatformConfigError(
                f"{platform}: set {', '.join(missing)} too, or none of its variables"
            )
        for variable, alternatives in spec.get("needs", {}).items():
            if environ.get(variable) and not any(environ.get(other) for other in alternatives):
                raise PlatformConfigError(
                    f"{platform}: {variable} needs {' or '.join(alternatives)}: "
                    f"set it too, or unset {variable}"
                )
        shared = {
            key: environ[var] for key, var in spec.get("shared", {}).items() if environ.get(var)
        }
        enabled[spec["connector"]] = {**present, **optional, **shared}
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
