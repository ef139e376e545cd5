# Samtalestøtte — `make run` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.10 that really runs (a pyenv shim may exist without a 3.10 selected).
PYTHON310 ?= $(shell for p in "$$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo "$$p"; break; }; done)
VENV      := .venv
PY        := $(VENV)/bin/python
# Rasa's command line with our fixes for Rasa 3.6 applied (bot/rasa_fixes.py).
RASA      := $(PY) -m bot.rasa_cli
MODEL     := models/samtalestotte.tar.gz

# Embedded defaults; every one can be overridden from the environment (production profile: configuration only).
export RASA_PORT            ?= 5005
export ACTIONS_PORT         ?= 5055
export WEB_PORT             ?= 8080
export ACTION_ENDPOINT_URL  ?= http://localhost:$(ACTIONS_PORT)/webhook
export TRACKER_DB_DIALECT   ?= sqlite
export TRACKER_DB_HOST      ?=
export TRACKER_DB           ?= var/tracker.db
export TRACKER_DB_USER      ?=
export TRACKER_DB_PASSWORD  ?=
export LOCK_STORE_TYPE      ?= in_memory
export LOCK_STORE_HOST      ?=
export LOCK_STORE_PORT      ?= 6379
export LOCK_STORE_DB        ?= 1
export LOCK_STORE_PASSWORD  ?=
export SAMTALE_CORS_ORIGINS ?= *
export NB_MODEL_WHEELHOUSE  ?= $(abspath ../shared/wheelhouse)
# Rasa and TensorFlow are chatty on start; these keep the output readable and send no telemetry.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL   := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

# data/safety/ holds the crisis detector's corpus, which each process learns from at start, not Rasa's model.
RASA_DATA := $(shell find data bot/domain -name '*.yml' -not -path 'data/safety/*' 2>/dev/null) bot/config.yml
CONTENT   := $(shell find content -type f 2>/dev/null)
PY_SRC    := $(shell find bot actions -name '*.py' 2>/dev/null)
WEB_SRC   := $(shell find web/src web/demo -type f 2>/dev/null) web/build.mjs
WEB_DEPS  := web/node_modules/.package-lock.json
WIDGET    := web/dist/samtale-chat.js
E2E_RASA_PORT    ?= 5305
E2E_ACTIONS_PORT ?= 5355
BENCH_ARGS       ?=

.PHONY: crisis-figures calibrate-crisis test-fast prod-deps run-prod test-prod load-services widget chromium test-web test-web-e2e purge help install run chat test lint validate load-content train test-unit test-stories test-integration crossval clean bench

help:
	@echo "make run    installer det som mangler, tren ved behov, start assistenten og demosiden"
	@echo "make test   samme installasjon, deretter alle tester"
	@echo "make chat   samtale i terminalen   |   make crossval   5-delt kryssvalidering av NLU"
	@echo "make test-fast  lint og enhetstester   |   make crisis-figures  krisegjenkjenning, utvikling og blindsett"
	@echo "make bench  måling mot Rasas standardassistent (ca. 13 min, på en rolig maskin)"

# --- install ---------------------------------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON310)" || { echo "Fant ikke Python 3.10. Installer den, eller sett PYTHON310=/sti/til/python3.10."; exit 1; }
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip<25"
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(PY) -m bot.install_model
	@touch $@

install: $(VENV)/.installed

# --- content and model --------------------------------------------------------------------------------------------
var/content.stamp: $(VENV)/.installed $(CONTENT) $(PY_SRC)
	@mkdir -p var
	$(PY) -m bot.content load
	@touch $@

load-content: var/content.stamp

var/services.stamp: $(VENV)/.installed $(CONTENT) $(PY_SRC)
	@mkdir -p var
	$(PY) -m bot.services load
	@touch $@

load-services: var/services.stamp

bot/domain/faq_responses.yml: $(VENV)/.installed $(CONTENT)
	$(PY) -m bot.content faq-domain

$(MODEL): $(VENV)/.installed $(RASA_DATA) bot/domain/faq_responses.yml $(wildcard bot/components/*.py)
	$(RASA) train --config bot/config.yml --domain bot/domain --data data --out models \
		--fixed-model-name samtalestotte --quiet

train: $(MODEL)

# --- widget ---------------------------------------------------------------------------------------------------------
$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

$(WIDGET): $(WEB_DEPS) $(WEB_SRC)
	cd web && npm run --silent build

widget: $(WIDGET)

# Browser tests use Debian's Chromium (no browser downloads); CI runs as root and installs it here.
chromium:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "Installer Chromium: sudo apt-get install chromium"; exit 1; fi; }

# --- run ------------------------------------------------------------------------------------------------------------
run: $(MODEL) var/content.stamp var/services.stamp $(WIDGET)
	$(PY) -m bot.serve --model $(MODEL)

chat: $(MODEL) var/content.stamp var/services.stamp
	$(PY) -m bot.chat --model $(MODEL)

# --- checks ---------------------------------------------------------------------------------------------------------
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check bot actions tests bench

validate: $(VENV)/.installed bot/domain/faq_responses.yml
	$(PY) -m bot.content validate
	$(PY) -m bot.services validate
	$(PY) -m bot.content faq-domain --check
	$(RASA) data validate --config bot/config.yml --domain bot/domain --data data

test-unit: var/content.stamp
	$(VENV)/bin/pytest -q --ignore=tests/integration --ignore=tests/prod

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --endpoints bot/endpoints.yml \
		--out results/stories --fail-on-prediction-errors

test-integration: $(MODEL) var/content.stamp var/services.stamp
	$(VENV)/bin/pytest -q tests/integration

test-web: $(WIDGET) chromium
	cd web && CI=true npm test --silent -- tests/unit tests/component

# The widget against the real assistant: start it on spare ports, run the end-to-end specs, stop it.
test-web-e2e: $(MODEL) var/content.stamp var/services.stamp $(WIDGET) chromium
	@mkdir -p results; \
	RASA_PORT=$(E2E_RASA_PORT) ACTIONS_PORT=$(E2E_ACTIONS_PORT) TRACKER_DB=var/e2e-tracker.db \
		$(PY) -m bot.serve --no-web --model $(MODEL) > results/e2e-serve.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid' EXIT; \
	for i in $$(seq 1 150); do \
		curl -sf http://localhost:$(E2E_RASA_PORT)/webhooks/socketio/ >/dev/null && break; \
		kill -0 $$pid 2>/dev/null || { cat results/e2e-serve.log; exit 1; }; sleep 2; done; \
	cd web && SAMTALE_RASA_URL=http://localhost:$(E2E_RASA_PORT) CI=true npx playwright test tests/e2e

# --- benchmark ------------------------------------------------------------------------------------------------------
# Ours and Rasa's stock `rasa init` assistant, trained and served here: latency, msgs/s, peak RSS, start-up and
# training time -> results/bench/. It trains its own model (var/bench/); BENCH_ARGS="--quick" for a smoke run.
bench: $(VENV)/.installed var/content.stamp var/services.stamp
	$(PY) -m bench $(BENCH_ARGS)

# --- production profile on one machine (PostgreSQL, Redis, 2 Rasa processes behind nginx) -----------------------
prod-deps:
	@missing=""; ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
		else echo "Mangler / missing:$$missing. Installer: sudo apt-get install$$missing"; exit 1; fi; \
	fi

run-prod: prod-deps $(MODEL)
	$(PY) -m bot.prod.stack --model $(MODEL)

test-prod: prod-deps $(MODEL)
	$(VENV)/bin/pytest -q tests/prod

# Crisis detection on the development cases and on the blind held-out set, side by side (bot/safety/evaluate.py).
crisis-figures: $(VENV)/.installed
	$(PY) -m bot.safety.evaluate

# The learned crisis detector's threshold, set for recall on out-of-fold scores of the development corpus.
calibrate-crisis: $(VENV)/.installed
	$(PY) -m bot.safety.crisis_model calibrate

# For your own loop: lint and the unit tests (no trained model, no servers).
test-fast: lint test-unit

test: lint validate test-unit crisis-figures test-stories test-integration test-prod test-web test-web-e2e

# Rasa shuffles the folds with NumPy's global generator; a fixed seed makes each run score the same folds.
crossval: $(VENV)/.installed bot/domain/faq_responses.yml
	SAMTALE_RANDOM_SEED=2026 $(RASA) test nlu --config bot/config.yml --nlu data/nlu --cross-validation --folds 5 \
		--out results/crossval
	$(PY) -c "import json; r=json.load(open('results/crossval/intent_report.json')); \
		print('Intent macro-F1 (5-fold):', round(r['macro avg']['f1-score'], 3))"

purge: $(VENV)/.installed
	$(PY) -m bot.privacy.retention

clean:
	rm -rf models results var .pytest_cache
