from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimesheetsConfig(AppConfig):
    name = "g2id.timesheets"
    verbose_name = _("Time and secondments")
