#!/usr/bin/env bash
# The whole test suite in one command (from any directory):
#
#   bash scripts/test.sh                      # everything, on SQLite, including browser tests
#   bash scripts/test.sh -m "not browser"     # any pytest arguments are passed through
#   DATABASE_URL=postgres://... bash scripts/test.sh -m "not browser"
#
# bootstrap --test (.venv, Python deps, Pango/HarfBuzz, chromium, poppler-utils) -> ruff check and
# ruff format --check ->
# pytest. The exit code is pytest's, except that "no tests collected" (pytest exit 5) becomes 1, and
# a ruff failure makes an otherwise green run exit 1. SKIP_LINT=1 skips ruff (.ci/run's second run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/bootstrap.sh --test

# A lint failure fails the run, but pytest still runs so that one run reports both.
lint_rc=0
if [[ "${SKIP_LINT:-0}" == 1 ]]; then
    echo "==> ruff check skipped (SKIP_LINT=1)"
else
    echo "==> ruff check . && ruff format --check ."
    .venv/bin/ruff check . || lint_rc=$?
    .venv/bin/ruff format --check . || lint_rc=$?
fi

echo "==> pytest $*"
rc=0
.venv/bin/python -m pytest -p no:cacheprovider "$@" || rc=$?

if ((rc == 5)); then
    echo "test.sh: FAILED: pytest collected no tests (exit 5): check the paths/-k/-m arguments and testpaths in pyproject.toml." >&2
    rc=1
fi
if ((lint_rc != 0)); then
    echo "test.sh: FAILED: ruff check found problems (see above; .venv/bin/ruff check --fix . && .venv/bin/ruff format . fixes most)." >&2
    ((rc != 0)) || rc=1
fi
exit "$rc"
