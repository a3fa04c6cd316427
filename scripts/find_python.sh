#!/usr/bin/env bash
# Print the path of a Python that Rasa 3.6 runs on (3.10, else 3.9 or 3.8), or explain how to get one.
set -euo pipefail
supported() { "$1" -c 'import sys; sys.exit(not ((3, 8) <= sys.version_info[:2] <= (3, 10)))' 2>/dev/null; }
candidates=("${PYTHON:-}" python3.10 python3.9 python3.8)
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
for minor in 10 9 8; do
  for dir in "$pyenv_root"/versions/3."$minor".*; do candidates+=("$dir/bin/python"); done
done
candidates+=(python3)
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null || true)
  if [ -n "$path" ] && supported "$path"; then echo "$path"; exit 0; fi
done
cat >&2 <<'MSG'
Rasa 3.6 needs Python 3.8, 3.9 or 3.10, and none was found.
Install one, then run make again, for example:
  pyenv install 3.10.13          (https://github.com/pyenv/pyenv)
  or: uv python install 3.10
or point the setup at one: make run PYTHON=/path/to/python3.10
MSG
exit 1
