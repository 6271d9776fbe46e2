from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("重点企业名单")

    def ready(self) -> None:
        from chainwork import kept
        from enterprises.exposure import recount_exposure
        from enterprises.industry_chains import recount_national

        kept.register("industry_chain", recount_national)
        kept.register("exposure", recount_exposure)
