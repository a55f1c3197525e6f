"""Rendered pages kept under the data version (qinshui_station/page_cache.py): served again only while nothing
has changed, never to another person, with a CSRF token that works, never with someone's messages."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding import services
from qinshui_station.page_cache import cached_page
from tests import factories
from tests.funding.factories import first_tranche, funded_station

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def _without_tokens(html: str) -> str:
    return TOKEN.sub("", html)


@pytest.fixture
def ledger_people():
    hr = factories.HRUserFactory(full_name="人社王科长")
    finance = factories.FinanceUserFactory(full_name="财政李科长")
    ws, grant = funded_station(hr=hr, name="沁水县技师工作站（缓存测试一）")
    return hr, finance, ws, grant


def test_the_second_view_comes_from_the_cache_and_is_the_same_page(client, ledger_people):
    _hr, finance, _ws, _grant = ledger_people
    client.force_login(finance)
    first = client.get(reverse("funding:ledger"))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("funding:ledger"))
    assert first.status_code == second.status_code == 200
    # one query: the person with the data version (the session itself is in the cache); nothing of the page
    (query,) = (q["sql"] for q in queries.captured_queries)
    assert query.endswith(f'FROM qs_data_version) FROM "qinshui_station_user" WHERE "id" = {finance.pk}')
    assert _without_tokens(second.content.decode()) == _without_tokens(first.content.decode())
    assert "沁水县技师工作站（缓存测试一）" in second.content.decode()


def _row(html: str, plaque: str) -> str:
    start = html.index(f'data-station="{plaque}"')
    return html[start:html.index("</tr>", start)]


def test_a_committed_change_shows_on_the_next_view(client, ledger_people):
    hr, finance, ws, grant = ledger_people
    client.force_login(finance)
    assert "<td>待审批</td>" in _row(client.get(reverse("funding:ledger")).content.decode(), ws.plaque_number)
    funded_station(hr=hr, name="沁水县技师工作站（缓存测试二）")
    services.approve_tranche(tranche_id=first_tranche(grant).pk, actor=hr)
    html = client.get(reverse("funding:ledger")).content.decode()
    assert "沁水县技师工作站（缓存测试二）" in html
    assert "<td>已审批待拨付</td>" in _row(html, ws.plaque_number)


def test_nobody_is_served_another_persons_page(ledger_people):
    hr, finance, _ws, _grant = ledger_people
    pages = {}
    for user in (finance, hr, finance, hr):
        client = Client()
        client.force_login(user)
        pages.setdefault(user.full_name, []).append(client.get(reverse("funding:ledger")).content.decode())
    for name, other in (("财政李科长", "人社王科长"), ("人社王科长", "财政李科长")):
        for html in pages[name]:
            assert name in html and other not in html


def test_the_csrf_token_of_a_cached_page_is_fresh_and_accepted(ledger_people):
    _hr, finance, _ws, _grant = ledger_people
    client = Client(enforce_csrf_checks=True)
    client.force_login(finance)
    first = TOKEN.findall(client.get(reverse("funding:ledger")).content.decode())
    with CaptureQueriesContext(connection) as queries:
        second = TOKEN.findall(client.get(reverse("funding:ledger")).content.decode())
    assert len(queries.captured_queries) == 1  # served from the cache
    assert len(first) == len(second) == 2  # the language switch and the sign-out forms
    assert not set(first) & set(second)  # masked anew on every response
    response = client.post(reverse("set_language"), {"language": "en", "next": "/funding/",
                                                     "csrfmiddlewaretoken": second[0]})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/probe/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _counting_view(respond=lambda n: HttpResponse(f"第{n}次", content_type="text/plain; charset=utf-8")):
    """A cached view that counts how often it really ran; ``respond(n)`` gives its n-th response."""
    calls = []

    @cached_page
    def view(request):
        calls.append(1)
        return respond(len(calls))

    return view, calls


def test_pending_messages_are_shown_by_a_fresh_page_and_never_stored(hr_user):
    view, calls = _counting_view()
    request = _request(hr_user)
    messages.success(request, "已保存。")
    assert view(request).content.decode() == "第1次"
    assert view(_request(hr_user)).content.decode() == "第2次"  # the page with the message was not kept
    assert view(_request(hr_user)).content.decode() == "第2次"
    assert len(calls) == 2


def test_posts_other_people_and_a_switched_off_cache_are_rendered_each_time(settings, hr_user, finance_user):
    view, calls = _counting_view()
    view(_request(hr_user))
    view(_request(hr_user, "post"))
    view(_request(finance_user))
    assert len(calls) == 3
    view(_request(finance_user))
    assert len(calls) == 3
    settings.PAGE_CACHE_SECONDS = 0
    view(_request(finance_user))
    assert len(calls) == 4


def test_errors_are_never_stored(hr_user):
    view, calls = _counting_view(lambda n: HttpResponse("稍后再试", status=503))
    view(_request(hr_user))
    view(_request(hr_user))
    assert len(calls) == 2


def test_a_page_over_the_size_limit_is_rendered_each_time(hr_user):
    from qinshui_station.page_cache import LARGEST

    # 3 bytes a character in UTF-8: just over the limit
    view, calls = _counting_view(lambda n: HttpResponse("站" * (LARGEST // 3 + 1)))
    view(_request(hr_user))
    view(_request(hr_user))
    assert len(calls) == 2
    view, calls = _counting_view(lambda n: HttpResponse(b"a" * LARGEST))  # exactly the limit: kept
    view(_request(hr_user))
    view(_request(hr_user))
    assert len(calls) == 1


def test_the_person_loaded_on_each_request_is_the_person_the_orm_loads(hr_user):
    from django.forms.models import model_to_dict

    from qinshui_station.auth_backend import PortalBackend, _statement
    from qinshui_station.models import User

    assert _statement() is not None  # the one-statement path is the one in use
    loaded = PortalBackend().get_user(hr_user.pk)
    assert model_to_dict(loaded) == model_to_dict(User.objects.get(pk=hr_user.pk))
    assert (loaded.last_login, loaded.date_joined) == User.objects.values_list("last_login", "date_joined").get(
        pk=hr_user.pk)
    assert len(loaded.data_version_seen) == 36
    User.objects.filter(pk=hr_user.pk).update(is_active=False)
    assert PortalBackend().get_user(hr_user.pk) is None
    assert PortalBackend().get_user(hr_user.pk + 10_000) is None
