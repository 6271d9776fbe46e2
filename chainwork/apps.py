from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainworkConfig(AppConfig):
    name = "chainwork"
    verbose_name = _("基础数据与用户")
