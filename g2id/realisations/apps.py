from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealisationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "g2id.realisations"
    verbose_name = _("Realisations")
