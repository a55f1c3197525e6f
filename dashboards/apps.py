from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Charts for HR, finance and the organization department. Reads the core, reviews and funding; nothing
    imports it."""

    name = "dashboards"
    verbose_name = _("统计图表")

    def ready(self) -> None:
        from qinshui_station.registry import NavItem, register_nav
        from qinshui_station.roles import Role

        register_nav(NavItem(_("统计图表"), "dashboards:charts", (Role.HR, Role.FINANCE, Role.ORG_DEPT), order=90,
                             icon="bar-chart-line"))
