from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qinshui_station"
    verbose_name = _("沁水县技师工作站平台")

    def ready(self) -> None:
        from qinshui_station import (
            dashboard,  # noqa: F401  registers the core's menu and to-do items
            engine,
            sessions,  # noqa: F401  registers the session-engine check
        )
        from qinshui_station.models import Workstation
        from qinshui_station.models.workstations import WorkstationState
        from qinshui_station.workstation_workflow import TRANSITIONS

        engine.register(Workstation, TRANSITIONS, WorkstationState)
