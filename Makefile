# The project's commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
STAMP := $(VENV)/.installed
MODEL := models/sscard.tar.gz
SPACY_PIPELINE := build/spacy_pipeline/meta.json
ENV := source scripts/environment.sh &&
# Everything a trained model depends on: the spaCy pipeline is built from the knowledge
# module's data and code and the tokenizer; the model from the configuration, the training
# data, the pipeline and the components' code.
PIPELINE_INPUTS := $(wildcard knowledge/data/*.yml knowledge/*.py spacy_pipeline/*.py)
MODEL_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') $(wildcard components/*.py)
PYTEST := $(ENV) pytest -q -p no:cacheprovider

.PHONY: help venv spacy train run run-cluster test lint typecheck test-unit test-data test-package \
	test-model test-nlu test-stories test-e2e test-channels test-browser test-cluster bench lock clean \
	regions pinyin-data knowledge-stats evaluate wechat-menu report purge forget agent screenshots \
	packages-test packages-run packages-run-cluster

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# Debian packages that a command starts (scripts/system-packages.txt): installed as root,
# otherwise the command stops at once and names the install command.
# (Explicit rules: make never applies a pattern rule to a .PHONY target.)
packages-test packages-run packages-run-cluster:
	@scripts/system_packages.sh $(@:packages-%=%)

$(STAMP): requirements/runtime.lock requirements/dev.lock pyproject.toml
	@python_bin=$$(scripts/find_python.sh) && echo "Creating $(VENV) with $$python_bin" && \
	  "$$python_bin" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip==24.0
	@echo "Installing pinned dependencies (Rasa is large: a few minutes on first run)..."
	$(VENV)/bin/pip install --quiet --progress-bar off -r requirements/runtime.lock -r requirements/dev.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP) ## Create the virtual environment with the pinned dependencies

$(SPACY_PIPELINE): $(STAMP) $(PIPELINE_INPUTS)
	$(ENV) python -m spacy_pipeline.build build/spacy_pipeline

spacy: $(SPACY_PIPELINE) ## Build the project's spaCy pipeline from the knowledge module

# `sscard` is Rasa's command line with the project's fixes (rasa_fixes/); training through
# it records the model's checksum, which every later load checks.
$(MODEL): $(STAMP) $(SPACY_PIPELINE) $(MODEL_INPUTS)
	$(ENV) sscard train --fixed-model-name sscard --out models

train: $(MODEL) ## Train the model if it is missing or older than anything it depends on

run: packages-run $(MODEL) ## Start the assistant (chat page on :8080, webhooks on :5005) in the foreground
	scripts/run.sh

run-cluster: packages-run-cluster $(MODEL) ## Start the scale-out profile (nginx, 2 Rasa x 2 workers, PostgreSQL, Redis)
	$(ENV) python -m scripts.cluster

wechat-menu: $(STAMP) ## Push channels/wechat_menu.yml as the Official Account's menu (WECHAT_APP_ID, WECHAT_APP_SECRET)
	$(ENV) python -m channels.wechat_menu

test: packages-test lint typecheck test-unit test-data test-package test-model test-nlu test-stories test-e2e \
	test-channels test-browser test-cluster ## Run every test, cheapest first

lint: $(STAMP) ## ruff: lint and format check
	$(ENV) ruff check . && ruff format --check .

typecheck: $(STAMP) ## mypy on the project's own packages
	$(ENV) mypy

test-unit: packages-test $(SPACY_PIPELINE) ## Knowledge, regions, pipeline, components, actions, stores, fixes to Rasa
	$(PYTEST) tests/knowledge tests/actions tests/spacy_pipeline tests/components tests/rasa_fixes \
	  tests/lock_store tests/tracker_store tests/channels/unit tests/bench tests/privacy tests/operators \
	  tests/scripts \
	  --ignore=tests/rasa_fixes/test_model_checksum.py

test-model: $(MODEL) ## The trained model: its recorded checksum, refusal of a changed or unrecorded one
	$(PYTEST) tests/rasa_fixes/test_model_checksum.py

test-data: $(STAMP) ## rasa data validate, failing on any warning
	$(ENV) sscard data validate --fail-on-warnings

test-package: $(STAMP) ## The wheel and the runtime lock in a clean environment, as the images install them
	$(PYTEST) tests/packaging

test-nlu: $(MODEL) ## Intent accuracy gates on the held-out English and Chinese test sets
	$(PYTEST) tests/nlu

test-stories: $(MODEL) ## rasa test on the test stories, failing on any prediction error
	$(ENV) sscard test core --stories tests/test_stories.yml --model $(MODEL) \
	  --fail-on-prediction-errors --out results/stories

test-e2e: $(MODEL) ## Converse with the real servers through the REST webhook; failures; restarts
	$(PYTEST) tests/e2e

test-channels: $(MODEL) ## Every messaging platform and the callback webhook, with real payloads
	$(PYTEST) tests/channels --ignore=tests/channels/unit

test-browser: packages-test $(MODEL) ## The widget, the agent console and the review page in headless Chromium
	$(PYTEST) tests/browser tests/review

test-cluster: packages-test $(MODEL) ## Scale-out profile: kill an instance under load, drop Redis and PostgreSQL
	$(PYTEST) -s tests/cluster

regions: $(STAMP) ## Regenerate the region directory from the pinned administrative-division dataset
	$(ENV) python -m scripts.regions.generate

pinyin-data: $(STAMP) ## Regenerate the pinyin training examples from the Chinese ones
	$(ENV) python -m scripts.augment_pinyin

knowledge-stats: $(STAMP) ## Print what the assistant knows: places by level, topics, facts by confidence
	$(ENV) python -m knowledge.stats

evaluate: $(MODEL) ## Understanding figures on the development sets (SETS=test for the test sets)
	$(ENV) python -m evaluation --sets $(or $(SETS),dev)

# The office's side (README "Operating it"): the review page, retention, agents.
ENDPOINTS ?= endpoints.yml

report: $(STAMP) ## Review page reports/conversations.html and reports/unanswered.csv (ENDPOINTS=... for the cluster)
	$(ENV) python -m review --endpoints $(ENDPOINTS) --out reports

purge: $(STAMP) ## Delete conversations, ratings and left messages older than retention_days
	$(ENV) python -m privacy.retention purge --endpoints $(ENDPOINTS)

forget: $(STAMP) ## Delete one person's conversation: make forget SENDER=<sender id>
	@test -n "$(SENDER)" || { echo "usage: make forget SENDER=<sender id>"; exit 2; }
	$(ENV) python -m privacy.retention forget "$(SENDER)" --endpoints $(ENDPOINTS)

agent: $(STAMP) ## Let an agent log in to the console, or give them a new secret: make agent NAME=li
	@test -n "$(NAME)" || { echo "usage: make agent NAME=<agent name>"; exit 2; }
	$(ENV) python -m operators.agents add "$(NAME)"

screenshots: packages-test $(MODEL) ## docs/console.png and docs/report.png, from the real pages in headless Chromium
	$(ENV) python -m scripts.screenshots docs

bench: $(MODEL) ## Benchmark against Rasa's stock configuration; writes docs/benchmarks.md
	$(ENV) python -m bench.run

lock: $(STAMP) ## Re-pin requirements/runtime.lock and dev.lock from requirements/*.txt
	$(VENV)/bin/pip install --quiet -r requirements/runtime.txt -r requirements/dev.txt
	$(ENV) python -m scripts.lock

clean: ## Remove the trained model and the built spaCy pipeline
	rm -rf models build results
