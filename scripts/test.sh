#!/usr/bin/env bash
# Sets up and runs the whole test suite on real PostgreSQL and a real browser.
source "$(dirname "$0")/setup.sh"
need_system_packages
need_test_tools
export DJANGO_ALLOW_ASYNC_UNSAFE=true
.venv/bin/python manage.py check
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Model changes without a migration: run manage.py makemigrations" >&2; exit 1; }
exec .venv/bin/python -m pytest "$@"
