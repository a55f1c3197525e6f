"""Every list and dashboard page runs the same number of queries with 10 and with 1,000 rows, and at most 15
(issue 8). The rows are bulk-inserted (tests/performance/world.py); each page is fetched once warm (session,
caches) and then measured."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from reviews.models import Assignment, Evaluation
from tests.performance.world import County

MAX_QUERIES = 15


def _pages(county: County) -> dict[str, tuple[str, str | None]]:
    """name → (url, attribute of the county holding the user; None = anonymous)."""
    station = county.first_station.pk
    application = Application.objects.filter(batch=county.batch, state="expert_review").order_by("pk").first()
    evaluation = Evaluation.objects.filter(round=county.open_round).order_by("pk").first()
    assignment = Assignment.objects.filter(evaluation=evaluation, expert=county.expert).order_by("pk").first()
    pages = {f"home:{role}": (reverse("home"), role)
             for role in ("unit_user", "department_user", "expert", "hr", "finance", "org_dept")}
    pages.update({
        # core
        "workstations:hr": (reverse("workstation_list"), "hr"),
        "workstations:unit": (reverse("workstation_list"), "unit_user"),
        "workstations:department": (reverse("workstation_list"), "department_user"),
        "public_workstations": (reverse("public_workstations"), None),
        "audit_log": (reverse("audit_log"), "hr"),
        "users": (reverse("staff_users"), "hr"),
        "organizations": (reverse("staff_organizations"), "hr"),
        "notifications": (reverse("notifications"), "unit_user"),
        # applications
        "applications:unit": (reverse("applications:list"), "unit_user"),
        "applications:department": (reverse("applications:list"), "department_user"),
        "applications:expert": (reverse("applications:list"), "expert"),
        "applications:hr": (reverse("applications:list"), "hr"),
        "applications:finance": (reverse("applications:list"), "finance"),
        "applications:batches": (reverse("applications:batch_list"), "hr"),
        "applications:batch": (reverse("applications:batch_detail", args=[county.batch.pk]), "hr"),
        "applications:assignments": (reverse("applications:assignment_list"), "expert"),
        "applications:publicity_list": (reverse("applications:publicity_list"), None),
        "applications:publicity": (reverse("applications:publicity_detail", args=[county.year]), None),
        # reviews
        "reviews:rounds": (reverse("reviews:round_list"), "hr"),
        "reviews:round_table": (reverse("reviews:round_detail", args=[county.open_round.pk]), "hr"),
        "reviews:grades": (reverse("reviews:round_grades", args=[county.final_round.pk]), "hr"),
        "reviews:evaluations:unit": (reverse("reviews:evaluation_list"), "unit_user"),
        "reviews:evaluations:department": (reverse("reviews:evaluation_list"), "department_user"),
        "reviews:evaluations:hr": (reverse("reviews:evaluation_list"), "hr"),
        "reviews:assignments": (reverse("reviews:assignment_list"), "expert"),
        "reviews:ledger": (reverse("reviews:ledger", args=[station]) + f"?year={county.year - 1}", "unit_user"),
        # funding
        "funding:ledger:hr": (reverse("funding:ledger"), "hr"),
        "funding:ledger:finance": (reverse("funding:ledger"), "finance"),
        "funding:tranches": (reverse("funding:tranche_list") + "?state=", "finance"),
        "funding:tranches:hr": (reverse("funding:tranche_list"), "hr"),
        "funding:expenditures:unit": (reverse("funding:expenditure_list") + "?state=", "unit_user"),
        "funding:expenditures:hr": (reverse("funding:expenditure_list") + "?state=", "hr"),
        "funding:recoveries": (reverse("funding:recovery_list") + "?state=", "finance"),
        "funding:statement:unit": (reverse("funding:statement", args=[station]), "unit_user"),
        "funding:statement:finance": (reverse("funding:statement", args=[station]), "finance"),
        # the single-record pages of issue 16 (the first of each, the same in both measurements)
        "applications:detail:hr": (reverse("applications:detail", args=[application.pk]), "hr"),
        "reviews:evaluation:hr": (reverse("reviews:evaluation_detail", args=[evaluation.pk]), "hr"),
        "reviews:score": (reverse("reviews:score", args=[assignment.pk]), "expert"),
    })
    return pages


def _measure(client, county: County) -> dict[str, int]:
    counts = {}
    for name, (url, who) in _pages(county).items():
        client.logout()
        if who is not None:
            client.force_login(getattr(county, who))
        assert client.get(url).status_code == 200, name  # warm: session, content types, translations
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.fixture
def county(db):
    return County()


def test_every_list_and_dashboard_page_runs_the_same_queries_with_10_and_1000_rows(client, county):
    county.grow(10)
    few = _measure(client, county)
    county.grow(990)
    many = _measure(client, county)
    assert many == few
    assert {name: n for name, n in many.items() if n > MAX_QUERIES} == {}
