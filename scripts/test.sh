#!/usr/bin/env bash
# Sets up and runs the whole test suite on real PostgreSQL and a real browser.
source "$(dirname "$0")/setup.sh"
need_system_packages
need_test_tools
export DJANGO_ALLOW_ASYNC_UNSAFE=true
.venv/bin/python manage.py check
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Model changes without a migration: run manage.py makemigrations" >&2; exit 1; }
# The suite runs on TEST_WORKERS processes (pytest-xdist, default 2: the machine's cores; each has its own test
# database, chromium and live server; docs/decisions.md). A run that chooses for itself (-n, --dist, -p no:xdist)
# keeps its choice: `bash scripts/test.sh tests/x/test_y.py -n 0` runs one file in this process.
parallel=(-n "${TEST_WORKERS:-2}" --dist loadgroup)
for arg in "$@"; do
  case "$arg" in -n*|--numprocesses*|--dist*|no:xdist|-pno:xdist) parallel=() ;; esac
done
exec .venv/bin/python -m pytest "${parallel[@]}" "$@"
