"""HR's 登记认定文件 and 处理异议 on the batch page keep what was typed after a refusal, the message at the field
(#14, item 8: every form keeps every typed value after any refusal)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.workflow import State
from tests import factories
from tests.applications.factories import ObjectionFactory, application_in

pytestmark = pytest.mark.django_db


def test_a_refused_recognition_keeps_the_number_and_date(client, hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=timezone.localdate() - timedelta(days=30))
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_recognize", args=[app.batch.pk]), {
        "number": "沁人社字〔2026〕58号", "issued_on": timezone.localdate().isoformat(),
        "issuers": ["org_dept", "hr_bureau"], "confirm": "1"})  # the finance bureau left out
    html = response.content.decode()
    assert response.status_code == 400  # a refused form re-rendered, as on every other page
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
    assert response.status_code == 400  # a refused form re-rendered, as on every other page
    assert "经核实，该单位技师人数符合条件。</textarea>" in html
    assert f'id="confirm-{objection.pk}-error">请先勾选确认框，再处理异议。' in html
    objection.refresh_from_db()
    assert objection.state == "pending"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_publishing_a_list_a_colleague_published_meanwhile_says_so_at_the_top(client, hr_user):
    """A second HR officer presses 发布公示 on a page opened before a colleague published: the refusal is said at the
    top of the batch's page, which now shows the publicity (the publish form's place is gone)."""
    app = application_in(State.PROPOSED)
    app.batch.state = "closed"
    app.batch.save()
    today = timezone.localdate()
    services.publish_publicity(actor=factories.HRUserFactory(), batch_id=app.batch_id, starts_on=today)
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_publish", args=[app.batch.pk]),
                           {"starts_on": today.isoformat(), "how_to_object": "第二个页面", "confirm": "1"})
    assert response.status_code == 400
    assert _messages(response) == [f"{app.batch}的拟认定名单已经公示。"]
    assert 'id="step-publish"' not in response.content.decode()


def test_recognizing_a_batch_a_colleague_recognized_meanwhile_says_so_at_the_top(client, hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=timezone.localdate() - timedelta(days=30))
    issuers = ["org_dept", "hr_bureau", "finance_bureau"]
    services.recognize_batch(actor=factories.HRUserFactory(), batch_id=app.batch_id, number="沁人社字〔2026〕57号",
                             issued_on=timezone.localdate(), issuers=issuers)
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_recognize", args=[app.batch.pk]), {
        "number": "沁人社字〔2026〕58号", "issued_on": timezone.localdate().isoformat(), "issuers": issuers,
        "confirm": "1"})
    assert response.status_code == 400
    assert _messages(response) == [f"{app.batch}已经发文认定。"]
    html = response.content.decode()
    assert 'id="step-recognize"' not in html and "沁人社字〔2026〕57号" in html and "58号" not in html


def test_an_objection_a_colleague_handled_meanwhile_says_so_at_the_top(client, hr_user):
    objection = ObjectionFactory()
    services.resolve_objection(actor=factories.HRUserFactory(), objection_id=objection.pk, upheld=False,
                               reason="经核实，技师人数符合条件。")
    client.force_login(hr_user)
    response = client.post(reverse("applications:objection_resolve", args=[objection.pk]),
                           {"decision": "upheld", "reason": "第二个页面：异议成立。", "confirm": "1"})
    assert response.status_code == 400
    assert _messages(response) == ["该异议已处理。"]
    html = response.content.decode()
    assert f'id="step-{objection.pk}"' not in html and "第二个页面" not in html
    objection.refresh_from_db()
    assert (objection.state, objection.resolution_reason) == ("dismissed", "经核实，技师人数符合条件。")


def test_closing_unticked_a_batch_a_colleague_closed_says_the_step_is_gone_not_to_tick_the_box(client, hr_user):
    app = application_in(State.SUBMITTED)
    services.close_batch(actor=factories.HRUserFactory(), batch_id=app.batch_id)
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_close", args=[app.batch.pk]), follow=True)
    assert response.redirect_chain == [(app.batch.get_absolute_url(), 302)]
    assert _messages(response) == ["该操作已无法办理：已是“已截止申报”，无需再办理（可能已在其他页面或由他人办理）。"]


def test_closing_unticked_an_open_batch_asks_for_the_tick(client, hr_user):
    app = application_in(State.SUBMITTED)
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_close", args=[app.batch.pk]), follow=True)
    assert _messages(response) == ["请先勾选确认框。"]
    app.batch.refresh_from_db()
    assert app.batch.state == "open"


def test_an_objection_handled_meanwhile_posted_unticked_says_the_step_is_gone(client, hr_user):
    objection = ObjectionFactory()
    services.resolve_objection(actor=factories.HRUserFactory(), objection_id=objection.pk, upheld=False,
                               reason="经核实，技师人数符合条件。")
    client.force_login(hr_user)
    response = client.post(reverse("applications:objection_resolve", args=[objection.pk]),
                           {"decision": "dismissed", "reason": "第二个页面：异议不成立。"})
    assert response.status_code == 400
    assert _messages(response) == ["该操作已无法办理：已是“异议不成立”，无需再办理（可能已在其他页面或由他人办理）。"]
    html = response.content.decode()
    assert f'id="step-{objection.pk}"' not in html and "第二个页面" not in html


def test_an_unticked_recognition_dated_tomorrow_is_told_the_date_on_the_same_try(client, hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=timezone.localdate() - timedelta(days=30))
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_recognize", args=[app.batch.pk]), {
        "number": "沁人社字〔2026〕58号", "issued_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "issuers": ["org_dept", "hr_bureau", "finance_bureau"]})
    assert response.status_code == 400
    step = response.content.decode().split('id="step-recognize"')[1]
    assert '<p id="error_1_id_issued_on"><strong>发文日期不能晚于今天。</strong></p>' in step
    assert 'id="confirm-recognize-error">请先勾选确认框，再登记认定文件。' in step


def test_an_unticked_publicity_starting_yesterday_is_told_the_date_on_the_same_try(client, hr_user):
    app = application_in(State.PROPOSED)
    app.batch.state = "closed"
    app.batch.save()
    client.force_login(hr_user)
    response = client.post(reverse("applications:batch_publish", args=[app.batch.pk]), {
        "starts_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "how_to_object": ""})
    assert response.status_code == 400
    step = response.content.decode().split('id="step-publish"')[1]
    assert '<p id="error_1_id_starts_on"><strong>公示开始日期不能早于今天。</strong></p>' in step
    assert 'id="confirm-publish-error">请先勾选确认框，再发布公示。' in step


def test_an_objection_resolved_without_decision_or_reason_asks_for_each_by_name(client, hr_user):
    objection = ObjectionFactory()
    client.force_login(hr_user)
    response = client.post(reverse("applications:objection_resolve", args=[objection.pk]),
                           {"decision": "", "reason": "", "confirm": "1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<strong>请选择“处理结果”。</strong>" in html and "<strong>请填写“处理理由”。</strong>" in html
    assert "请填写此项。" not in html
