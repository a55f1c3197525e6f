"""The e-mail preferences page (every person, their roles' kinds only) and HR's page of failed deliveries."""

import pytest
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from qinshui_station.models import AuditEntry, Delivery, DeliveryState, EmailPreference

pytestmark = pytest.mark.django_db


def failed_delivery(user) -> Delivery:
    return Delivery.objects.create(recipient=user, to_address=user.email, subject="【沁水县技师工作站】x", body="x",
                                   status=DeliveryState.FAILED, attempts=6, last_error="SMTPServerDisconnected: 断开",
                                   failed_at=timezone.now())


def test_the_preferences_page_lists_the_kinds_of_the_persons_role(client, expert):
    client.force_login(expert)
    html = client.get(reverse("email_preferences")).content.decode()
    assert "待办事项通知" in html and "评审截止提醒" in html
    assert "申报截止提醒" not in html and "已审批未拨付提醒" not in html


def test_turning_a_kind_off_is_saved_and_audited(client, unit_user):
    client.force_login(unit_user)
    response = client.post(reverse("email_preferences"), {"workflow": "on", "filing_opens": "on",
                                                          "evaluation_opens": "on", "evaluation_closes": "on",
                                                          "construction_ending": "on", "outputs_behind": "on"})
    assert response.status_code == 302
    assert list(EmailPreference.objects.filter(user=unit_user).values_list("kind", "email")) == [
        ("filing_closes", False)]
    assert AuditEntry.objects.get(action="email_preferences").data == {"filing_closes": False}
    html = client.get(reverse("email_preferences")).content.decode()
    assert 'name="filing_closes"' in html and 'name="filing_closes" checked' not in html


def test_only_hr_sees_failed_deliveries(client, unit_user, finance_user):
    failed_delivery(unit_user)
    client.force_login(finance_user)
    assert client.get(reverse("failed_deliveries")).status_code == 403


def test_hr_sees_a_failed_delivery_and_sends_it_again(client, hr_user, unit_user):
    delivery = failed_delivery(unit_user)
    client.force_login(hr_user)
    html = client.get(reverse("failed_deliveries")).content.decode()
    assert unit_user.email in html and "SMTPServerDisconnected: 断开" in html
    response = client.post(reverse("delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.failed_at) == (DeliveryState.PENDING, None)
    assert ProcrastinateJob.objects.filter(task_name="deliver_email", args={"delivery_id": delivery.pk}).count() == 1
    assert "没有发送失败的邮件。" in client.get(reverse("failed_deliveries")).content.decode()


def test_retrying_a_delivery_that_is_not_failed_says_why(client, hr_user, unit_user):
    delivery = failed_delivery(unit_user)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryState.SENT, sent_at=timezone.now(), failed_at=None)
    client.force_login(hr_user)
    response = client.post(reverse("delivery_retry", args=[delivery.pk]), follow=True)
    assert "只有最终发送失败的邮件可以重新发送。" in response.content.decode()
    assert client.post(reverse("delivery_retry", args=[99999])).status_code == 404


def test_hr_home_shows_failed_deliveries_as_urgent(client, hr_user, unit_user):
    from qinshui_station.registry import dashboard_for

    assert [i.title for i in dashboard_for(hr_user) if i.url == "/staff/deliveries/"] == []
    failed_delivery(unit_user)
    failed_delivery(unit_user)
    [item] = [i for i in dashboard_for(hr_user) if i.url == "/staff/deliveries/"]
    assert (item.title, item.count, item.urgent) == ("邮件发送失败", 2, True)
    assert [i for i in dashboard_for(unit_user) if i.url == "/staff/deliveries/"] == []
