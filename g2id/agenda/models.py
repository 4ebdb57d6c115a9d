from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from g2id.accounts.models import User
    from g2id.team.models import Cell

# Longest span an occurrence of a repeating event may have (the form keeps each occurrence
# shorter than its interval); lets a query skip series that ended long before a window.
LONGEST_REPEATING_SPAN = datetime.timedelta(days=28)


def coordinated_cells(user: User) -> models.QuerySet[Cell]:
    """Cells whose agenda this user runs: those they coordinate today (all for operators)."""
    from g2id.team.models import Cell

    return Cell.objects.coordinated_by(user)


def people_with_public_agenda() -> models.QuerySet[User]:
    """People whose busy/free agenda is public: active members of a cell today."""
    from g2id.accounts.models import User
    from g2id.team.models import Membership

    members = Membership.objects.active_on(timezone.localdate()).values("person_id")
    return User.objects.filter(is_active=True, pk__in=members)


class EventQuerySet(models.QuerySet["Event"]):
    def overlapping(
        self, start: datetime.datetime, end: datetime.datetime | None = None
    ) -> EventQuerySet:
        """Events that may occur between `start` and `end` (or later): expand to be sure."""
        once = Q(recurrence="", ends_at__gt=start)
        repeating = ~Q(recurrence="") & (
            Q(recurrence_until__isnull=True)
            | Q(recurrence_until__gte=(start - LONGEST_REPEATING_SPAN).date())
        )
        events = self.filter(once | repeating)
        return events if end is None else events.filter(starts_at__lt=end)

    def of_person(self, person: User, *, start: datetime.date, end: datetime.date) -> EventQuerySet:
        """The person's own events and those of the cells they serve between the two days."""
        from g2id.team.models import Membership

        cells = (
            Membership.objects.filter(person=person).serving_between(start, end).values("cell_id")
        )
        return self.filter(Q(person=person) | Q(cell__in=cells))

    def editable_by(self, user: User | AnonymousUser) -> EventQuerySet:
        """Events this user may change: their own, and those of the cells they coordinate."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(person=user, cell=None) | Q(cell__in=coordinated_cells(user)))


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

    objects = EventQuerySet.as_manager()

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

    def is_editable_by(self, user: User, *, coordinated: Collection[int]) -> bool:
        """True for the person's own event, or a cell's event for one of its coordinators.

        `coordinated` holds the ids of the cells the user coordinates (coordinated_cells()).
        """
        if self.cell_id is not None:
            return self.cell_id in coordinated
        return self.person_id == user.pk
