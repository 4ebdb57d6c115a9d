from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "g2id.steering"
    verbose_name = _("Steering meetings")
