from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("年度评估")

    def ready(self):
        from qinshui_station.registry import register_dashboard, register_nav, register_workstation_panel
        from reviews import hooks

        register_nav(*hooks.NAV)
        register_dashboard(hooks.dashboard)
        register_workstation_panel(hooks.workstation_panel)
