# Rasa server of the scale-out profile, with the spaCy pipeline and the model built in.
# Build from the repository root (deploy/docker-compose.yml does this):
#   docker build -f deploy/docker/rasa.Dockerfile -t sscard-rasa .
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

# The same quiet, reproducible defaults as scripts/environment.sh.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PYTHONWARNINGS=ignore::DeprecationWarning

# /app is also where Rasa's Helm chart mounts endpoints.yml and credentials.yml.
WORKDIR /app

# Pinned runtime dependencies first, so this layer is reused while only the project changes.
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --no-cache-dir pip==24.0 \
 && pip install --no-cache-dir -r requirements/runtime.lock
COPY --from=wheel /dist/ /tmp/dist/
RUN pip install --no-cache-dir --no-deps /tmp/dist/*.whl && rm -rf /tmp/dist

# What training reads, then as `make train` does: the spaCy pipeline from the knowledge
# module and the model (packaged with its pipeline and its recorded checksum).
COPY config.yml domain.yml credentials.yml ./
COPY data/ data/
# Only the cluster's endpoints and channels from deploy/: a deploy/.env with real passwords
# must not end up in the image.
COPY deploy/endpoints.cluster.yml deploy/credentials.cluster.yml deploy/
RUN python -m spacy_pipeline.build build/spacy_pipeline \
 && sscard train --fixed-model-name sscard --out models \
 && rm -rf .rasa build

RUN useradd --uid 1001 --create-home --shell /usr/sbin/nologin sscard
USER 1001

EXPOSE 5005

# The REST channel's health route: the server is up and its channels are mounted.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/webhooks/rest/', timeout=4)"]

# The channels: BASE_CREDENTIALS (the cluster's webhooks, as `make run-cluster`; credentials.yml
# adds the widget's socket.io, for an instance with one Sanic worker) plus every platform whose
# variables are set. Then Rasa, through the project's launcher, with the cluster endpoints
# (PostgreSQL, Redis lock store, action server: all read from environment variables).
ENV BASE_CREDENTIALS=deploy/credentials.cluster.yml
CMD ["/bin/sh", "-c", "python -m channels.platforms \"$BASE_CREDENTIALS\" > /tmp/credentials.yml && exec sscard run --model models/sscard.tar.gz --endpoints deploy/endpoints.cluster.yml --credentials /tmp/credentials.yml --interface 0.0.0.0 --port 5005"]
