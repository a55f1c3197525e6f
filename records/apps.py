from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Records brought in and given back (issue 18): HR's import of the stations recognized on paper before the
    portal, the same workbook exported from the portal's data, and a unit's own records as one archive. The top
    layer, beside dashboards: it writes the core's, funding's and reviews' tables directly, as history."""

    name = "records"
    verbose_name = _("历史数据导入与档案下载")

    def ready(self) -> None:
        from qinshui_station.registry import NavItem, register_nav, register_workstation_panel
        from qinshui_station.roles import Role
        from records import hooks

        register_nav(
            NavItem(_("历史数据导入"), "records:import", (Role.HR,), order=96, icon="upload", group=_("系统管理")),
            NavItem(_("下载本单位档案"), "records:unit_archive", (Role.UNIT,), order=86, icon="download"),
        )
        register_workstation_panel(hooks.workstation_panel)
