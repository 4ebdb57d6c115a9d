"""Time the members give to the cell, and the home institutions' referents who account for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MINUTES_PER_DAY = 24 * 60


class Activity(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis")
    DEVELOPMENT = "development", _("Development")
    TRAINING = "training", _("Training")
    MEETING = "meeting", _("Meeting")
    TRAVEL = "travel", _("Travel")
    DOCUMENTATION = "documentation", _("Documentation")


class CellWork(models.TextChoices):
    """Work for the cell itself rather than for one intervention."""

    WEEKLY_POINT = "weekly_point", _("Weekly point")
    STEERING = "steering", _("Steering meeting")
    SELF_TRAINING = "self_training", _("Self-training")


class TimeEntry(models.Model):
    """Time a member spent on one day, on an intervention or on the cell's own work.

    `cell` is always set: the intervention's cell when the time went to an intervention, so
    that each entry belongs to one membership (and one home institution) without guessing.
    Entries are created through `g2id.timesheets.services.log_time`, which applies the rules.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("member"),
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity)
    cell = models.ForeignKey(
        "team.Cell", on_delete=models.PROTECT, related_name="time_entries", verbose_name=_("cell")
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("intervention"),
    )
    cell_work = models.CharField(_("cell work"), max_length=20, choices=CellWork, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [models.Index(fields=["member", "date"], name="timeentry_member_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=MINUTES_PER_DAY),
                name="timeentry_minutes_within_a_day",
            ),
            models.CheckConstraint(
                condition=(Q(intervention__isnull=False) & Q(cell_work=""))
                | (Q(intervention__isnull=True) & ~Q(cell_work="")),
                name="timeentry_intervention_or_cell_work",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.date} — {self.minutes} min"


class Referent(models.Model):
    """A person of a home institution who may read the secondment statements of its agents.

    Referents need no cell membership; operators create them in the admin.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="referent_roles",
        verbose_name=_("user"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="referents",
        verbose_name=_("home institution"),
    )

    class Meta:
        ordering = ["institution__name", "user__username"]
        verbose_name = _("home-institution referent")
        verbose_name_plural = _("home-institution referents")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="referent_once_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.institution}"
