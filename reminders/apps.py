from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("提醒与预警")

    def ready(self) -> None:
        from reminders import kinds  # noqa: F401  registers the reminders' kinds for the preferences page
