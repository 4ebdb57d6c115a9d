from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "g2id.triage"
    verbose_name = _("Team inbox")
