"""HR's 登记认定文件 and 处理异议 on the batch page keep what was typed after a refusal, the message at the field
(#14, item 8: every form keeps every typed value after any refusal)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.workflow import State
from tests.applications.factories import ObjectionFactory, application_in

pytestmark = pytest.mark.django_db


def test_a_refused_recognition_keeps_the_number_and_date(client, hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=timezone.localdate() - timedelta(days=30))
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_recognize", args=[app.batch.pk]), {
        "number": "沁人社字〔2026〕58号", "issued_on": timezone.localdate().isoformat(),
        "issuers": ["org_dept", "hr_bureau"], "confirm": "1"})  # the finance bureau left out
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="沁人社字〔2026〕58号"' in html
    assert "认定文件须由县委组织部、县人社局、县财政局三家联合印发。" in html.split("id=\"step-recognize\"")[1]
    app.refresh_from_db()
    assert app.state == State.PUBLICITY


def test_a_forgotten_tick_keeps_the_objection_decision_and_reason(client, hr_user):
    objection = ObjectionFactory()
    client.force_login(hr_user)
    response = client.post(reverse("applications:objection_resolve", args=[objection.pk]),
                           {"decision": "dismissed", "reason": "经核实，该单位技师人数符合条件。"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "经核实，该单位技师人数符合条件。</textarea>" in html
    assert f'id="confirm-{objection.pk}-error">请先勾选确认框，再处理异议。' in html
    objection.refresh_from_db()
    assert objection.state == "pending"
