"""Wait until every URL given answers 200, or fail after a timeout.

python -m scripts.wait_ready URL [URL ...] [--timeout SECONDS]
"""

import argparse
import sys
import time
import urllib.error
import urllib.request


def wait_ready(urls, timeout: float = 180.0) -> bool:
    deadline = time.monotonic() + timeout
    pending = list(urls)
    while pending and time.monotonic() < deadline:
        url = pending[0]
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    pending.pop(0)
                    continue
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.3)
    return not pending


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()
    if not wait_ready(args.urls, args.timeout):
        print(f"not ready after {args.timeout:.0f}s: {' '.join(args.urls)}", file=sys.stderr)
        sys.exit(1)
