from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("补助资金")

    def ready(self) -> None:
        from funding import dashboard, services, sums
        from funding.models import Expenditure, Recovery, Tranche
        from funding.workflow import (
            EXPENDITURE_TRANSITIONS,
            RECOVERY_TRANSITIONS,
            TRANSITIONS,
            ExpenditureState,
            RecoveryState,
            TrancheState,
        )
        from qinshui_station import engine, events
        from qinshui_station.registry import KeptValues, register_kept

        dashboard.register()
        engine.register(Tranche, TRANSITIONS, TrancheState, related=("grant__workstation__unit",))
        engine.register(Expenditure, EXPENDITURE_TRANSITIONS, ExpenditureState,
                        related=("grant__workstation__unit", "category"))
        engine.register(Recovery, RECOVERY_TRANSITIONS, RecoveryState, related=("grant__workstation__unit",))
        events.subscribe(events.RECOGNIZED, services.on_station_recognized)
        events.subscribe(events.REVOKED, services.on_station_revoked)
        events.subscribe(events.ACCEPTED, services.on_station_accepted)
        events.subscribe(events.CONSTRUCTION_ENDED, services.on_construction_ended)
        register_kept(KeptValues("the grants' and batch years' sums", sums.mismatches, sums.refresh_all))
