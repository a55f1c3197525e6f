#!/usr/bin/env bash
# Sets up and runs the portal on http://127.0.0.1:8000 with demo accounts for every role.
source "$(dirname "$0")/setup.sh"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
echo
echo "Portal: http://127.0.0.1:8000/   (Ctrl-C to stop)"
exec .venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
