"""The core's own menu entries and to-do items."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qinshui_station import audit_labels  # noqa: F401  (registers the audit log's action labels)
from qinshui_station.models import Delivery, DeliveryState
from qinshui_station.notifications import unread_count, unread_label
from qinshui_station.registry import DashboardItem, NavItem, register_dashboard, register_nav
from qinshui_station.roles import Role

ALL_ROLES = tuple(Role.values)

register_nav(
    NavItem(_("首页"), "home", ALL_ROLES, order=0, icon="house"),
    NavItem(pgettext_lazy("plural", "工作站"), "workstation_list", (Role.UNIT, Role.DEPARTMENT, Role.HR, Role.FINANCE, Role.ORG_DEPT),
            order=40, icon="award"),
    NavItem(_("单位信息"), "unit_profile", (Role.UNIT,), order=90, icon="building"),
    NavItem(_("账号管理"), "staff_users", (Role.HR,), order=91, icon="people", group=_("系统管理")),
    NavItem(_("机构管理"), "staff_organizations", (Role.HR,), order=92, icon="diagram-3", group=_("系统管理")),
    NavItem(_("节假日安排"), "staff_calendar", (Role.HR,), order=93, icon="calendar3", group=_("系统管理")),
    NavItem(_("操作日志"), "audit_log", (Role.HR,), order=94, icon="journal-text", group=_("系统管理")),
    NavItem(_("办公信息"), "staff_office", (Role.HR,), order=95, icon="telephone", group=_("系统管理")),
    NavItem(_("邮件发送失败"), "failed_deliveries", (Role.HR,), order=97, icon="envelope-exclamation",
            group=_("系统管理")),
    NavItem(_("工作站名单"), "public_workstations", (), order=20, icon="award", public=True),
)


def _unread(user):
    count = unread_count(user)  # the menu's badge reads the same count (counted once a request)
    if not count:
        return []
    return [DashboardItem(str(_("未读通知")), unread_label(count), "/notifications/", order=99)]


def _failed_mail(user):
    if user.role != Role.HR:
        return []
    count = Delivery.objects.filter(status=DeliveryState.FAILED).count()
    if not count:
        return []
    return [DashboardItem(str(_("邮件发送失败")), count, "/staff/deliveries/", hint=str(_("核实邮箱后可重新发送")),
                          urgent=True, order=98)]


register_dashboard(_unread)
register_dashboard(_failed_mail)
