"""Faults in the middle of a step leave no partial state: a database error injected by a trigger (created by
the test) on the audit log or on the notifications, and a PDF that cannot be rendered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services as app_services
from applications.models import ISSUERS, RecognitionDocument
from applications.workflow import State
from funding import services as funding_services
from funding.models import Grant
from qinshui_station.models import AuditEntry, Notification, RenderedDocument, Workstation
from tests import factories as core
from tests.applications import factories as af
from tests.funding import factories as ff


def fail_on_insert(table: str, when: str = "TRUE"):
    with connection.cursor() as cursor:
        cursor.execute("""CREATE OR REPLACE FUNCTION sec_test_fail() RETURNS trigger AS $$
                          BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql""")
        cursor.execute(f"CREATE TRIGGER sec_test_fail BEFORE INSERT ON {table} FOR EACH ROW "
                       f"WHEN ({when}) EXECUTE FUNCTION sec_test_fail()")


@pytest.mark.django_db
def test_a_failing_audit_insert_during_disbursement_leaves_the_tranche_as_it_was():
    hr, finance = core.HRUserFactory(), core.FinanceUserFactory()
    _ws, grant = ff.funded_station(hr=hr)
    tranche = ff.first_tranche(grant)
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr)
    before = (AuditEntry.objects.count(), Notification.objects.count())
    fail_on_insert(AuditEntry._meta.db_table, "NEW.action = 'tranche_disbursed'")
    with pytest.raises(DatabaseError, match="injected failure"):
        funding_services.disburse_tranche(tranche_id=tranche.pk, actor=finance, disbursed_on=timezone.localdate(),
                                          voucher_number="记-FAULT-1")
    tranche.refresh_from_db()
    assert (tranche.state, tranche.disbursed_on, tranche.voucher_number, tranche.paid_account_number) == (
        "approved", None, "", "")
    assert (AuditEntry.objects.count(), Notification.objects.count()) == before


@pytest.mark.django_db
def test_a_failing_notification_during_recognition_creates_no_station_grant_or_document():
    hr = core.HRUserFactory()
    app = af.application_in(State.PUBLICITY, publicity_starts=timezone.localdate() - timedelta(days=30))
    batch = app.batch
    counts = lambda: (Workstation.objects.count(), Grant.objects.count(), RecognitionDocument.objects.count(),  # noqa: E731
                      AuditEntry.objects.count(), Notification.objects.count())
    before = counts()
    fail_on_insert(Notification._meta.db_table)
    with pytest.raises(DatabaseError, match="injected failure"):
        app_services.recognize_batch(actor=hr, batch_id=batch.pk, number="沁人社字〔2026〕99号",
                                     issued_on=timezone.localdate(), issuers=[code for code, _label in ISSUERS])
    app.refresh_from_db()
    assert app.state == State.PUBLICITY and counts() == before


@pytest.mark.django_db
def test_a_pdf_that_cannot_be_rendered_leaves_the_application_unchanged_and_says_so(settings, tmp_path):
    app = af.application_in(State.SUBMITTED)
    unit_user = app.created_by
    # A deliberately broken path: the renderer reads its stylesheet and fonts under BASE_DIR, which now
    # points to an empty directory (templates are still found through TEMPLATES["DIRS"]).
    settings.BASE_DIR = tmp_path
    state, changed = app.state, app.state_changed_at
    client = Client()
    client.force_login(unit_user)
    response = client.get(reverse("applications:form_pdf", args=[app.pk]), follow=True)
    assert response.status_code == 200
    assert "申报表PDF暂时无法生成，相关记录未受影响" in response.content.decode()
    app.refresh_from_db()
    assert (app.state, app.state_changed_at) == (state, changed)
    assert RenderedDocument.objects.filter(object_id=app.pk).count() == 0


@pytest.mark.django_db
def test_a_certificate_that_cannot_be_rendered_redirects_to_the_station_with_a_message(settings, tmp_path):
    from tests.factories import UnitUserFactory, WorkstationFactory

    station = WorkstationFactory()
    user = UnitUserFactory(organization=station.unit)
    settings.BASE_DIR = tmp_path  # the renderer's stylesheet and fonts are gone
    client = Client()
    client.force_login(user)
    response = client.get(reverse("workstation_certificate", args=[station.pk]))
    assert response.status_code == 302
    assert response["Location"] == station.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "牌匾证书PDF暂时无法生成，相关记录未受影响。" in page
