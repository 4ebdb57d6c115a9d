from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Something in a member's or a cell's agenda: an absence, a session, a meeting.

    Recurring events (the weekly point) are stored once with their rule and expanded on
    display and in the iCalendar feeds.
    """

    class Kind(models.TextChoices):
        ABSENCE = "absence", _("Absence")
        ON_SITE = "on_site", _("On-site session")
        REMOTE = "remote", _("Remote session")
        MEETING = "meeting", _("Meeting")

    class Recurrence(models.TextChoices):
        NONE = "", _("Does not repeat")
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cell = models.ForeignKey(
        "team.Cell",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("cell"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    location = models.CharField(_("place or video link"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    recurrence = models.CharField(
        _("repeats"), max_length=12, choices=Recurrence, default=Recurrence.NONE, blank=True
    )
    recurrence_until = models.DateField(_("repeats until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(cell__isnull=False) | Q(person__isnull=False),
                name="event_belongs_to_a_cell_or_a_person",
            ),
        ]

    def __str__(self) -> str:
        return self.title
