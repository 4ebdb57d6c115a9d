from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from g2id.accounts.models import User


class CellQuerySet(models.QuerySet["Cell"]):
    def served_by(self, user: User | AnonymousUser) -> CellQuerySet:
        """Cells whose requests this user may see: their active memberships (all for operators)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        today = timezone.localdate()
        return self.filter(
            memberships__in=Membership.objects.active_on(today).filter(person=user)
        ).distinct()


class Cell(models.Model):
    """An intervention cell: at most a handful of practitioners with a speciality and a scope."""

    NATIONAL = ""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    speciality = models.CharField(_("speciality"), max_length=150)
    region = models.CharField(
        _("region"),
        max_length=3,
        blank=True,
        help_text=_("INSEE code of the region it serves; empty for a national cell."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    positioning_target_days = models.PositiveSmallIntegerField(
        _("positioning target (working days)"), default=10
    )

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cell")
        verbose_name_plural = _("cells")

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.region == self.NATIONAL

    def team_emails(self) -> list[str]:
        """Addresses of the cell's active members, for notifications."""
        today = timezone.localdate()
        return sorted(
            {
                email
                for email in Membership.objects.active_on(today)
                .filter(cell=self)
                .values_list("person__email", flat=True)
                if email
            }
        )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: datetime.date) -> MembershipQuerySet:
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Membership(models.Model):
    """A person's secondment to a cell, on behalf of their home institution."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Coordinator")

    cell = models.ForeignKey(
        Cell, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cell")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    home_institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seconded_memberships",
        verbose_name=_("home institution"),
    )
    share_percent = models.PositiveSmallIntegerField(
        _("seconded share of working time (%)"),
        default=100,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
    )
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)
    end_date = models.DateField(_("actual end date"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cell", "start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gte=10) & Q(share_percent__lte=100),
                name="membership_share_between_10_and_100",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cell}"
