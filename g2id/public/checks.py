"""System checks for a bad production configuration."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEV_KEY_PREFIX = "dev-only-insecure-key"


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    warnings = []
    if settings.SECRET_KEY.startswith(DEV_KEY_PREFIX):
        warnings.append(
            Warning("G2ID_SECRET_KEY is not set: the development key is in use.", id="g2id.W001")
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        warnings.append(
            Warning("G2ID_SMTP_HOST is not set: e-mails are printed, not sent.", id="g2id.W002")
        )
    if not settings.PUBLIC_BASE_URL.startswith("https://"):
        warnings.append(
            Warning("G2ID_PUBLIC_BASE_URL should be an https:// address.", id="g2id.W003")
        )
    return warnings
