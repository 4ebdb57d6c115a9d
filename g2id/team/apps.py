from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "g2id.team"
    verbose_name = _("Cells and members")
