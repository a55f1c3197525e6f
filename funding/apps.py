from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("补助资金")

    def ready(self) -> None:
        from funding import dashboard

        dashboard.register()
