# The project's commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
STAMP := $(VENV)/.installed
MODEL := models/sscard.tar.gz
SPACY_PIPELINE := build/spacy_pipeline/meta.json
ENV := source scripts/environment.sh &&
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/*.yml)

.PHONY: help venv spacy train run run-cluster test test-unit test-data test-nlu test-stories test-e2e \
	test-channels test-browser test-cluster bench lock clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@python_bin=$$(scripts/find_python.sh) && echo "Creating $(VENV) with $$python_bin" && \
	  "$$python_bin" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip==24.0
	@echo "Installing pinned dependencies (Rasa is large: a few minutes on first run)..."
	$(VENV)/bin/pip install --quiet --progress-bar off -r requirements.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP) ## Create the virtual environment with the pinned dependencies

$(SPACY_PIPELINE): $(STAMP) knowledge/data/regions.yml knowledge/data/vocabulary.yml $(wildcard spacy_pipeline/*.py)
	$(ENV) python -m spacy_pipeline.build build/spacy_pipeline

spacy: $(SPACY_PIPELINE) ## Build the project's spaCy pipeline from the knowledge module

$(MODEL): $(STAMP) $(SPACY_PIPELINE) $(TRAINING_INPUTS)
	$(ENV) rasa train --fixed-model-name sscard --out models

train: $(MODEL) ## Train the model if it is missing or older than its inputs

run: $(MODEL) ## Start the assistant (chat page on :8080, webhooks on :5005) in the foreground
	scripts/run.sh

run-cluster: $(MODEL) ## Start the scale-out profile (nginx, 2 Rasa x 2 workers, PostgreSQL, Redis)
	$(ENV) python -m scripts.cluster

test: test-unit test-data test-nlu test-stories test-e2e test-channels test-browser test-cluster ## Run every test

test-unit: $(SPACY_PIPELINE) ## Knowledge module, regions, spaCy pipeline, classifier, actions, stores, fixes to Rasa
	$(ENV) pytest -q tests/knowledge tests/actions tests/spacy_pipeline tests/components \
	  tests/channels/test_wechat_unit.py tests/channels/test_action_response.py \
	  tests/channels/test_event_types.py tests/channels/test_action_request.py \
	  tests/channels/test_gc_freeze.py tests/lock_store \
	  tests/tracker_store tests/bench

test-data: $(STAMP) ## rasa data validate, failing on any warning
	$(ENV) rasa data validate --fail-on-warnings

test-nlu: $(MODEL) ## Intent accuracy gates on the held-out English and Chinese test sets
	$(ENV) pytest -q tests/nlu

test-stories: $(MODEL) ## rasa test on the test stories, failing on any prediction error
	$(ENV) rasa test core --stories tests/test_stories.yml --model $(MODEL) \
	  --fail-on-prediction-errors --out results/stories

test-e2e: $(MODEL) ## Converse with the real servers through the REST webhook; failures; restarts
	$(ENV) pytest -q tests/e2e

test-channels: $(MODEL) ## Every messaging platform and the callback webhook, with real payloads
	$(ENV) pytest -q tests/channels --deselect tests/channels/test_wechat_unit.py \
	  --deselect tests/channels/test_action_response.py --deselect tests/channels/test_event_types.py \
	  --deselect tests/channels/test_action_request.py --deselect tests/channels/test_gc_freeze.py

test-browser: $(MODEL) ## The chat widget in headless Chromium (Debian's chromium)
	$(ENV) pytest -q tests/browser

test-cluster: $(MODEL) ## Scale-out profile: kill an instance under load, drop Redis and PostgreSQL
	$(ENV) pytest -q -s tests/cluster

bench: $(MODEL) ## Benchmark against Rasa's stock configuration; writes docs/benchmarks.md
	$(ENV) python -m bench.run

lock: ## Re-pin every transitive dependency from requirements.txt
	$(VENV)/bin/pip install -r requirements.txt
	$(VENV)/bin/pip freeze --exclude-editable | grep -v '^sscard-assistant' > requirements.lock

clean: ## Remove the trained model and the built spaCy pipeline
	rm -rf models build results
