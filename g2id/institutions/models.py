from __future__ import annotations

from django.conf import settings
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


class TechnicalProfile(models.Model):
    """What a library runs: its ILS, portal, network, hosting and IT help.

    Filled in by the library when it files a request, kept up to date by the team; the last
    change says who made it.
    """

    class Ils(models.TextChoices):
        # The ILS (SIGB) most often met in French libraries; anything else is "other".
        KOHA = "koha", "Koha"
        PMB = "pmb", "PMB"
        ALOES = "aloes", "Aloès"
        ORPHEE = "orphee", "Orphée"
        DECALOG = "decalog", "Decalog SIGB"
        SYRACUSE = "syracuse", "Syracuse"
        SYMPHONY = "symphony", "Symphony"
        ALMA = "alma", "Alma"
        SIERRA = "sierra", "Sierra"
        NANOOK = "nanook", "Nanook"
        PAPRIKA = "paprika", "Paprika"
        PORTFOLIO = "portfolio", "BiblioMondo Portfolio"
        CARTHAME = "carthame", "Carthame"
        OTHER = "other", _("Other ILS")

    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", _("On the library's own server")
        VENDOR_SAAS = "vendor_saas", _("Hosted by the vendor (SaaS)")
        LOCAL_AUTHORITY = "local_authority", _("By the local authority's IT department")
        OTHER = "other", _("Other hosting")

    class UpdatedBy(models.TextChoices):
        LIBRARY = "library", _("The library, with a request")
        TEAM = "team", _("The team")

    institution = models.OneToOneField(
        Institution,
        on_delete=models.CASCADE,
        related_name="technical_profile",
        verbose_name=_("library"),
    )
    ils = models.CharField(_("ILS"), max_length=20, choices=Ils, blank=True)
    ils_version = models.CharField(_("ILS version"), max_length=50, blank=True)
    portal = models.CharField(
        _("portal"),
        max_length=150,
        blank=True,
        help_text=_("The library's website or catalogue portal, e.g. Bokeh, Syracuse, a CMS."),
    )
    network = models.CharField(
        _("network or consortium"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the departmental library's network, an intercommunal network."),
    )
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting, blank=True)
    has_it_support = models.BooleanField(
        _("in-house IT help"),
        null=True,
        blank=True,
        help_text=_("Someone in the library or its institution who can act on the servers."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by_party = models.CharField(_("updated by"), max_length=10, choices=UpdatedBy)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by (team member)"),
    )

    class Meta:
        verbose_name = _("technical profile")
        verbose_name_plural = _("technical profiles")

    def __str__(self) -> str:
        return str(self.institution)

    @property
    def ils_with_version(self) -> str:
        return " ".join(part for part in (self.get_ils_display(), self.ils_version) if part)
