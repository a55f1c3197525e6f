"""Files only through access-checked views; sign-in throttling; session expiry; the Content-Security-Policy;
personal data kept off public pages and out of the logs."""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Attachment, SiteVisitPhoto
from funding import services as funding_services
from funding.models import ExpenditureDocument
from qinshui_station.models import RenderedDocument
from reviews.models import EvaluationAttachment, LedgerAttachment
from tests import factories as core
from tests.funding import factories as ff

STORED = (Attachment, SiteVisitPhoto, EvaluationAttachment, LedgerAttachment, ExpenditureDocument, RenderedDocument)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- files -------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_no_stored_file_is_reachable_under_a_public_url(world_media):
    hr = client_for(world_media.hr)
    names = [f.file.name for model in STORED for f in model.objects.all()]
    assert len(names) >= 12 and all(name.startswith("private/") for name in names)
    for name in names:
        for prefix in (settings.MEDIA_URL, settings.STATIC_URL, "/", "/media/", "/var/media/"):
            response = hr.get(prefix + name)
            assert response.status_code == 404, (prefix + name, response.status_code)
            response = Client().get(prefix + name)  # a visitor: not found, or sent to sign in
            assert response.status_code == 404 or (
                response.status_code == 302 and response["Location"].startswith(reverse("login"))), (
                prefix + name, response.status_code)


@pytest.mark.django_db
def test_file_views_give_404_to_the_other_side(world_media):
    w = world_media
    a = w.a
    # (url of side A's file, people of side B or without an assignment)
    cases = [
        (reverse("applications:attachment_download", args=[a.app.pk, a.app_file.pk]),
         ["other_unit", "other_department", "expert_unassigned"]),
        (reverse("applications:photo_download", args=[a.photo.pk]),
         ["unit", "other_unit", "department", "expert_unassigned", "finance"]),
        (reverse("reviews:attachment_file", args=[a.evaluation_file.pk]),
         ["other_unit", "other_department", "expert_unassigned"]),
        (reverse("reviews:ledger_file", args=[a.ledger_file.pk]), ["other_unit", "other_department", "expert_unassigned"]),
        (reverse("funding:expenditure_document", args=[a.expenditure.pk, a.document.pk]),
         ["other_unit", "other_department", "expert_assigned", "expert_unassigned"]),
        (reverse("workstation_certificate", args=[a.station.pk]), ["other_unit", "other_department", "expert_assigned"]),
    ]
    for url, outsiders in cases:
        assert client_for(w.users["unit" if "photo" not in url else "expert_assigned"]).get(url).status_code == 200
        for role in outsiders:
            assert client_for(w.users[role]).get(url).status_code == 404, (url, role)


# --- sign-in throttling, sessions ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_account_at_that_address_even_for_the_right_password(settings):
    settings.AXES_ENABLED = True
    user = core.UnitUserFactory(username="lockme")
    client = Client(REMOTE_ADDR="198.51.100.7")
    url = reverse("login")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "lockme", "password": f"wrong-{attempt}"})
        assert response.status_code == 200 and "登录已暂时锁定" not in response.content.decode()
    response = client.post(url, {"username": "lockme", "password": "wrong-last"})
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    response = client.post(url, {"username": "lockme", "password": core.PASSWORD})
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out by this one's failures (lockout by user name and address).
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert other.post(url, {"username": "lockme", "password": core.PASSWORD}).status_code == 302
    assert int(other.session["_auth_user_id"]) == user.pk


def test_sessions_expire_after_8_hours_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_an_expired_session_is_sent_back_to_sign_in(settings):
    """Sessions live in their table (the db backend): one expires at its age."""
    settings.SESSION_COOKIE_AGE = 1
    user = core.HRUserFactory()
    client = Client()
    assert client.login(username=user.username, password=core.PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert timezone.now() < session.expire_date <= timezone.now() + timedelta(seconds=1)
    time.sleep(1.2)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Content-Security-Policy --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_every_page_carries_a_csp_without_inline_script(world_media):
    w = world_media
    pages = [(None, reverse("login")), (None, reverse("public_workstations")),
             (None, reverse("applications:publicity_detail", args=[w.public_batch.year])),
             (w.a.unit_user, reverse("applications:edit", args=[w.a.draft.pk, "unit"])),
             (w.hr, reverse("home")), (w.org_dept, reverse("dashboards:charts")), (w.hr, reverse("reviews:round_detail", args=[w.round.pk])),
             (w.finance, reverse("funding:tranche_detail", args=[w.a.tranche.pk])),
             (w.expert_assigned, reverse("reviews:score", args=[w.a.eval_assignment.pk]))]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", url
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, url
        html = response.content.decode()
        # no inline script element (data islands of json_script, type="application/json", are not executed)
        assert re.findall(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>', html) == [], url
        assert re.findall(r"\son[a-z]+\s*=", html) == [], url  # no inline event handler
        assert " style=\"" not in html, url


# --- personal data -------------------------------------------------------------------------------------------

def personal_data(w) -> list[str]:
    out = []
    for unit in (w.a.unit, w.b.unit):
        out += [unit.contact_phone, unit.legal_representative_phone, unit.bank_account_number]
    return out + [w.objection.name, w.objection.phone, w.public_app.contact_phone, w.public_app.bank_account_number,
                  w.a.unit_user.email]


@pytest.mark.django_db
def test_public_pages_show_no_personal_data(world_media):
    w = world_media
    anonymous = Client()
    urls = [reverse("public_workstations"), reverse("public_workstations") + "?q=沁水",
            reverse("applications:publicity_list"),
            reverse("applications:publicity_detail", args=[w.public_batch.year])]
    secrets = personal_data(w)
    for url in urls:
        html = anonymous.get(url).content.decode()
        leaked = [s for s in secrets if s and s in html]
        assert leaked == [], (url, leaked)
    html = anonymous.get(urls[-1]).content.decode()
    assert w.public_app.unit_name in html  # the page does list the station


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record) + repr(record.args) + repr(record.__dict__.get("extra", "")))


@pytest.mark.django_db
def test_an_objection_and_a_disbursement_log_no_personal_data(world_media):
    w = world_media
    ws, grant = ff.funded_station(hr=w.hr, unit=w.a.unit)
    tranche = ff.first_tranche(grant)
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=w.hr)
    handler = Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    levels = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.propagate = True
    try:
        public = Client(REMOTE_ADDR="198.51.100.20")
        url = reverse("applications:publicity_detail", args=[w.public_batch.year])
        response = public.post(url, {"application": w.public_app.pk, "name": "孙监督", "phone": "13700001111",
                                     "content": "该单位技师人数与申报不符。"})
        assert response.status_code == 302
        assert public.get(reverse("applications:publicity_detail", args=[w.batch.year])).status_code == 404
        response = client_for(w.finance).post(reverse("funding:tranche_disburse", args=[tranche.pk]), {
            "disbursed_on": timezone.localdate().isoformat(), "voucher_number": "记-LOG-0001", "confirm": "1"})
        assert response.status_code == 302
        tranche.refresh_from_db()
        assert tranche.state == "disbursed" and tranche.paid_account_number == w.a.unit.bank_account_number
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for lg, level, propagate in levels:
            lg.setLevel(level)
            lg.propagate = propagate
    text = "\n".join(handler.lines)
    assert any("Not Found" in line for line in handler.lines)  # the capture sees the requests' log records
    for secret in personal_data(w) + ["孙监督", "13700001111"]:
        assert secret not in text, secret
