"""The HR / finance charts page: the figures in its tables, a constant number of queries, chart data for the
static script (json_script, no inline code), the library served from static files."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews import services as review_services
from tests import factories
from tests.funding import factories as ff
from tests.reviews import factories as rf

pytestmark = pytest.mark.django_db
URL = "/dashboards/"


def table(html: str, slug: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]*id="table-{slug}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def world(hr, finance, expert, n: int, year: int = 2031):
    ff.ensure_categories()
    for _i in range(n):
        ws, _grant = ff.disbursed_station(hr=hr, finance=finance, batch_year=2025)
        ff.spend(ws, factories.UnitUserFactory(organization=ws.unit), Decimal("1000.50"))
    round_ = rf.open_round(hr, year=year)
    rf.scored_evaluation(round_, hr, [expert], **rf.FULL_JUDGED)  # 70 → qualified
    rf.scored_evaluation(round_, hr, [expert], system="5", support="5", mentoring="5", exchange="5")  # 20
    review_services.finalize_round(actor=hr, round_id=round_.pk)


def test_hr_sees_stations_rounds_and_money(client, hr_user, finance_user, expert):
    world(hr_user, finance_user, expert, 2)
    client.force_login(hr_user)
    html = client.get(URL).content.decode()
    # 2 funded stations + 2 evaluated (one revoked after failing)
    assert table(html, "stations-by-state") == [["建设期", "3"], ["验收合格", "0"], ["已撤销", "1"]]
    assert table(html, "round-2031-scores") == [["60分以下", "1"], ["60–69分", "0"], ["70–79分", "1"],
                                               ["80–89分", "0"], ["90分及以上", "0"]]
    assert table(html, "round-2031-grades") == [["优秀", "0"], ["合格", "1"], ["不合格", "1"]]
    this_year = str(timezone.localdate().year)
    assert table(html, "subsidy-by-year") == [["2025", "¥200,000.00", "¥0.00", "¥0.00"],
                                              [this_year, "¥0.00", "¥80,000.00", "¥2,001.00"]]
    assert ["仪器设备购置改造与维护", "¥2,001.00"] in table(html, "spent-by-category")


def test_chart_data_is_json_for_the_static_script(client, finance_user, hr_user, expert):
    world(hr_user, finance_user, expert, 1)
    client.force_login(finance_user)
    html = client.get(URL).content.decode()
    data = json.loads(re.search(r'<script id="chart-data-subsidy-by-year" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    assert data["money"] is True and data["datasets"][1]["label"] == "已拨付"
    assert '<canvas data-chart="chart-data-subsidy-by-year" role="img" aria-label="补助资金按年度（元）">' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html and "/static/js/charts.js" in html
    # no inline code (json_script's data islands are not executed)
    assert re.findall(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>', html) == []
    assert html.index("补助资金") < html.index("年度评估")  # finance starts with the money


def test_other_roles_are_refused(client, unit_user, expert):
    for user in (unit_user, expert):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_the_page_uses_a_constant_number_of_queries(client, hr_user, finance_user, expert):
    world(hr_user, finance_user, expert, 1)
    client.force_login(hr_user)
    assert client.get(URL).status_code == 200  # warm: session, content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    world(hr_user, finance_user, expert, 6, year=2040)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few) <= 15
