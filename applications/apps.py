from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("申报与认定")

    def ready(self):
        from applications import (
            dashboard,  # noqa: F401  (registers menu entries, to-dos and panels)
            overlaps,
            workflow,
        )
        from applications.models import Application, Batch, ExpertAssignment, Objection
        from applications.states import BatchState, ExpertAssignmentState, ObjectionState, State
        from qinshui_station import engine
        from qinshui_station.registry import KeptValues, register_kept

        engine.register(Batch, workflow.BATCH_TRANSITIONS, BatchState)
        engine.register(Application, workflow.TRANSITIONS, State, related=("batch", "unit"))
        engine.register(Objection, workflow.OBJECTION_TRANSITIONS, ObjectionState, related=("application",))
        engine.register(ExpertAssignment, workflow.ASSIGNMENT_TRANSITIONS, ExpertAssignmentState,
                        related=("application", "expert"))
        register_kept(KeptValues("the names a batch's applications share", overlaps.mismatches, overlaps.refresh_all))
