"""Unbounded text (issue 15, finding 3; SPEC.md "Limits"): a 20 MB anonymous objection was stored, the 申报表
narratives had no limit and a draft's PDF was laid out again on every request (2.9 s at 50,000 characters).

Each free-text field refuses more than its printed form holds, at the field, with the count; the request body
is bounded; a draft's PDF is laid out once per content and served from storage after that."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Application, Objection
from applications.workflow import State
from qinshui_station.models import DraftRendering
from tests.applications import factories as af

pytestmark = pytest.mark.django_db
NARRATIVE_FIELDS = ["training_system", "training_plan", "equipment", "technical_work_recent", "technical_work_plan",
                    "projects", "school_cooperation"]


def _narratives(app, **over):
    data = {name: getattr(app, name) for name in NARRATIVE_FIELDS}
    data.update(over)
    return data


def test_a_narrative_over_5000_characters_is_refused_at_the_field_with_the_count(client):
    app = af.ApplicationFactory()
    client.force_login(app.created_by)
    url = reverse("applications:edit", args=[app.pk, "narrative"])
    response = client.post(url, _narratives(app, equipment="设" * 5001))
    assert response.status_code == 400  # refused, as every refused form
    assert response.context["form"].errors["equipment"] == ["最多5000个字，现有5001个字，请删减1个字后再提交。"]
    assert "设" * 5001 in response.content.decode()  # what was typed is kept
    app.refresh_from_db()
    assert len(app.equipment) < 5001


def test_a_narrative_of_5000_characters_is_saved(client):
    app = af.ApplicationFactory()
    client.force_login(app.created_by)
    client.post(reverse("applications:edit", args=[app.pk, "narrative"]), _narratives(app, equipment="设" * 5000))
    app.refresh_from_db()
    assert len(app.equipment) == 5000


def _objection(client, content):
    app = af.application_in(State.PUBLICITY)
    return client.post(f"/applications/publicity/{app.batch.year}/", {
        "application": app.pk, "name": "赵某", "phone": "13900000000", "content": content},
        REMOTE_ADDR="198.51.100.7")


def test_an_objection_over_2000_characters_is_refused_at_the_field(client):
    response = _objection(client, "异" * 2001)
    assert response.status_code == 400  # a refused form, as every other
    assert response.context["form"].errors["content"] == ["最多2000个字，现有2001个字，请删减1个字后再提交。"]
    assert Objection.objects.count() == 0


def test_a_20_mb_objection_is_refused_before_it_is_read(client):
    response = _objection(client, "x" * (20 * 1024 * 1024))
    assert response.status_code in (400, 413)
    assert Objection.objects.count() == 0


def test_a_request_body_over_the_bound_is_413(client, settings, unit_user):
    client.force_login(unit_user)
    settings.REQUEST_MAX_BYTES = 1024
    response = client.post(reverse("unit_profile"), {"address": "沁" * 2000})
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


def test_a_drafts_pdf_is_laid_out_once_per_content(client, capsys):
    app = af.ApplicationFactory()
    Application.objects.filter(pk=app.pk).update(**{name: "培" * 5000 for name in NARRATIVE_FIELDS})
    client.force_login(app.created_by)
    url = reverse("applications:form_pdf", args=[app.pk])

    def pdf():
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return b"".join(response.streaming_content), time.perf_counter() - started

    first, first_seconds = pdf()
    again, again_seconds = pdf()
    assert again == first  # the stored copy: a new layout would carry a new creation time
    assert DraftRendering.objects.filter(object_id=app.pk).count() == 1
    Application.objects.filter(pk=app.pk).update(equipment="改过的设备情况")
    changed, _seconds = pdf()
    assert changed != first
    assert DraftRendering.objects.filter(object_id=app.pk).count() == 2
    with capsys.disabled():
        print(f"\ndraft PDF (7 narratives × 5,000 characters): laid out in {first_seconds:.2f} s, "
              f"served again in {again_seconds:.2f} s")


def test_a_reader_cannot_reach_another_records_draft_copy(client, unit_user):
    """The copy is kept per record: the same text in two drafts gives two copies, each served only through
    its own record's page (selectors)."""
    one, two = af.ApplicationFactory(), af.ApplicationFactory()
    for app in (one, two):
        Application.objects.filter(pk=app.pk).update(**{name: "同" * 10 for name in NARRATIVE_FIELDS})
    for app in (one, two):
        c = Client()
        c.force_login(app.created_by)
        assert c.get(reverse("applications:form_pdf", args=[app.pk])).status_code == 200
    client.force_login(one.created_by)
    assert client.get(reverse("applications:form_pdf", args=[two.pk])).status_code == 404
    assert DraftRendering.objects.filter(object_id__in=[one.pk, two.pk]).count() == 2
