"""HR's batch page: every submitted application a row (link, unit, occupation, leader, state, age in the state,
the master-studio declaration), what units typed escaped."""

import pytest
from django.utils import timezone

from applications.models import Application
from applications.workflow import State
from tests.applications.factories import application_in

pytestmark = pytest.mark.django_db


def test_each_application_is_a_row_with_its_state_and_age_escaped(client, hr_user):
    first = application_in(State.SUBMITTED, unit_name="<i>甲</i>", occupation="电工&钳工", leader_name='王"五')
    second = application_in(State.RECOMMENDED, batch=first.batch, unit_name="乙公司", occupation="焊工",
                            leader_name="")
    Application.objects.filter(pk=first.pk).update(state_changed_at=timezone.now() - timezone.timedelta(days=3),
                                                   also_applies_master_studio=True)
    Application.objects.filter(pk=second.pk).update(state_changed_at=timezone.now(), also_applies_master_studio=None)
    client.force_login(hr_user)
    html = client.get(first.batch.get_absolute_url()).content.decode()
    assert (f'<tr><td><a href="/applications/{first.pk}/">&lt;i&gt;甲&lt;/i&gt;</a></td><td>电工&amp;钳工</td>'
            f'<td>王&quot;五</td><td><span class="badge state-badge state-submitted text-bg-primary">待主管部门初审</span>'
            f'</td><td>3天</td><td><span class="badge text-bg-warning">是</span></td></tr>\n') in html
    assert (f'<tr><td><a href="/applications/{second.pk}/">乙公司</a></td><td>焊工</td><td></td>'
            f'<td><span class="badge state-badge state-recommended') in html
    assert "</span></td><td>不足1天</td><td>否</td></tr>\n" in html

