#!/usr/bin/env bash
# Sets up and runs the portal on http://127.0.0.1:8000 with demo accounts for every role.
source "$(dirname "$0")/setup.sh"
# The demo runs with DEBUG on (tracebacks, the URL list on a 404): for this machine only. The portal's
# default is off; a served instance refuses DEBUG (qinshui_station/settings.py).
export DEBUG=1
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
echo
echo "Portal: http://127.0.0.1:8000/   (Ctrl-C to stop)"
echo "DEBUG=1: the demo shows tracebacks. Never expose it to other machines; a deployment leaves DEBUG off."
exec .venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
