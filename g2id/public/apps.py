from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "g2id.public"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from g2id.public import checks  # noqa: F401  (registers the system checks)
        from g2id.public.cache import connect_signals

        connect_signals()
