# `make` or `make help` lists the targets. Every target is a thin wrapper over a script.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: help bootstrap demo test lint ci bench bench-here bench-pdf font

help: ## show this help
	@awk 'BEGIN {FS = ":.*?## "} /^[a-zA-Z0-9_-]+:.*?## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

bootstrap: ## create .venv, install Python deps and Debian libs (idempotent)
	bash scripts/bootstrap.sh

demo: ## migrate, seed the demo district and serve http://127.0.0.1:8000
	bash scripts/demo.sh

test: ## ruff + the whole pytest suite on SQLite (make test ARGS="-k pdf")
	bash scripts/test.sh $(ARGS)

lint: ## ruff check and ruff format --check
	@bash scripts/bootstrap.sh >/dev/null
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

ci: ## what CI runs: tests on SQLite, then on a throwaway PostgreSQL 15
	bash .ci/run

bench: ## district data sets on SQLite + a throwaway PostgreSQL, then the harness (BENCH_SIZES="40000 400000")
	bash .ci/run bench

bench-here: ## the harness against DATABASE_URL only (seed it first: manage.py seed_demo --scale district)
	@bash scripts/bootstrap.sh >/dev/null
	$(PY) -m benchmarks $(ARGS)

bench-pdf: ## time PDF generation (scripts/bench_pdf.py)
	@bash scripts/bootstrap.sh >/dev/null
	$(PY) scripts/bench_pdf.py

font: ## rebuild the vendored CJK font subset (scripts/build_font.py)
	@bash scripts/bootstrap.sh >/dev/null
	$(PY) scripts/build_font.py

probe: ## attack a fresh demo district: scoping leaks, masking, bad input, lost updates (scripts/probe_trust.py)
	@bash scripts/bootstrap.sh --test >/dev/null
	$(PY) scripts/probe_trust.py $(ARGS)
