"""The work the cell does once it has accepted a request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The part a member plays in an intervention (offered with their opinion)."""

    LEAD = "lead", _("Lead")
    CONTRIBUTOR = "contributor", _("Contributor")
    ADVICE = "advice", _("Advice")


class Intervention(models.Model):
    """An accepted request becomes an intervention, led by one member with others."""

    request = models.OneToOneField(
        "requests.Request",
        on_delete=models.CASCADE,
        related_name="intervention",
        verbose_name=_("request"),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead member"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Participation",
        related_name="interventions",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return str(self.request)


class Participation(models.Model):
    """A member's part in an intervention, as they offered it when giving their opinion."""

    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("intervention"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role)

    class Meta:
        ordering = ["id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "person"], name="participation_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id}: {self.person} ({self.role})"
