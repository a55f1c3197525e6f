"""HR's batch page: every submitted application a row (link, unit, occupation, leader, state, age in the state,
the master-studio declaration), what units typed escaped."""

import re

import pytest
from django.db import connection
from django.utils import timezone

from applications.models import Application
from applications.views.batches import _batch_rows
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



def test_rows_in_one_state_and_moment_follow_their_number_so_pages_do_not_overlap(client, hr_user):
    """Ordered by state and time in it, then by number: applications that moved at the same moment (a set-based
    move stamps them all alike) keep one order, so no row shows on two pages and none on neither, however
    PostgreSQL reads them."""
    first = application_in(State.SUBMITTED)
    batch = first.batch
    others = [application_in(State.SUBMITTED, batch=batch) for _ in range(54)]
    moved = timezone.now() - timezone.timedelta(days=1)
    Application.objects.filter(batch=batch).update(state_changed_at=moved)
    everyone = sorted(a.pk for a in [first, *others])
    # the first thirty written again: stored after the others, so a scan meets them last
    Application.objects.filter(pk__in=everyone[:30]).update(leader_name="李四")
    client.force_login(hr_user)
    with connection.cursor() as cursor:  # sorted, not read off the index, where ties come out in any order
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    seen = []
    for page in (1, 2):
        html = client.get(batch.get_absolute_url(), {"page": page}).content.decode()
        seen += [int(pk) for pk in re.findall(r'<tr><td><a href="/applications/(\d+)/">', html)]
    assert seen == everyone


def test_the_pages_rows_are_read_in_order_off_their_index(hr_user):
    """The page's rows come off the partial index application_batch_page in the page's order (no sort of the
    whole batch on every view, docs/performance.md); with sorting and scanning the table priced out, PostgreSQL
    names the index only if it serves the filter and the order."""
    sql, params = _batch_rows(user=hr_user, batch=1, state=None)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using application_batch_page" in plan
    assert "Sort" not in plan
