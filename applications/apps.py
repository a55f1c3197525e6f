from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("申报与认定")

    def ready(self):
        from applications import dashboard  # noqa: F401  (registers menu entries, to-dos and panels)
