"""The partner structures a library can be referred to when the cell is not the right team."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from g2id.lib.geography import region_choices, region_name
from g2id.taxonomy.models import Domain

StrOrPromise = str | Promise


def scope_choices() -> list[tuple[str, StrOrPromise]]:
    """National (stored as "") or one 2016 region, by INSEE code."""
    return [("", _("National")), *region_choices()]


class PartnerQuerySet(models.QuerySet["Partner"]):
    def listed(self) -> PartnerQuerySet:
        """The partners shown in the public directory."""
        return self.filter(active=True)

    def serving(self, region: str) -> PartnerQuerySet:
        """The partners a library of `region` can turn to: that region's and the national ones."""
        return self.filter(Q(region=region) | Q(region=""))

    def search(self, text: str) -> PartnerQuerySet:
        text = text.strip()
        return self.filter(name__icontains=text) if text else self


class Partner(models.Model):
    """A structure (public body, association, community, company) the cell can refer to."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("public body")
        ASSOCIATION = "association", _("association")
        COMMUNITY = "community", _("community")
        PRIVATE = "private", _("private company")

    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Stable identifier, shared by the instances of a regional structure."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    specialities = models.ManyToManyField(
        Domain, related_name="partners", blank=True, verbose_name=_("specialities")
    )
    region = models.CharField(
        _("scope"),
        max_length=3,
        blank=True,
        choices=scope_choices,
        help_text=_("INSEE code of the region it serves; empty for a national structure."),
    )
    website = models.URLField(_("website"), blank=True)
    contact = models.TextField(
        _("contact"), blank=True, help_text=_("E-mail, phone or how to reach the right person.")
    )
    when_to_refer = models.TextField(_("when to refer a library to it"))
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("For the team only; never shown publicly.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive partners leave the public directory.")
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "region"]
        verbose_name = _("partner structure")
        verbose_name_plural = _("partner structures")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "region"], name="directory_partner_unique_code_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.region == ""

    @property
    def region_label(self) -> str:
        return region_name(self.region)
