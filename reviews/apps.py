from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("年度评估")

    def ready(self):
        from qinshui_station import engine, events
        from qinshui_station.registry import register_dashboard, register_nav, register_workstation_panel
        from reviews import hooks, services
        from reviews.models import Assignment, Evaluation, EvaluationRound
        from reviews.workflow import (
            ASSIGNMENT_TRANSITIONS,
            EVALUATION_TRANSITIONS,
            ROUND_TRANSITIONS,
            AssignmentState,
            EvaluationState,
            RoundState,
        )

        engine.register(EvaluationRound, ROUND_TRANSITIONS, RoundState)
        engine.register(Evaluation, EVALUATION_TRANSITIONS, EvaluationState, related=("round", "workstation"))
        engine.register(Assignment, ASSIGNMENT_TRANSITIONS, AssignmentState,
                        related=("evaluation__round", "evaluation__workstation", "expert"))
        events.subscribe(events.REVOKED, services.on_station_revoked)
        events.subscribe(events.CONSTRUCTION_ENDED, services.on_construction_ended)
        register_nav(*hooks.NAV)
        register_dashboard(hooks.dashboard)
        register_workstation_panel(hooks.workstation_panel)
