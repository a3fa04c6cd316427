# Action server of the scale-out profile (answers from the knowledge module).
# Build from the repository root (deploy/docker-compose.yml does this):
#   docker build -f deploy/docker/actions.Dockerfile -t sscard-actions .
FROM python:3.10-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONWARNINGS=ignore::DeprecationWarning

WORKDIR /app

# The same lock file as the Rasa image: rasa (for `rasa run actions`), rasa-sdk, pydantic,
# rapidfuzz, wordfreq and PyYAML for the knowledge module.
COPY requirements.lock ./
RUN pip install --no-cache-dir pip==24.0 \
 && pip install --no-cache-dir -r requirements.lock

# The actions import only the knowledge module (not channels/).
COPY pyproject.toml ./
COPY actions/ actions/
COPY knowledge/ knowledge/
RUN pip install --no-cache-dir --no-deps . \
 && rm -rf build ./*.egg-info

RUN useradd --uid 1001 --create-home --shell /usr/sbin/nologin sscard
USER 1001

EXPOSE 5055

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]

CMD ["rasa", "run", "actions", "--actions", "actions", "--port", "5055"]
