"""HR's round table: its filters (state, the overclaim flag, a search) and its pages give exactly the rows they
name, whichever combination is used (each combination's SQL is kept by itself: qinshui_station.prepared)."""

import re
from decimal import Decimal

import pytest

from reviews.models import Evaluation
from reviews.workflow import EvaluationState
from tests.reviews import factories as rf

pytestmark = pytest.mark.django_db


def _names(client, round_, **params) -> list[str]:
    response = client.get(f"/reviews/rounds/{round_.pk}/", params)
    assert response.status_code == 200
    return re.findall(r'<td><a href="/reviews/evaluations/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def table(client, hr_user):
    round_ = rf.open_round(hr_user)
    made = {}
    for i in range(27):
        evaluation = rf.evaluation_in_round(round_, name=f"站{i:02d}", plaque_number=f"T-{i:02d}")
        made[evaluation.workstation.name] = evaluation
    # a few submitted, two of them with a self-score 10 or more above the assessed one
    Evaluation.objects.filter(pk__in=[made[n].pk for n in ("站01", "站02", "站26")]).update(
        state=EvaluationState.SUBMITTED)
    Evaluation.objects.filter(pk__in=[made[n].pk for n in ("站02", "站26")]).update(
        self_total=Decimal("95.00"), assessed_total=Decimal("80.00"))
    Evaluation.objects.filter(pk=made["站05"].pk).update(self_total=Decimal("85.00"), assessed_total=Decimal("80.00"))
    client.force_login(hr_user)
    return round_


def test_each_filter_and_their_combination(client, table):
    everyone = [f"站{i:02d}" for i in range(27)]
    assert _names(client, table) == everyone[:25]
    assert _names(client, table, page=2) == everyone[25:]
    assert _names(client, table, state="submitted") == ["站01", "站02", "站26"]
    assert _names(client, table, flag="1") == ["站02", "站26"]
    assert _names(client, table, state="draft", flag="1") == []
    # (a search for "26" alone also finds a unit whose factory-made name has that number)
    assert _names(client, table, state="submitted", flag="1", q="站26") == ["站26"]
    assert _names(client, table, q="站1") == [f"站1{i}" for i in range(10)]
    assert _names(client, table, state="returned") == []


def test_a_search_counts_its_own_rows(client, table):
    html = client.get(f"/reviews/rounds/{table.pk}/", {"q": "站1"}).content.decode()
    assert "共 10 条" in html and "下一页" not in html
    html = client.get(f"/reviews/rounds/{table.pk}/", {"state": "submitted"}).content.decode()
    assert "共 3 条" in html
    html = client.get(f"/reviews/rounds/{table.pk}/").content.decode()
    assert "第 1 / 2 页，共 27 条" in html
