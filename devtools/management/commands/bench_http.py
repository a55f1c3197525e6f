"""``manage.py bench_http``: throughput of the main pages against a bare Django view, on loopback, under
gunicorn with production settings (DEBUG off, a generated SECRET_KEY, static files by WhiteNoise after
collectstatic, 2 workers), driven by ``wrk`` at 16 connections; then a mixed workload where 1 request in 20 is a
real write (an expert saves a draft sheet, a unit records an expenditure, a unit reads its notifications).
``--instances 2`` runs two gunicorn instances behind Debian's haproxy (installed with apt when missing), sharing
the database and the file storage: the stateless app tier. docs/performance.md.

Run it on the large dataset (``seed_scale``): ``DATABASE_URL=… manage.py bench_http --seconds 10``. The mixed
workload's writes are real rows in that database (expenditures of ¥0.01 described "bench_http")."""

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

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils import timezone

from devtools.management.commands.seed_scale import switch_database
from devtools.scale import PASSWORD

TARGETS = {"p99_ms": 150, "ratio": 0.08}
GUNICORN_CONF = str(settings.BASE_DIR / "gunicorn.conf.py")  # production's: what production runs is measured
MIXED_TARGETS = {"p99_ms": 250, "ratio": 0.06}
WRITE_EVERY = 20
BENCH_NOTE = "bench_http mixed workload"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HAPROXY = """global
  maxconn 512
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend portal
  bind 127.0.0.1:{front}
  default_backend apps
backend apps
  balance roundrobin
{servers}
"""


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


def run_wrk(url: str, cookie: str, seconds: int, connections: int, script: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    if script:
        command[1:1] = ["-s", script]
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
    grants = _spending_grants(unit)
    grant = grants[0] if grants else None
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


def _spending_grants(unit) -> list:
    """The grants of the unit's stations that may still record spending today, by id: the first one's statement is
    measured, the mixed workload records its expenditures on the last one (on the measured one, every run made
    the measured statement longer)."""
    from funding.models import Grant

    if unit is None:
        return []
    return list(Grant.objects.filter(workstation__unit_id=unit.organization_id, disbursed__gt=F("spent"),
                                     workstation__recognized_on__lte=timezone.localdate())
                .exclude(workstation__state="revoked").order_by("pk"))


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def mixed_script(directory: str, reads: list[tuple[str, str]], writes: list[tuple[str, str, str, bytes]]) -> str:
    """A wrk script: the reads in turn, and every WRITE_EVERY-th request a write (POST with its body, read
    from a file written here)."""
    lines = ["local reads, writes, n = {}, {}, 0", "init = function(args)"]
    for path, cookie in reads:
        headers = "{" + (f"['Cookie'] = {_lua_string(cookie)}" if cookie else "") + "}"
        lines.append(f"  reads[#reads + 1] = wrk.format('GET', {_lua_string(path)}, {headers})")
    for k, (path, cookie, content_type, body) in enumerate(writes):
        body_file = os.path.join(directory, f"write{k}.body")
        with open(body_file, "wb") as out:
            out.write(body)
        lines += [f"  local f{k} = io.open({_lua_string(body_file)}, 'rb')",
                  f"  writes[#writes + 1] = wrk.format('POST', {_lua_string(path)}, "
                  f"{{['Cookie'] = {_lua_string(cookie)}, ['Content-Type'] = {_lua_string(content_type)}}}, "
                  f"f{k}:read('*a'))", f"  f{k}:close()"]
    lines += ["end", "request = function()", "  n = n + 1",
              f"  if n % {WRITE_EVERY} == 0 then return writes[(n / {WRITE_EVERY}) % #writes + 1] end",
              "  return reads[n % #reads + 1]", "end"]
    path = os.path.join(directory, "mixed.lua")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


def _form_body(fields: dict) -> tuple[str, bytes]:
    return "application/x-www-form-urlencoded", urllib.parse.urlencode(fields).encode()


def _multipart_body(fields: dict, files: dict) -> tuple[str, bytes]:
    boundary = "qs-bench-" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def _post(port: int, path: str, cookie: str, content_type: str, body: bytes) -> int:
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, body, {"Cookie": cookie, "Content-Type": content_type})
    response = conn.getresponse()
    response.read()
    return response.status


def _get(port: int, path: str, cookie: str) -> str:
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    return conn.getresponse().read().decode()


def mixed_writes(port: int, targets: dict, cookies: dict) -> list[tuple[str, str, str, bytes]]:
    """The three writes of the mixed workload, each tried once here (it must answer 302: done, not refused)."""
    from funding.selectors import categories
    from qinshui_station.models import User

    token = secrets.token_hex(16)  # a CSRF secret of our own: cookie and form field agree
    writes = []
    path, expert = targets["scoring form"]
    cookie = f"{cookies[expert]}; csrftoken={token}"
    page = _get(port, path, cookies[expert])
    fields = dict(re.findall(r'name="((?:item|count)_\d+)"[^>]*?value="([^"]*)"', page))
    writes.append((path, cookie, *_form_body({"csrfmiddlewaretoken": token, **fields})))
    _statement, unit = targets["statement"]
    station = _spending_grants(User.objects.get(username=unit))[-1].workstation_id  # not the measured statement
    cookie = f"{cookies[unit]}; csrftoken={token}"
    writes.append((f"/funding/stations/{station}/expenditures/new/", cookie, *_multipart_body(
        {"csrfmiddlewaretoken": token, "spent_on": timezone.localdate().isoformat(),
         "category": categories().filter(allowed=True).first().pk, "amount": "0.01", "description": BENCH_NOTE},
        {"documents": ("invoice.pdf", PDF)})))
    writes.append(("/notifications/", cookie, *_form_body({"csrfmiddlewaretoken": token})))
    for path, cookie, content_type, body in writes:
        status = _post(port, path, cookie, content_type, body)
        if status != 302:
            raise CommandError(f"the write POST {path} answered {status}, not 302: it would not be a real write")
    return writes


class Command(BaseCommand):
    help = "Benchmark the main pages against a bare Django view under gunicorn (production settings) with wrk."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10, help="per target (bounded: 1–60)")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
        parser.add_argument("--instances", type=int, default=1,
                            help="gunicorn instances; 2 or more run behind haproxy (the stateless app tier)")
        parser.add_argument("--only", action="append", default=[], help="only these pages (and the bare view)")
        parser.add_argument("--no-mixed", action="store_true", help="skip the mixed workload")
        parser.add_argument("--prefix", default="scale", help="the seed_scale dataset's prefix")
        parser.add_argument("--database-url", help="run against this database")
        parser.add_argument("--static-ignore", action="append", default=[],
                            help="collectstatic --ignore pattern (e.g. a vendored file whose source map is missing)")

    def handle(self, *args, seconds, connections, workers, instances, only, no_mixed, prefix, database_url,
               static_ignore, **options):
        switch_database(database_url, sys.argv)
        seconds = max(1, min(seconds, 60))
        instances = max(1, min(instances, 4))
        self._need("wrk")
        if instances > 1:
            self._need("haproxy")
        every = page_targets(prefix)
        targets = {name: target for name, target in every.items() if not only or name == "bare view" or name in only}
        scratch = tempfile.mkdtemp(prefix="qs-bench-")
        static_root, media_root = os.path.join(scratch, "static"), os.path.join(scratch, "media")
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
               "SECURE_SSL_REDIRECT": "0", "QS_BENCH_VIEW": "1", "STATIC_ROOT": static_root, "MEDIA_ROOT": media_root,
               "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"), "LOG_LEVEL": "ERROR"}
        ignore = [arg for pattern in static_ignore for arg in ("--ignore", pattern)]
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", *ignore], env=env, check=True)
        processes = []
        try:
            ports = [_free_port() for _ in range(instances)]
            for app_port in ports:  # every instance: same database, same file storage, same secret key
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "qinshui_station.wsgi", "-c", GUNICORN_CONF, "-w", str(workers),
                     "-b", f"127.0.0.1:{app_port}", "--log-level", "warning"], env=env, start_new_session=True))
                self._wait(app_port)
            port = ports[0]
            if instances > 1:
                port = _free_port()
                config = os.path.join(scratch, "haproxy.cfg")
                with open(config, "w") as out:
                    out.write(HAPROXY.format(front=port, servers="\n".join(
                        f"  server app{k} 127.0.0.1:{p}" for k, p in enumerate(ports))))
                processes.append(subprocess.Popen(["haproxy", "-f", config, "-db"], start_new_session=True,
                                                  stdout=subprocess.DEVNULL))
                self._wait(port)
            rows, mixed, writes_done = self._run(port, targets, every, seconds, connections, no_mixed, scratch)
        finally:
            for process in reversed(processes):
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            shutil.rmtree(scratch, ignore_errors=True)
        self._report(rows, mixed, writes_done, workers=workers, instances=instances, seconds=seconds,
                     connections=connections)

    def _need(self, program: str) -> None:
        if shutil.which(program):
            return
        if os.geteuid() == 0 and shutil.which("apt-get"):
            subprocess.run(["apt-get", "install", "-y", program], check=True)
        else:
            raise CommandError(f"{program} is missing: install the Debian package (sudo apt-get install {program})")

    def _run(self, port, targets, every, seconds, connections, no_mixed, scratch):
        from funding.models import Expenditure

        base = f"http://127.0.0.1:{port}"
        cookies = {}
        rows = []
        for name, (path, username) in targets.items():
            if username and username not in cookies:
                cookies[username] = sign_in(port, username, PASSWORD)
            cookie = cookies.get(username, "")
            started = time.perf_counter()
            status = self._status(base + path, cookie)  # the first request after start-up
            cold_ms = (time.perf_counter() - started) * 1000
            result = run_wrk(base + path, cookie, seconds, connections)
            result["cold"] = cold_ms
            rows.append((name, path, status, result))
            self.stdout.write(f"  {name:<16} HTTP {status}  {result['rps']:8.1f} req/s")
        if no_mixed:
            return rows, None, 0
        for _path, username in every.values():
            if username and username not in cookies:
                cookies[username] = sign_in(port, username, PASSWORD)
        pages = [(path, cookies.get(username, "")) for name, (path, username) in every.items() if name != "bare view"]
        writes = mixed_writes(port, every, cookies)
        before = Expenditure.objects.filter(description=BENCH_NOTE).count()
        script = mixed_script(scratch, pages, writes)
        mixed = run_wrk(base + "/", "", seconds * 2, connections, script=script)
        writes_done = Expenditure.objects.filter(description=BENCH_NOTE).count() - before
        self.stdout.write(f"  {'mixed':<16}            {mixed['rps']:8.1f} req/s")
        return rows, mixed, writes_done

    def _report(self, rows, mixed, writes_done, *, workers, instances, seconds, connections) -> None:
        bare = next(r for n, _p, _s, r in rows if n == "bare view")["rps"]
        tier = f"{instances} instances behind haproxy" if instances > 1 else "1 instance"
        self.stdout.write(f"\nbench_http: gunicorn {tier}, {workers} workers each, wrk {connections} connections × "
                          f"{seconds} s per target, {os.cpu_count()} CPUs")
        self.stdout.write(f"{'target':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6} "
                          f"{'first ms':>8}  ok")
        failed = False
        for name, _path, status, r in rows:
            ratio = r["rps"] / bare
            ok = status == 200 and r["errors"] == 0 and r["p99"] < TARGETS["p99_ms"] and ratio >= TARGETS["ratio"]
            failed |= not ok and name != "bare view"
            self.stdout.write(f"{name:<16} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7d} "
                              f"{ratio:6.2f} {r['cold']:8.1f}  {'yes' if ok else 'NO'}")
        self.stdout.write(f"pages: ratio ≥ {TARGETS['ratio']} of the bare view, zero errors, p99 < "
                          f"{TARGETS['p99_ms']} ms: " + ("met" if not failed else "NOT met"))
        if mixed is None:
            return
        ratio = mixed["rps"] / bare
        ok = mixed["errors"] == 0 and mixed["p99"] < MIXED_TARGETS["p99_ms"] and ratio >= MIXED_TARGETS["ratio"]
        self.stdout.write(f"{'mixed':<16} {mixed['rps']:8.1f} {mixed['p50']:8.1f} {mixed['p99']:8.1f} "
                          f"{mixed['errors']:7d} {ratio:6.2f} {'':>8}  {'yes' if ok else 'NO'}")
        self.stdout.write(f"mixed: {mixed['requests']} requests in {seconds * 2} s, every {WRITE_EVERY}th a write "
                          f"({writes_done} expenditures recorded among them); target ratio ≥ {MIXED_TARGETS['ratio']}, "
                          f"p99 < {MIXED_TARGETS['p99_ms']} ms, no errors: " + ("met" if ok else "NOT met"))

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
