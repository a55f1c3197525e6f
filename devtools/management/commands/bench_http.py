"""``manage.py bench_http``: throughput of the main pages against a bare Django view, on loopback, under
gunicorn with production settings (DEBUG off, a generated SECRET_KEY, static files by WhiteNoise after
collectstatic, 2 workers), driven by ``wrk`` at 16 connections. docs/performance.md.

Run it on the large dataset (``seed_scale``): ``DATABASE_URL=… manage.py bench_http --seconds 10``."""

import http.cookies
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.client import HTTPConnection

from django.core.management.base import BaseCommand, CommandError

from devtools.management.commands.seed_scale import switch_database
from devtools.scale import PASSWORD

TARGETS = {"p99_ms": 150, "ratio": 0.25}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def sign_in(port: int, username: str, password: str) -> str:
    """A session cookie obtained through the login form, as a browser would."""
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    conn.request("POST", "/accounts/login/", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        "Cookie": f"csrftoken={cookies['csrftoken'].value}"})
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if response.status != 302 or "sessionid" not in cookies:
        raise CommandError(f"signing in as {username} failed (HTTP {response.status})")
    return f"sessionid={cookies['sessionid'].value}"


def run_wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)) else 0
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    requests_ = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": non2xx + socket_errors, "requests": requests_}


def page_targets(prefix: str) -> dict:
    """The pages measured on the seed_scale dataset: name → (path, username or None for anonymous)."""
    from applications.models import Application, Batch, Publicity
    from funding.models import Grant
    from qinshui_station.models import User
    from reviews.models import Assignment, Evaluation, EvaluationRound

    publicity = Publicity.objects.filter(batch__year__lt=2100).select_related("batch").order_by("-starts_on").first()
    round_ = EvaluationRound.objects.filter(state="open").order_by("-year").first()
    assignment = (Assignment.objects.filter(evaluation__round=round_, state="assigned",
                                            evaluation__state="submitted", expert__username__startswith=prefix)
                  .select_related("expert").order_by("pk").first())
    unit = User.objects.filter(username=f"{prefix}_unit0").first()
    batch = Batch.objects.order_by("-year").first()
    application = (Application.objects.filter(batch=batch, state="expert_review").order_by("pk").first()
                   if batch else None)
    evaluation = Evaluation.objects.filter(round=round_, state="submitted").order_by("pk").first() if round_ else None
    grant = (Grant.objects.filter(workstation__unit_id=unit.organization_id).order_by("pk").first()
             if unit else None)
    if not (publicity and round_ and assignment and unit and batch and application and evaluation and grant):
        raise CommandError("no large dataset here: run manage.py seed_scale first (or pass --database-url)")
    return {
        "bare view": ("/bench/bare/", None),
        "publicity": (f"/applications/publicity/{publicity.batch.year}/", None),
        "unit home": ("/home/", unit.username),
        "scoring form": (f"/reviews/assignments/{assignment.pk}/", assignment.expert.username),
        "HR round": (f"/reviews/rounds/{round_.pk}/", f"{prefix}_hr"),
        "county ledger": ("/funding/", f"{prefix}_finance"),
        "public stations": ("/public/workstations/", None),
        "HR batch": (f"/applications/batches/{batch.pk}/", f"{prefix}_hr"),
        "application": (f"/applications/{application.pk}/", f"{prefix}_hr"),
        "evaluation": (f"/reviews/evaluations/{evaluation.pk}/", f"{prefix}_hr"),
        "statement": (f"/funding/stations/{grant.workstation_id}/", unit.username),
        "audit log": ("/staff/audit/", f"{prefix}_hr"),
    }


class Command(BaseCommand):
    help = "Benchmark the main pages against a bare Django view under gunicorn (production settings) with wrk."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10, help="per target (bounded: 1–60)")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--prefix", default="scale", help="the seed_scale dataset's prefix")
        parser.add_argument("--database-url", help="run against this database")
        parser.add_argument("--static-ignore", action="append", default=[],
                            help="collectstatic --ignore pattern (e.g. a vendored file whose source map is missing)")

    def handle(self, *args, seconds, connections, workers, prefix, database_url, static_ignore, **options):
        switch_database(database_url, sys.argv)
        seconds = max(1, min(seconds, 60))
        if not shutil.which("wrk"):
            if os.geteuid() == 0 and shutil.which("apt-get"):
                subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
            else:
                raise CommandError("wrk is missing: install the Debian package (sudo apt-get install wrk)")
        targets = page_targets(prefix)
        static_root = tempfile.mkdtemp(prefix="qs-bench-static-")
        port = _free_port()
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
               "SECURE_SSL_REDIRECT": "0", "QS_BENCH_VIEW": "1", "STATIC_ROOT": static_root,
               "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"), "LOG_LEVEL": "ERROR"}
        ignore = [arg for pattern in static_ignore for arg in ("--ignore", pattern)]
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", *ignore], env=env, check=True)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "qinshui_station.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning"], env=env, start_new_session=True)
        try:
            self._wait(port)
            base = f"http://127.0.0.1:{port}"
            cookies = {}
            rows = []
            for name, (path, username) in targets.items():
                if username and username not in cookies:
                    cookies[username] = sign_in(port, username, PASSWORD)
                cookie = cookies.get(username, "")
                started = time.perf_counter()
                status = self._status(base + path, cookie)  # the first request renders the page (cold)
                cold_ms = (time.perf_counter() - started) * 1000
                result = run_wrk(base + path, cookie, seconds, connections)
                result["cold"] = cold_ms
                rows.append((name, path, status, result))
                self.stdout.write(f"  {name:<14} HTTP {status}  {result['rps']:8.1f} req/s")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            shutil.rmtree(static_root, ignore_errors=True)
        bare = next(r for n, _p, _s, r in rows if n == "bare view")["rps"]
        self.stdout.write(f"\nbench_http: gunicorn {workers} workers, wrk 16 connections × {seconds} s per target, "
                          f"{os.cpu_count()} CPUs")
        self.stdout.write(f"{'target':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6} "
                          f"{'cold ms':>8}  ok")
        failed = False
        for name, _path, status, r in rows:
            ratio = r["rps"] / bare
            ok = status == 200 and r["errors"] == 0 and r["p99"] < TARGETS["p99_ms"] and ratio >= TARGETS["ratio"]
            failed |= not ok
            self.stdout.write(f"{name:<14} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7d} "
                              f"{ratio:6.2f} {r['cold']:8.1f}  {'yes' if ok else 'NO'}")
        self.stdout.write("targets: ratio ≥ 0.25 of the bare view, zero errors, p99 < 150 ms: "
                          + ("met" if not failed else "NOT met"))

    def _wait(self, port: int) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    def _status(self, url: str, cookie: str) -> int:
        """The page's own status (a lost session would be a 302 to the login form, which wrk counts as success)."""
        parts = urllib.parse.urlsplit(url)
        conn = HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.request("GET", parts.path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        return response.status
