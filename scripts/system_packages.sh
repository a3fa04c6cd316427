#!/usr/bin/env bash
# Make sure the Debian packages that a command starts are installed.
#   scripts/system_packages.sh test|run|run-cluster
# As root, installs the missing ones (apt-get); otherwise stops at once and prints the
# exact command that installs them. The list is scripts/system-packages.txt
# (SSCARD_SYSTEM_PACKAGES names another, as the tests do).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/system_packages.sh test|run|run-cluster}"
list="${SSCARD_SYSTEM_PACKAGES:-scripts/system-packages.txt}"

missing=()
while read -r package needed_by; do
  case "$package" in ''|'#'*) continue ;; esac
  for name in $needed_by; do
    if [ "$name" = "$target" ] && ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
done < "$list"

[ ${#missing[@]} -eq 0 ] && exit 0
command="apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make $target needs these Debian packages (or your system's equivalents): ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "make $target needs Debian packages that are not installed: ${missing[*]}" >&2
  echo "Install them, then run make $target again:" >&2
  echo "  sudo apt-get update && sudo $command" >&2
  exit 1
fi
echo "Installing the Debian packages that make $target starts: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
