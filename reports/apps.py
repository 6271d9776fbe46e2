from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("工作台与统计报表")

    def ready(self) -> None:
        from chainwork import kept
        from reports.figures import COUNTERS

        for kind, counter in COUNTERS.items():
            kept.register(kind, counter)
