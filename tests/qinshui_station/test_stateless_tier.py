"""The app tier keeps no state of its own (docs/performance.md, "A stateless app tier"): two gunicorn instances,
started here as separate processes on loopback, share only the database and the file storage. One browser (one
cookie jar, as behind one address) talks to both:

- signing out on one ends the session on the other (sessions live in the database);
- a file uploaded through one downloads through the other (files go through Django's storage API);
- a tranche disbursed on one cannot be disbursed on the other, even when both are asked at the same moment (the
  service locks the row in the shared database)."""

from __future__ import annotations

import http.client
import http.cookies
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.models import Attachment
from funding import services as funding_services
from qinshui_station.models import AuditEntry
from tests import factories as core
from tests.applications import factories as af
from tests.funding import factories as ff

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% shared storage\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or db.get("OPTIONS", {}).get("host", "")
    query = f"?host={urllib.parse.quote(host)}" if host.startswith("/") else ""
    netloc = "" if host.startswith("/") else f"{host}:{db['PORT'] or 5432}"
    return f"postgresql://{db['USER']}:{urllib.parse.quote(db['PASSWORD'] or '')}@{netloc}/{db['NAME']}{query}"


@pytest.fixture
def instances(tmp_path):
    """Two app instances: separate processes, one database (this test's), one storage root, one secret."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(tmp_path / "media"), "DEBUG": "1",
           "SECRET_KEY": "stateless-tier-test-key-" + "x" * 40, "AXES_ENABLED": "0", "CONN_MAX_AGE": "0",
           "LOG_LEVEL": "ERROR", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    ports, processes = [_free_port(), _free_port()], []
    try:
        for port in ports:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "qinshui_station.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}",
                 "--log-level", "warning"], cwd=settings.BASE_DIR, env=env, start_new_session=True))
        for port in ports:
            _wait(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def _wait(port: int) -> None:
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", reverse("login"))
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the instance on port {port} did not start")


class Browser:
    """One cookie jar for 127.0.0.1 whichever instance answers (cookies do not depend on the port)."""

    def __init__(self):
        self.cookies = http.cookies.SimpleCookie()

    def request(self, port: int, method: str, path: str, fields: dict | None = None, files: dict | None = None):
        if method == "POST":
            fields = {"csrfmiddlewaretoken": self.csrf(port), **(fields or {})}
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        body = None
        if method == "POST":
            if files:
                boundary = "stateless-tier-boundary"
                parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                         for k, v in fields.items()]
                for name, (filename, content) in files.items():
                    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                                 + content + b"\r\n")
                parts.append(f"--{boundary}--\r\n".encode())
                body = b"".join(parts)
                headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urllib.parse.urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        for name in [k for k, m in self.cookies.items() if m["max-age"] == "0" or m.value == '""']:
            del self.cookies[name]
        return response.status, response.headers, content

    def csrf(self, port: int) -> str:
        if "csrftoken" not in self.cookies:
            self.request(port, "GET", reverse("login"))
        return self.cookies["csrftoken"].value

    def sign_in(self, port: int, user) -> None:
        # the suite stores MD5 hashes for speed (conftest); the instances run the portal's own hashers (once per
        # person: a new hash would end the person's other sessions)
        if not user.password.startswith("pbkdf2_sha256$"):
            user.password = make_password(core.PASSWORD, hasher="pbkdf2_sha256")
            user.save(update_fields=["password"])
        status, _headers, _content = self.request(port, "POST", reverse("login"),
                                                  {"username": user.username, "password": core.PASSWORD})
        assert status == 302 and "sessionid" in self.cookies


def test_signing_out_on_one_instance_ends_the_session_on_the_other(instances):
    first, second = instances
    hr = core.HRUserFactory()
    browser = Browser()
    browser.sign_in(first, hr)
    assert browser.request(second, "GET", reverse("home"))[0] == 200
    session = browser.cookies["sessionid"].value
    assert browser.request(first, "POST", reverse("logout"))[0] == 302
    # the old cookie, sent again to the other instance, is nobody's any more
    browser.cookies["sessionid"] = session
    status, headers, _content = browser.request(second, "GET", reverse("home"))
    assert status == 302 and headers["Location"].startswith(reverse("login"))


def test_a_file_uploaded_through_one_instance_downloads_through_the_other(instances):
    first, second = instances
    application = af.ApplicationFactory()
    unit_user = application.created_by
    browser = Browser()
    browser.sign_in(first, unit_user)
    status, _headers, _content = browser.request(
        first, "POST", reverse("applications:attachment_upload", args=[application.pk]),
        {"kind": "application_report"}, files={"file": ("申报报告.pdf", PDF)})
    assert status == 302
    attachment = Attachment.objects.get(application=application)
    status, headers, content = browser.request(
        second, "GET", reverse("applications:attachment_download", args=[application.pk, attachment.pk]))
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert content == PDF
    assert Path(attachment.file.path).read_bytes() == PDF


def test_a_tranche_disbursed_on_one_instance_cannot_be_disbursed_on_the_other(instances):
    first, second = instances
    hr, finance = core.HRUserFactory(), core.FinanceUserFactory()
    _station, grant = ff.funded_station(hr=hr)
    tranche = ff.first_tranche(grant)
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr)
    url = reverse("funding:tranche_disburse", args=[tranche.pk])
    browsers = {first: Browser(), second: Browser()}
    for port, browser in browsers.items():
        browser.sign_in(port, finance)
        browser.csrf(port)
    day = timezone.localdate().isoformat()
    answers = {}
    start = threading.Barrier(2)

    def disburse(port):
        start.wait()
        answers[port] = browsers[port].request(port, "POST", url, {"confirm": "1", "disbursed_on": day,
                                                                   "voucher_number": f"记-{port}"})

    threads = [threading.Thread(target=disburse, args=(port,)) for port in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    tranche.refresh_from_db()
    assert tranche.state == "disbursed"
    assert tranche.voucher_number in {f"记-{first}", f"记-{second}"}
    assert AuditEntry.objects.filter(action="tranche_disbursed", object_id=str(tranche.pk)).count() == 1
    grant.refresh_from_db()
    assert grant.disbursed == tranche.amount
    # the one that came second was refused with the reason, wherever it was asked
    loser = second if tranche.voucher_number == f"记-{first}" else first
    status, _headers, content = answers[loser]
    assert status == 400  # the tranche's page again, the refusal at the top of its form
    assert re.search(r"该笔资金已于\d{4}-\d{2}-\d{2}拨付（凭证号记-\d+），不能重复拨付。", content.decode())
