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

    def coordinated_by(self, user: User | AnonymousUser) -> CellQuerySet:
        """Cells this user coordinates today (all for operators)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        coordinations = Membership.objects.active_on(timezone.localdate()).filter(
            person=user, role=Membership.Role.COORDINATOR
        )
        return self.filter(memberships__in=coordinations).distinct()


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
    charter = models.TextField(
        _("charter"), blank=True, help_text=_("Markdown: who, where, what, how, why.")
    )
    vade_mecum = models.TextField(
        _("vade-mecum"),
        blank=True,
        help_text=_("Markdown: how to ask, what we do and don't, delays, referrals."),
    )
    member_cap = models.PositiveSmallIntegerField(
        _("maximum number of active members"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    term_cap_years = models.PositiveSmallIntegerField(
        _("maximum total years of membership per person"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    positioning_target_days = models.PositiveSmallIntegerField(
        _("positioning target (working days)"), default=10
    )
    light_work_max_days = models.PositiveSmallIntegerField(
        _("light-work limit (person-days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("A request estimated above this effort is flagged as heavy work."),
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

    def is_coordinated_by(self, user: User | AnonymousUser) -> bool:
        """True for an active coordinator of this cell, and for operators."""
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        return (
            Membership.objects.active_on(timezone.localdate())
            .filter(cell=self, person=user, role=Membership.Role.COORDINATOR)
            .exists()
        )

    def team_emails(self, *, new_request_alert: bool = False) -> list[str]:
        """Addresses of the cell's active members, for notifications; with `new_request_alert`,
        only of those who want to hear of each new request."""
        today = timezone.localdate()
        memberships = Membership.objects.active_on(today).filter(cell=self)
        if new_request_alert:
            memberships = memberships.filter(person__notify_new_requests=True)
        return sorted(
            {email for email in memberships.values_list("person__email", flat=True) if email}
        )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def serving_between(self, start: datetime.date, end: datetime.date) -> MembershipQuerySet:
        """Memberships running on at least one day from `start` to `end` (by their actual end;
        the agenda shows a cell's events to whoever serves it then)."""
        return self.filter(start_date__lte=end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start)
        )

    def active_on(self, day: datetime.date) -> MembershipQuerySet:
        """Memberships running on `day`: started, and neither ended nor past their planned end
        (the same rule as Membership.is_active_on)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__gte=day)
            | Q(end_date__isnull=True, planned_end_date__isnull=True)
            | Q(end_date__isnull=True, planned_end_date__gte=day)
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
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True)
                | Q(planned_end_date__gte=models.F("start_date")),
                name="membership_planned_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cell}"

    @property
    def last_day(self) -> datetime.date | None:
        """The last day of service: the actual end if known, else the planned one."""
        return self.end_date or self.planned_end_date

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.last_day is None or day <= self.last_day)


class Skill(models.Model):
    """A person's skill in one domain of the request taxonomy, at a level from 1 to 3."""

    class Level(models.IntegerChoices):
        BASICS = 1, _("Basics")
        PRACTITIONER = 2, _("Practitioner")
        EXPERT = 3, _("Expert")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="skills",
        verbose_name=_("person"),
    )
    domain = models.ForeignKey(
        "taxonomy.Domain", on_delete=models.PROTECT, related_name="+", verbose_name=_("domain")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level, default=Level.PRACTITIONER)

    class Meta:
        ordering = ["person", "-level", "domain__code"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["person", "domain"], name="skill_once_per_domain"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=3), name="skill_level_between_1_and_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.domain.code} ({self.level})"
