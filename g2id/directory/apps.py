from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "g2id.directory"
    verbose_name = _("Partner directory")
