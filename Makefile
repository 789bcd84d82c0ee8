# Two commands matter: `make run` and `make test`. Everything else is a step of those or a tool.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)
NODE_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json | md5sum | cut -c1-12)

.PHONY: run test lint bench package zcli-server setup clean sdk

setup: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

$(NODE_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-* && touch $@

run: setup sdk
	$(PY) -m scripts.run

test: setup lint sdk
	node --test tests/app/
	$(PY) -m pytest

lint: $(PY_STAMP)
	$(PY) -m ruff check .

# The ZAF SDK bundled from npm for the browser tests and offline runs (sandbox/ticket_page).
sdk: var/zaf_sdk.js

var/zaf_sdk.js: scripts/build_sdk.mjs $(NODE_STAMP)
	node scripts/build_sdk.mjs

bench: setup
	$(PY) -m bench

# The zip whitelists BACKEND_HOST only: no default, a loopback one would fail every lookup once uploaded.
ifneq ($(filter package,$(MAKECMDGOALS)),)
ifeq ($(strip $(BACKEND_HOST)),)
$(error make package needs BACKEND_HOST, the backend's public host name: make package BACKEND_HOST=lc.example.com)
endif
endif
package: $(PY_STAMP) $(NODE_STAMP)
	$(PY) -m apptools package --backend-host $(BACKEND_HOST) --out dist

# A build for this machine only (zcli apps:server): BACKEND_HOST defaults to 127.0.0.1 here.
zcli-server: $(PY_STAMP) $(NODE_STAMP)
	$(PY) -m apptools package --backend-host $(or $(BACKEND_HOST),127.0.0.1) --allow-loopback --out dist
	$(PY) -m apptools zcli-server --app dist/app

clean:
	rm -rf var dist
