"""The public station list (/public/workstations/): standing stations only, newest recognition first, 25 a page,
a search over name, unit and occupation; the count in the pager matches."""

import re
from datetime import date

import pytest

from qinshui_station.models import Workstation
from qinshui_station.models.workstations import WorkstationState
from tests import factories

pytestmark = pytest.mark.django_db


def _names(client, **params):
    html = client.get("/public/workstations/", params).content.decode()
    return re.findall(r"<td>(公开站\d\d)</td>", html), html


def test_standing_stations_newest_first_by_pages_and_by_search(client):
    for i in range(27):
        factories.WorkstationFactory(name=f"公开站{i:02d}", plaque_number=f"P-{i:02d}",
                                     recognized_on=date(2024 + i % 2, 3, 1), occupation="焊工" if i < 3 else "电工")
    Workstation.objects.filter(name="公开站04").update(state=WorkstationState.REVOKED, revoked_on=date(2026, 1, 5))
    newest = [f"公开站{i:02d}" for i in range(1, 27, 2)]  # 2025, by plaque
    older = [f"公开站{i:02d}" for i in range(0, 27, 2) if i != 4]
    first, html = _names(client)
    assert first == (newest + older)[:25]
    assert _names(client, page=2)[0] == (newest + older)[25:]
    assert _names(client, q="焊工")[0] == ["公开站01", "公开站00", "公开站02"]
    assert _names(client, q="公开站04")[0] == []
