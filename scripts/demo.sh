#!/usr/bin/env bash
# Local demo in one command:
#
#   bash scripts/demo.sh
#
# bootstrap (.venv, Python deps, Pango/HarfBuzz for PDFs) -> migrate (SQLite db.sqlite3 unless
# DATABASE_URL is set) -> seed_demo (demo district; prints one login per role) -> runserver on
# http://127.0.0.1:8000 (DEBUG on, so no collectstatic), with the background-job worker
# (manage.py jobs_worker: long prints, the Excel import) running beside it. Ctrl-C stops both.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DJANGO_SETTINGS_MODULE=liaison.settings_dev
export PYTHONUNBUFFERED=1
export DEMO_ADDR="${DEMO_ADDR:-127.0.0.1:8000}"
ADDR="$DEMO_ADDR"

step() { printf '\n==> %s\n' "$*"; }

step "bootstrap"
bash scripts/bootstrap.sh

step "manage.py migrate"
.venv/bin/python manage.py migrate --noinput

step "manage.py seed_demo"
.venv/bin/python manage.py seed_demo

step "jobs_worker  (background jobs: long prints, exports, the Excel import)"
.venv/bin/python manage.py jobs_worker --no-reload &
WORKER=$!
# The worker stops with the web server, however that ends (Ctrl-C, an error).
trap 'kill "$WORKER" 2>/dev/null; wait "$WORKER" 2>/dev/null || true' EXIT

step "runserver $ADDR  (Ctrl-C to stop; the login address is printed above)"
.venv/bin/python manage.py runserver "$ADDR"
