from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_current_language(french: str, english: str) -> str:
    return english if (get_language() or "fr").startswith("en") and english else french


class DomainFamily(models.Model):
    """A family of request domains (SIGB, catalogue data…), e.g. code "A"."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    label_fr = models.CharField(_("French label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("domain family")
        verbose_name_plural = _("domain families")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_current_language(self.label_fr, self.label_en)


class Domain(models.Model):
    """A leaf of the request taxonomy; its code (A1…K3) is a stable public identifier."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    family = models.ForeignKey(
        DomainFamily, on_delete=models.PROTECT, related_name="domains", verbose_name=_("family")
    )
    label_fr = models.CharField(_("French label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"

    @property
    def label(self) -> str:
        return _in_current_language(self.label_fr, self.label_en)
