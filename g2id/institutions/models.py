from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from g2id.lib import geography
from g2id.lib.isil import insee_commune_of, normalise_isil, validate_isil


class Institution(models.Model):
    """A library (or its parent institution) that files requests or seconds a member."""

    class Kind(models.TextChoices):
        MUNICIPAL = "bm", _("Municipal library")
        MUNICIPAL_CLASSIFIED = "bmc", _("Classified municipal library")
        BMVR = "bmvr", _("Regional-scale municipal library (BMVR)")
        INTERCOMMUNAL = "intercommunal", _("Intercommunal library or network")
        NETWORK_HEAD = "network_head", _("Network head library")
        DEPARTMENTAL = "departmental", _("Departmental library (BD)")
        UNIVERSITY = "university", _("University library (SCD)")
        SPECIALISED = "specialised", _("Specialised library")
        READING_POINT = "reading_point", _("Reading point")
        OTHER = "other", _("Other institution")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MUNICIPAL)
    isil = models.CharField(
        _("ISIL"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_isil],
        help_text=_("International library identifier, e.g. FR-751131015 (optional)."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    department = models.CharField(_("département"), max_length=3, blank=True, editable=False)
    region = models.CharField(_("region"), max_length=3, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        indexes = [models.Index(Lower("name"), name="institution_lower_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name

    def save(self, *args, **kwargs) -> None:
        self.isil = normalise_isil(self.isil) if self.isil else None
        self.department, self.region = self.derive_department_and_region()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.isil:
            self.isil = normalise_isil(self.isil)
        if self.postcode and geography.department_of_postcode(self.postcode) is None:
            raise ValidationError(
                {"postcode": _("Enter a French postcode of five digits, e.g. 69003.")}
            )

    def derive_department_and_region(self) -> tuple[str, str]:
        """Département and region from the postcode, else from a French ISIL's commune."""
        department = geography.department_of_postcode(self.postcode or "")
        if department is None and self.isil:
            commune = insee_commune_of(self.isil)
            department = geography.department_of_commune(commune) if commune else None
        if department is None:
            return "", ""
        return department, geography.region_of_department(department) or ""

    @property
    def region_name(self) -> str:
        return geography.region_name(self.region)
