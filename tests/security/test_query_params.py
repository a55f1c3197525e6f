"""Odd query parameters never give a server error (SPEC.md "Limits"; issue 15, finding 4).

The regressions the probe found: ``?q=%00`` on the public station list and the public notice, ``q`` or
``state`` with a NUL byte on the signed-in list pages, ``?year=-5`` and ``?year=99999999999`` on a station's
ledger. Then a property test: every page of ``EXPECTED`` (tests/security/test_url_access.py) that answers 200
to a GET, asked for as a role that may see it, with arbitrary query parameters (hypothesis: NUL and other
control characters, huge and negative numbers, unknown choices, very long strings) — 0 server errors.
PDF renderings are left out of the property test (they read no query parameter but ``download`` and take
seconds each); the regressions cover their pages' lists."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_url_access import EXPECTED
from tests.security.urlcases import variants

SIGNED_IN_LISTS = {  # url name → the role that sees it
    "applications:list": "hr", "applications:assignment_list": "expert_assigned",
    "applications:batch_list": "hr", "applications:publicity_list": "anonymous",
    "reviews:round_list": "hr", "reviews:evaluation_list": "hr", "reviews:assignment_list": "expert_assigned",
    "funding:ledger": "hr", "funding:tranche_list": "hr", "funding:expenditure_list": "hr",
    "funding:recovery_list": "hr", "workstation_list": "hr", "staff_users": "hr", "staff_organizations": "hr",
    "audit_log": "hr", "notifications": "unit",
}
KEYS = ["q", "state", "year", "kind", "role", "page", "flag", "batch", "department", "download", "object_type",
        "object_id", "actor", "next", "to", "step"]
NASTY = ["\x00", "a\x00b", "\x01", "\x1b[31m", "\x7f", "-5", "99999999999", "-99999999999999999999", "1e309",
         "NaN", "²", "٣", "2026", "0", "", " ", "no-such-state", "draft", "disbursed", "<script>", "' OR 1=1--",
         "%00", "ｘ" * 499, "x" * 501, "年" * 2000, "2023-02-30"]
QUERY = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8),
                        st.sampled_from(NASTY) | st.text(max_size=40) | st.integers().map(str),
                        max_size=4)
TOTALS = {"requests": 0, "server errors": 0}


def _client(w, role):
    client = Client(raise_request_exception=False)
    if w.users[role] is not None:
        client.force_login(w.users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["public_workstations", "applications:publicity_detail"])
def test_a_nul_byte_in_the_public_search_is_a_400(world_media, name):
    w = world_media
    url = reverse(name, kwargs=variants(w)[name].get("a", {}))
    response = Client(raise_request_exception=False).get(url, {"q": "\x00"})
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["q", "state"])
@pytest.mark.parametrize("name", sorted(SIGNED_IN_LISTS))
def test_a_nul_byte_in_a_list_filter_is_a_400(world_media, name, param):
    client = _client(world_media, SIGNED_IN_LISTS[name])
    assert client.get(reverse(name), {param: "煤\x00矿"}).status_code == 400
    assert client.get(reverse(name), {param: "no-such-value"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["-5", "99999999999", "1999", "2101", "２０２６", "²"])
def test_a_year_outside_2023_to_2100_shows_this_years_ledger(world_media, year):
    w = world_media
    client = _client(w, "unit")
    response = client.get(reverse("reviews:ledger", args=[w.a.station.pk]), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.django_db
def test_a_year_the_portal_knows_is_kept(world_media):
    w = world_media
    response = _client(w, "unit").get(reverse("reviews:ledger", args=[w.a.station.pk]), {"year": "2024"})
    assert response.context["year"] == 2024


def _pages(w) -> list[tuple[str, str]]:
    """(url, role) of every page answering 200 to a GET, PDF renderings aside."""
    cases, pages = variants(w), []
    for name, by_variant in EXPECTED.items():
        if name.endswith("_pdf") or name == "workstation_certificate":
            continue
        for variant, expected in by_variant.items():
            role = next((r for r, code in expected.items() if code == "200"), None)
            if role is not None:
                pages.append((reverse(name, kwargs=cases[name][variant]), role))
                break
    return pages


@pytest.mark.django_db
def test_arbitrary_query_parameters_on_every_page_give_no_server_error(world_media, capsys):
    w = world_media
    pages = _pages(w)
    assert len(pages) >= 40
    clients = {}

    @settings(max_examples=6, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(QUERY)
    def run(url, role, query):
        client = clients.setdefault(role, _client(w, role))
        response = client.get(url, query)
        TOTALS["requests"] += 1
        if response.status_code >= 500:
            TOTALS["server errors"] += 1
        assert response.status_code < 500, (url, role, query)

    for url, role in pages:
        run(url, role)
    with capsys.disabled():
        print(f"\nquery parameters: {len(pages)} pages, {TOTALS['requests']} requests, "
              f"{TOTALS['server errors']} server errors")
    assert TOTALS["server errors"] == 0
