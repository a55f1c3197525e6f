"""Every list with a state drop-down: a value that is no state (a typed or old address) shows the whole list and
says why at the drop-down, as the ledger's and the audit log's forms do (it used to empty some lists silently and
be ignored by others)."""

import pytest
from django.urls import reverse

from tests.applications import factories as af
from tests.reviews import factories as rf

pytestmark = pytest.mark.django_db

LISTS = [
    ("reviews:round_list", "hr_user"), ("reviews:assignment_list", "expert"), ("funding:tranche_list", "hr_user"),
    ("funding:expenditure_list", "hr_user"), ("funding:recovery_list", "finance_user"),
    ("workstation_list", "hr_user"), ("applications:list", "hr_user"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("name", "person"), LISTS)
def test_an_unknown_state_is_said_at_the_drop_down(client, request, name, person, language):
    client.force_login(request.getfixturevalue(person))
    client.cookies["django_language"] = language
    response = client.get(reverse(name), {"state": "zzz<b>"})
    html = response.content.decode()
    message = ("“zzz&lt;b&gt;”不在可选范围内，请从列表中重新选择。" if language == "zh-hans"
               else "Select a valid choice. zzz&lt;b&gt; is not one of the available choices.")
    assert response.status_code == 200
    assert f'<div id="state-error" class="invalid-feedback d-block">{message}</div>' in html
    assert 'class="form-select is-invalid" id="state" name="state" aria-describedby="state-error"' in html
    assert "zzz<b>" not in html


def test_the_round_table_and_the_batch_page_show_everything_with_the_message(client, hr_user):
    round_ = rf.open_round(hr_user)
    station = rf.evaluation_in_round(round_, name="全部显示站").workstation
    client.force_login(hr_user)
    html = client.get(reverse("reviews:round_detail", args=[round_.pk]), {"state": "zzz"}).content.decode()
    assert station.name in html and 'id="state-error"' in html
    html = client.get(reverse("reviews:round_detail", args=[round_.pk]), {"state": "draft"}).content.decode()
    assert station.name in html and 'id="state-error"' not in html
    batch = af.BatchFactory()
    html = client.get(reverse("applications:batch_detail", args=[batch.pk]), {"state": "zzz"}).content.decode()
    assert 'id="state-error"' in html
