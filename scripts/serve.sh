#!/usr/bin/env bash
# Sets up and runs the portal on http://127.0.0.1:8000 with demo accounts for every role, and the background
# worker beside it (e-mail delivery, reminders: docs/reminders.md). Ctrl-C stops both.
source "$(dirname "$0")/setup.sh"
# The demo runs with DEBUG on (tracebacks, the URL list on a 404): for this machine only. The portal's
# default is off; a served instance refuses DEBUG (qinshui_station/settings.py).
export DEBUG=1
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
echo
echo "Portal: http://${PORT:-127.0.0.1:8000}/   (Ctrl-C to stop the portal and its worker)"
echo "DEBUG=1: the demo shows tracebacks. Never expose it to other machines; a deployment leaves DEBUG off."
.venv/bin/python manage.py run_worker &
WORKER=$!
.venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}" &
WEB=$!
stop() { trap - INT TERM EXIT; kill -TERM "$WEB" "$WORKER" 2>/dev/null || true; wait "$WEB" "$WORKER" 2>/dev/null || true; }
trap stop INT TERM EXIT
# Either one ending ends both.
wait -n "$WEB" "$WORKER" || true
