#!/usr/bin/env bash
# Start the action server and Rasa in the foreground; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/environment.sh

RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
mkdir -p var
# The always-on channels of credentials.yml plus every platform whose variables are set.
python -m channels.platforms credentials.yml > var/credentials.yml
# endpoints.yml, plus the action server's shared secret when ACTION_SERVER_SECRET is set.
python -m scripts.endpoints endpoints.yml > var/endpoints.yml
# Rasa's HTTP API (trackers, model, ...) stays off unless a token is given for it.
api=()
if [ -n "${RASA_API_TOKEN:-}" ]; then api=(--enable-api --auth-token "$RASA_API_TOKEN"); fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

sscard run actions --actions actions --port "$ACTION_PORT" &
pids+=($!)
sscard run --model models/sscard.tar.gz --endpoints var/endpoints.yml \
  --credentials var/credentials.yml --port "$RASA_PORT" --interface 127.0.0.1 "${api[@]}" &
pids+=($!)
# The chat page and its widget, served from web/ (no CDN).
python -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory web >var/web.log 2>&1 &
pids+=($!)

python -m scripts.wait_ready "http://127.0.0.1:$RASA_PORT/webhooks/rest/" "http://127.0.0.1:$ACTION_PORT/health" \
  && cat <<MSG

  The assistant is up.
    Chat page:     http://127.0.0.1:$WEB_PORT/
    REST webhook:  http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook
    Agent console: http://127.0.0.1:$RASA_PORT/webhooks/console/   (agents: make agent NAME=...)
    Try:  curl -s -X POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
            -H 'Content-Type: application/json' -d '{"sender": "me", "message": "What do I need to bring?"}'
  Ctrl-C stops everything.

MSG
# Stop everything as soon as either server exits.
wait -n
