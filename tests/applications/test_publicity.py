"""公示: 5 working days (the National Day holiday of 2026 pushes the end), a public page without personal
data, named objections only while open, a rate limit per address, upheld removes the station."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from applications import services
from applications.models import Objection, ObjectionState
from applications.workflow import State
from qinshui_station import workdays
from tests.applications.factories import ObjectionFactory, application_in

pytestmark = pytest.mark.django_db


def test_window_across_the_2026_national_day_holiday():
    ends_on, closes_at = services.publicity_window(date(2026, 9, 28))
    assert ends_on == date(2026, 10, 9)
    assert closes_at == datetime(2026, 10, 9, 23, 59, 59, tzinfo=workdays.SHANGHAI)


def test_a_year_without_calendar_shows_the_calendars_message():
    with pytest.raises(ValidationError) as raised:
        services.publicity_window(date(2031, 3, 3))
    assert raised.value.message_dict == {"starts_on": [str(workdays.CalendarUnavailable(2031))]}


def test_publishing_moves_the_proposed_list_and_prints_both_dates(hr_user):
    app = application_in(State.PROPOSED)
    app.batch.state = "closed"
    app.batch.save()
    start = timezone.localdate() + timedelta(days=1)
    publicity = services.publish_publicity(actor=hr_user, batch_id=app.batch_id, starts_on=start)
    app.refresh_from_db()
    assert (app.state, publicity.ends_on) == (State.PUBLICITY, workdays.nth_working_day(start, 5))


def test_publishing_waits_for_every_review(hr_user):
    app = application_in(State.PROPOSED)
    application_in(State.EXPERT_REVIEW, batch=app.batch, occupation="电工")
    app.batch.state = "closed"
    app.batch.save()
    with pytest.raises(ValidationError, match="本批次尚有1份申报未完成评审"):
        services.publish_publicity(actor=hr_user, batch_id=app.batch_id, starts_on=timezone.localdate())
    with translation.override("en"):  # one application, then two: English says each in its number
        with pytest.raises(ValidationError, match="1 application of this batch is still under review;"):
            services.publish_publicity(actor=hr_user, batch_id=app.batch_id, starts_on=timezone.localdate())
        application_in(State.EXPERT_REVIEW, batch=app.batch, occupation="焊工")
        with pytest.raises(ValidationError, match="2 applications of this batch are still under review;"):
            services.publish_publicity(actor=hr_user, batch_id=app.batch_id, starts_on=timezone.localdate())


def test_publish_view_shows_calendar_unavailable_instead_of_crashing(client, hr_user):
    app = application_in(State.PROPOSED)
    app.batch.state = "closed"
    app.batch.save()
    client.force_login(hr_user)
    response = client.post(f"/applications/batches/{app.batch_id}/publicity/",
                           {"starts_on": "2031-03-03", "confirm": "1"})
    assert response.status_code == 400  # the form again, the calendar's message at its date
    assert str(workdays.CalendarUnavailable(2031)) in response.content.decode()


def test_public_page_lists_the_station_without_personal_data(client):
    app = application_in(State.PUBLICITY)
    publicity = app.batch.publicity
    html = client.get(f"/applications/publicity/{app.batch.year}/").content.decode()
    for shown in (app.unit_name, app.occupation, app.leader_name,
                  publicity.starts_on.strftime("%Y年%-m月%-d日"), publicity.ends_on.strftime("%Y年%-m月%-d日"),
                  "实名提出"):
        assert shown in html
    for hidden in (app.contact_phone, app.legal_representative_phone, app.bank_account_number,
                   app.legal_representative, app.members.first().name):
        assert hidden not in html


def test_the_public_list_numbers_its_lines_and_escapes_what_units_typed(client):
    first = application_in(State.PUBLICITY, unit_name="<b>甲&乙</b>", occupation="电工\"高级\"", leader_name="")
    second = application_in(State.PUBLICITY, batch=first.batch, unit_name="丙公司", occupation="焊工",
                            leader_name="李'四")
    html = client.get(f"/applications/publicity/{first.batch.year}/").content.decode()
    assert ("<tr><td>1</td><td>沁水县技师工作站（&lt;b&gt;甲&amp;乙&lt;/b&gt;·电工&quot;高级&quot;）</td>"
            "<td>&lt;b&gt;甲&amp;乙&lt;/b&gt;</td><td>电工&quot;高级&quot;</td><td></td></tr>\n"
            "<tr><td>2</td><td>沁水县技师工作站（丙公司·焊工）</td><td>丙公司</td><td>焊工</td><td>李&#x27;四</td></tr>\n"
            ) in html
    assert second.pk > first.pk
    client.cookies["django_language"] = "en"
    html = client.get(f"/applications/publicity/{first.batch.year}/").content.decode()
    assert ("<tr><td>1</td><td>Qinshui County Technician Workstation (&lt;b&gt;甲&amp;乙&lt;/b&gt;·电工&quot;高级&quot;)"
            "</td>") in html
    assert "<tr><td>2</td><td>Qinshui County Technician Workstation (丙公司·焊工)</td>" in html


def test_objection_is_filed_while_open(client):
    app = application_in(State.PUBLICITY)
    response = client.post(f"/applications/publicity/{app.batch.year}/", {
        "application": app.pk, "name": "赵某", "phone": "13900000000", "content": "技师人数不实。"},
        REMOTE_ADDR="198.51.100.7", follow=True)
    assert "您的异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.application_id, objection.ip_address, objection.state) == (app.pk, "198.51.100.7", "pending")


def test_a_refused_objection_is_a_400_that_keeps_what_was_typed(client):
    app = application_in(State.PUBLICITY)
    response = client.post(f"/applications/publicity/{app.batch.year}/", {
        "application": app.pk, "name": "赵某", "phone": "12345", "content": "技师人数不实。"},
        REMOTE_ADDR="198.51.100.7")
    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {"phone": [
        "请输入有效的电话号码：11位手机号，或区号-号码形式的固定电话（如0356-7021234）。"]}
    assert 'value="赵某"' in html and "技师人数不实。</textarea>" in html
    assert Objection.objects.count() == 0


def test_an_objection_posted_after_the_window_closed_is_a_400(client):
    app = application_in(State.PUBLICITY, publicity_starts=date(2026, 9, 28))
    response = client.post(f"/applications/publicity/{app.batch.year}/", {
        "application": app.pk, "name": "赵某", "phone": "13900000000", "content": "技师人数不实。"},
        REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["公示期已结束或尚未开始，不再受理异议。"]
    assert Objection.objects.count() == 0


def test_objection_is_refused_outside_the_window(client):
    app = application_in(State.PUBLICITY, publicity_starts=date(2026, 9, 28))
    with pytest.raises(ValidationError, match="公示期为2026-09-28至2026-10-09（截至当日23:59:59），当前不在公示期内，不再受理异议。"):
        services.file_objection(publicity_id=app.batch.publicity.pk, application_id=app.pk, name="赵某",
                                phone="13900000000", content="异议。", ip_address="198.51.100.7")
    html = client.get(f"/applications/publicity/{app.batch.year}/").content.decode()
    assert "现不在公示期内，不再受理异议" in html
    assert 'name="content"' not in html


def test_objection_must_be_named():
    app = application_in(State.PUBLICITY)
    with pytest.raises(ValidationError) as raised:
        services.file_objection(publicity_id=app.batch.publicity.pk, application_id=app.pk, name=" ",
                                phone="", content="异议。", ip_address="198.51.100.7")
    assert sorted(raised.value.message_dict) == ["name", "phone"]


def test_rate_limit_per_address():
    app = application_in(State.PUBLICITY)
    for _i in range(services.OBJECTIONS_PER_ADDRESS_PER_HOUR):
        services.file_objection(publicity_id=app.batch.publicity.pk, application_id=app.pk, name="赵某",
                                phone="13900000000", content="异议。", ip_address="198.51.100.7")
    with pytest.raises(ValidationError, match="同一网络地址一小时内最多提交3条异议"):
        services.file_objection(publicity_id=app.batch.publicity.pk, application_id=app.pk, name="钱某",
                                phone="13900000001", content="异议。", ip_address="198.51.100.7")
    services.file_objection(publicity_id=app.batch.publicity.pk, application_id=app.pk, name="孙某",
                            phone="13900000002", content="异议。", ip_address="198.51.100.8")
    assert Objection.objects.count() == 4


def test_upheld_objection_removes_the_station(hr_user, client):
    objection = ObjectionFactory()
    services.resolve_objection(actor=hr_user, objection_id=objection.pk, upheld=True, reason="经核实，技师证书系伪造。")
    objection.refresh_from_db()
    app = objection.application
    app.refresh_from_db()
    assert (objection.state, app.state) == (ObjectionState.UPHELD, State.NOT_RECOGNIZED)
    html = client.get(f"/applications/publicity/{app.batch.year}/").content.decode()
    assert app.unit_name not in html


def test_dismissed_objection_keeps_the_station(hr_user):
    objection = ObjectionFactory()
    services.resolve_objection(actor=hr_user, objection_id=objection.pk, upheld=False, reason="经核实，反映不实。")
    objection.application.refresh_from_db()
    assert objection.application.state == State.PUBLICITY


def test_resolution_requires_a_reason(hr_user):
    objection = ObjectionFactory()
    with pytest.raises(ValidationError, match="请填写处理理由"):
        services.resolve_objection(actor=hr_user, objection_id=objection.pk, upheld=False, reason="")
