"""Compose endpoints.yml for a run: the file as written, with the action server's port
when ACTION_PORT moves it (as `make run` does) and its shared secret header when
ACTION_SERVER_SECRET is set.

    python -m scripts.endpoints endpoints.yml > var/endpoints.yml
"""

import os
import sys
from pathlib import Path
from typing import Any, Dict, Mapping
from urllib.parse import urlsplit, urlunsplit

import yaml

from rasa_sdk_plugins import SECRET_HEADER


def compose(base: Path, environ: Mapping[str, str]) -> Dict[str, Any]:
    endpoints = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    port = environ.get("ACTION_PORT")
    url = (endpoints.get("action_endpoint") or {}).get("url")
    if port and url:
        parts = urlsplit(url)
        netloc = f"{parts.hostname}:{int(port)}"
        endpoints["action_endpoint"]["url"] = urlunsplit(parts._replace(netloc=netloc))
    secret = environ.get("ACTION_SERVER_SECRET")
    if secret:
        action = endpoints.setdefault("action_endpoint", {})
        action.setdefault("headers", {})[SECRET_HEADER] = secret
    return endpoints


if __name__ == "__main__":
    yaml.safe_dump(
        compose(Path(sys.argv[1] if len(sys.argv) > 1 else "endpoints.yml"), os.environ),
        sys.stdout,
        sort_keys=False,
    )
