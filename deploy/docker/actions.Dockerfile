# Action server of the scale-out profile (answers from the knowledge module).
# Build from the repository root (deploy/docker-compose.yml does this):
#   docker build -f deploy/docker/actions.Dockerfile -t sscard-actions .
# The project goes in as its wheel, with the runtime lock only: what tests/packaging checks.

FROM python:3.10-slim AS wheel
WORKDIR /src
COPY pyproject.toml ./
COPY actions/ actions/
COPY channels/ channels/
COPY components/ components/
COPY knowledge/ knowledge/
COPY lock_store/ lock_store/
COPY rasa_fixes/ rasa_fixes/
COPY rasa_sdk_plugins/ rasa_sdk_plugins/
COPY scripts/ scripts/
COPY spacy_pipeline/ spacy_pipeline/
COPY tracker_store/ tracker_store/
RUN pip install --no-cache-dir pip==24.0 && pip wheel --no-deps --wheel-dir /dist .

FROM python:3.10-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONWARNINGS=ignore::DeprecationWarning

WORKDIR /app

# The same runtime lock as the Rasa image: rasa (for `sscard run actions`), rasa-sdk and what
# the knowledge module needs. The wheel brings the actions, the knowledge data and the
# action server plugins (shared secret, knowledge validated at start-up).
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --no-cache-dir pip==24.0 \
 && pip install --no-cache-dir -r requirements/runtime.lock
COPY --from=wheel /dist/ /tmp/dist/
RUN pip install --no-cache-dir --no-deps /tmp/dist/*.whl && rm -rf /tmp/dist

RUN useradd --uid 1001 --create-home --shell /usr/sbin/nologin sscard
USER 1001

EXPOSE 5055

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]

CMD ["sscard", "run", "actions", "--actions", "actions", "--port", "5055"]
