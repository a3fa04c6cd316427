"""Who may use the agent console: each agent's name and a hash of their secret.

    python -m operators.agents add li        # asks for li's secret (twice)
    python -m operators.agents remove li

The file is SSCARD_AGENTS_FILE (default var/agents.yml, outside the repository). It
holds scrypt hashes, never a secret itself: reading the file does not let anyone log in.
"""

import argparse
import getpass
import hashlib
import hmac
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Dict, Optional

import yaml

AGENTS_VARIABLE = "SSCARD_AGENTS_FILE"
DEFAULT_AGENTS_FILE = Path("var/agents.yml")
AGENT_NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,32}$")
MIN_SECRET_LENGTH = 12
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def agents_file() -> Path:
    return Path(os.environ.get(AGENTS_VARIABLE) or DEFAULT_AGENTS_FILE)


def hash_secret(secret: str, salt: Optional[bytes] = None) -> str:
    """`scrypt$<salt hex>$<hash hex>` of a secret."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def secret_matches(secret: str, stored: str) -> bool:
    """Whether `secret` is the one `stored` (a `hash_secret` value) was made from."""
    try:
        scheme, salt, _ = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return hmac.compare_digest(hash_secret(secret, bytes.fromhex(salt)), stored)


def read_agents(path: Optional[Path] = None) -> Dict[str, str]:
    """Agent name -> secret hash; empty when the file does not exist."""
    path = Path(path or agents_file())
    if not path.is_file():
        return {}
    agents = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name): str(stored) for name, stored in agents.items()}


def set_agent(path: Path, name: str, secret: str) -> None:
    """Add an agent, or give one a new secret."""
    if not AGENT_NAME.match(name):
        raise ValueError("an agent name is 1-32 letters, digits, Chinese characters, _ . -")
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"a secret has at least {MIN_SECRET_LENGTH} characters")
    agents = read_agents(path)
    agents[name] = hash_secret(secret)
    _write(path, agents)


def remove_agent(path: Path, name: str) -> bool:
    agents = read_agents(path)
    if agents.pop(name, None) is None:
        return False
    _write(path, agents)
    return True


def _write(path: Path, agents: Dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(yaml.safe_dump(agents, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["add", "remove"])
    parser.add_argument("name")
    args = parser.parse_args()
    path = agents_file()
    if args.command == "remove":
        sys.exit(0 if remove_agent(path, args.name) else f"{args.name}: no such agent in {path}")
    secret = getpass.getpass(f"Secret for {args.name}: ")
    if getpass.getpass("Again: ") != secret:
        sys.exit("the two secrets differ")
    try:
        set_agent(path, args.name, secret)
    except ValueError as error:
        sys.exit(str(error))
    print(f"{args.name} can log in to the agent console ({path})")


if __name__ == "__main__":
    main()
