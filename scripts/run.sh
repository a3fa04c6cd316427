#!/usr/bin/env bash
# Start the action server and Rasa in the foreground; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/environment.sh

RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
mkdir -p var

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

rasa run actions --actions actions --port "$ACTION_PORT" &
pids+=($!)
rasa run --model models/sscard.tar.gz --endpoints endpoints.yml \
  --credentials credentials.yml --port "$RASA_PORT" --interface 127.0.0.1 &
pids+=($!)

python -m scripts.wait_ready "http://127.0.0.1:$RASA_PORT/webhooks/rest/" "http://127.0.0.1:$ACTION_PORT/health" \
  && cat <<MSG

  The assistant is up.
    REST webhook:  http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook
    Try:  curl -s -X POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
            -H 'Content-Type: application/json' -d '{"sender": "me", "message": "What do I need to bring?"}'
  Ctrl-C stops everything.

MSG
# Stop everything as soon as either server exits.
wait -n
