import re

import pytest
from django.urls import reverse

from tests import factories

MENU = {
    # role fixture -> (menu entries that must be there, entries that must not)
    "unit_user": (["单位信息", "工作站"], ["账号管理", "操作日志", "节假日安排"]),
    "department_user": (["工作站"], ["单位信息", "账号管理", "操作日志"]),
    "expert": ([], ["单位信息", "账号管理", "操作日志", "工作站"]),
    "hr_user": (["账号管理", "机构管理", "节假日安排", "操作日志", "工作站"], ["单位信息"]),
    "finance_user": (["工作站"], ["账号管理", "单位信息", "操作日志"]),
    "org_dept_user": (["工作站"], ["账号管理", "单位信息", "操作日志"]),
}


@pytest.mark.parametrize("role_fixture", list(MENU))
def test_each_role_sees_only_its_menu(client, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('id="mainnav"'):html.index("</nav>", html.index('id="mainnav"'))]
    present, absent = MENU[role_fixture]
    for label in present:
        assert label in nav, label
    for label in absent:
        assert label not in nav, label


@pytest.mark.parametrize(
    "role_fixture,heading",
    [("unit_user", "申报单位工作台"), ("department_user", "行业主管部门工作台"), ("expert", "评审专家工作台"),
     ("hr_user", "县人社局工作台"), ("finance_user", "县财政局工作台"), ("org_dept_user", "县委组织部工作台")],
)
def test_home_page_per_role(client, request, role_fixture, heading):
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert f'data-dashboard="{user.role}"' in response.content.decode()


def test_anonymous_home_redirects_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/home/"


@pytest.mark.parametrize("url_name", ["staff_users", "staff_organizations", "staff_calendar", "audit_log"])
@pytest.mark.parametrize("role_fixture", ["unit_user", "department_user", "expert", "finance_user", "org_dept_user"])
def test_hr_pages_refuse_other_roles(client, request, url_name, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["staff_users", "staff_organizations", "staff_calendar", "audit_log"])
def test_hr_pages_open_for_hr(client, hr_user, url_name):
    client.force_login(hr_user)
    assert client.get(reverse(url_name)).status_code == 200


def test_unread_notification_shows_on_dashboard(client, unit_user):
    from qinshui_station.notifications import notify

    notify([unit_user], "您的申报已退回修改", "/applications/")
    client.force_login(unit_user)
    html = client.get(reverse("home")).content.decode()
    assert "未读通知" in html
    assert '<span class="badge bg-warning text-dark">1</span>' in html


@pytest.mark.parametrize(("unread", "shown"), [(99, "99"), (100, "99+"), (250, "99+")])
def test_unread_badge_counts_up_to_99(client, unit_user, unread, shown, django_assert_max_num_queries):
    """The badge and the to-do item say "99+" beyond 99: the count reads at most 100 rows, whatever the backlog."""
    from django.utils import timezone

    from qinshui_station.models import Notification

    Notification.objects.bulk_create(Notification(recipient=unit_user, message=f"通知{k}", url="/",
                                                  created_at=timezone.now()) for k in range(unread))
    Notification.objects.create(recipient=unit_user, message="已读", url="/", created_at=timezone.now(),
                                read_at=timezone.now())
    client.force_login(unit_user)
    html = client.get(reverse("notifications")).content.decode()
    assert f'<span class="badge bg-warning text-dark">{shown}</span>' in html
    html = client.get(reverse("home")).content.decode()
    assert f'<div class="count">{shown}</div>' in html


def test_error_pages_are_in_chinese(client, unit_user):
    client.force_login(unit_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_workstation_of_another_unit_is_404(client, unit_user):
    mine = factories.WorkstationFactory(unit=unit_user.organization)
    theirs = factories.WorkstationFactory()
    client.force_login(unit_user)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_department_sees_only_its_sector_workstations(client, department_user, unit_user):
    mine = factories.WorkstationFactory(unit=unit_user.organization)
    theirs = factories.WorkstationFactory()
    client.force_login(department_user)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_public_list_hides_revoked_stations(client, db):
    from datetime import date

    active = factories.WorkstationFactory()
    revoked = factories.WorkstationFactory(state="revoked", revoked_on=date(2026, 5, 1))
    html = client.get(reverse("public_workstations")).content.decode()
    assert active.plaque_number in html
    assert revoked.plaque_number not in html


def test_hr_menu_groups_administration_into_one_drop_down(client, hr_user):
    client.force_login(hr_user)
    html = client.get(reverse("home")).content.decode()
    start = html.index(">", html.index('class="nav-link dropdown-toggle', html.index('id="mainnav"')))
    group = html[start:html.index("</ul>", start)]
    assert group.count('class="dropdown-item') == 2  # 申报认定: 工作站申报, 申报批次
    admin_start = html.index("系统管理")
    admin = html[admin_start:html.index("</ul>", admin_start)]
    labels = ("账号管理", "机构管理", "节假日安排", "操作日志", "办公信息", "历史数据导入", "邮件发送失败")
    assert [label for label in labels if label in admin] == list(labels)
    assert admin.count('class="dropdown-item') == 7


def test_a_group_with_one_entry_for_this_role_stays_a_plain_link(client, unit_user):
    client.force_login(unit_user)
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('id="mainnav"'):html.index("</nav>", html.index('id="mainnav"'))]
    assert re.search(r'<li class="nav-item"><a class="nav-link"\s+href="/funding/expenditures/">', nav)
    assert "dropdown-item" not in nav.split('id="user-menu"')[0]


def _current(html: str) -> list[str]:
    """The menu entries marked as the current page."""
    nav = html[html.index('id="mainnav"'):html.index('id="user-menu"')]
    return re.findall(r'aria-current="page" href="([^"]+)"', nav)


def test_the_menu_follows_role_language_and_page_in_one_process(client, hr_user, unit_user, settings):
    """The menu's HTML is kept per role, language and current entry (context_processors._menus): each of those
    changes what one process serves, in either order."""
    client.force_login(hr_user)
    assert _current(client.get(reverse("audit_log")).content.decode()) == ["/staff/audit/"]
    assert _current(client.get(reverse("home")).content.decode()) == ["/home/"]
    assert _current(client.get(reverse("staff_users")).content.decode()) == ["/staff/users/"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("audit_log")).content.decode()
    assert _current(html) == ["/staff/audit/"]
    assert "Audit log" in html[html.index('id="mainnav"'):html.index('id="user-menu"')]
    assert "操作日志" not in html[html.index('id="mainnav"'):html.index('id="user-menu"')]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(unit_user)
    nav = client.get(reverse("home")).content.decode()
    nav = nav[nav.index('id="mainnav"'):nav.index('id="user-menu"')]
    assert "单位信息" in nav and "操作日志" not in nav


def test_the_unread_count_reads_the_index_without_sorting(unit_user):
    """The capped count must not sort the backlog (the model's ordering would: 8,542 rows sorted for a badge)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qinshui_station.notifications import unread_count

    with CaptureQueriesContext(connection) as captured:
        assert unread_count(unit_user) == 0
    (query,) = captured.captured_queries
    assert "LIMIT 100" in query["sql"] and "ORDER BY" not in query["sql"]


def test_the_server_error_page_needs_no_database_and_speaks_both_languages(rf, unit_user):
    """handler500 renders without the request's context (the menu's queries): it must work when the database is
    what failed."""
    from django.db import connection

    from qinshui_station.views.errors import server_error

    def refuse(*args):
        raise AssertionError("the error page ran a query")

    request = rf.get("/")
    request.user = unit_user  # signed in: the menu would count the unread notices
    with connection.execute_wrapper(refuse):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出现错误（500）" in html and "A server error occurred (500)" in html


@pytest.mark.parametrize("role_fixture", ["finance_user", "org_dept_user"])
def test_a_round_under_way_is_shown_apart_from_what_waits_for_finance_and_the_organization_department(
        client, request, hr_user, role_fixture):
    """Finance and the organization department have nothing to do in an evaluation round: it is shown under 进行中,
    and their 待办事项 says there is nothing waiting (it listed the round as a thing to do)."""
    from tests.reviews import factories as rf

    rf.open_round(hr_user)
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(reverse("home")).content.decode()
    waiting, _sep, under_way = html.partition('<h2 class="h5 mt-4">进行中</h2>')
    assert '<p class="alert alert-success">暂无待办事项。</p>' in waiting and "进行中的年度评估" not in waiting
    assert re.findall(r'<a class="stretched-link" href="[^"]+">([^<]+)</a>', under_way) == ["进行中的年度评估"]


def test_the_person_and_the_unread_count_come_in_one_query(client, unit_user):
    """A signed-in page reads the person, the organization and the unread count together: no query of its own
    counts the notifications, and the badge still says how many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qinshui_station.notifications import notify

    notify([unit_user], "您的申报已退回修改", "/applications/")
    notify([unit_user], "请补充材料", "/applications/")
    client.force_login(unit_user)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("workstation_list")).content.decode()
    assert '<span class="badge bg-warning text-dark">2</span>' in html
    counting = [q["sql"] for q in captured.captured_queries if '"qinshui_station_notification"' in q["sql"]]
    assert len(counting) == 1 and counting[0].startswith('SELECT "qinshui_station_user"."id"')
