# Samtalestøtte — `make run` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON310 ?= $(shell command -v python3.10 2>/dev/null || echo "$$(pyenv root 2>/dev/null)/versions/3.10.13/bin/python")
VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
MODEL     := models/samtalestotte.tar.gz

# Embedded defaults; every one can be overridden from the environment (production profile: configuration only).
export RASA_PORT            ?= 5005
export ACTIONS_PORT         ?= 5055
export WEB_PORT             ?= 8080
export ACTION_ENDPOINT_URL  ?= http://localhost:$(ACTIONS_PORT)/webhook
export TRACKER_DB_DIALECT   ?= sqlite
export TRACKER_DB_HOST      ?=
export TRACKER_DB           ?= var/tracker.db
export NB_MODEL_WHEELHOUSE  ?= $(abspath ../shared/wheelhouse)
# Rasa and TensorFlow are chatty on start; these keep the output readable and send no telemetry.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL   := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

RASA_DATA := $(shell find data bot/domain -name '*.yml' 2>/dev/null) bot/config.yml
CONTENT   := $(shell find content -type f 2>/dev/null)
PY_SRC    := $(shell find bot actions -name '*.py' 2>/dev/null)

.PHONY: purge help install run chat test lint validate load-content train test-unit test-stories test-integration crossval clean

help:
	@echo "make run    installer det som mangler, tren ved behov, start assistenten og demosiden"
	@echo "make test   samme installasjon, deretter alle tester"
	@echo "make chat   samtale i terminalen   |   make crossval   5-delt kryssvalidering av NLU"

# --- install ---------------------------------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	@test -x "$(PYTHON310)" || { echo "Fant ikke Python 3.10 ($(PYTHON310)). Sett PYTHON310=/sti/til/python3.10."; exit 1; }
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

bot/domain/faq_responses.yml: $(VENV)/.installed $(CONTENT)
	$(PY) -m bot.content faq-domain

$(MODEL): $(VENV)/.installed $(RASA_DATA) bot/domain/faq_responses.yml bot/components/safety_gate.py
	$(RASA) train --config bot/config.yml --domain bot/domain --data data --out models \
		--fixed-model-name samtalestotte --quiet

train: $(MODEL)

# --- run ------------------------------------------------------------------------------------------------------------
run: $(MODEL) var/content.stamp
	$(PY) -m bot.serve --model $(MODEL)

chat: $(MODEL) var/content.stamp
	$(PY) -m bot.chat --model $(MODEL)

# --- checks ---------------------------------------------------------------------------------------------------------
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check bot actions tests

validate: $(VENV)/.installed bot/domain/faq_responses.yml
	$(PY) -m bot.content validate
	$(PY) -m bot.content faq-domain --check
	$(RASA) data validate --config bot/config.yml --domain bot/domain --data data

test-unit: var/content.stamp
	$(VENV)/bin/pytest -q --ignore=tests/integration

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --endpoints bot/endpoints.yml \
		--out results/stories --fail-on-prediction-errors

test-integration: $(MODEL) var/content.stamp
	$(VENV)/bin/pytest -q tests/integration

test: lint validate test-unit test-stories test-integration

crossval: $(VENV)/.installed bot/domain/faq_responses.yml
	$(RASA) test nlu --config bot/config.yml --nlu data/nlu --cross-validation --folds 5 --out results/crossval
	$(PY) -c "import json; r=json.load(open('results/crossval/intent_report.json')); \
		print('Intent macro-F1 (5-fold):', round(r['macro avg']['f1-score'], 3))"

purge: $(VENV)/.installed
	$(PY) -m bot.privacy.retention

clean:
	rm -rf models results var .pytest_cache
