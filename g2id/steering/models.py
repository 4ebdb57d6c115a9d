"""The monthly steering meeting: its agenda, minutes, attendees and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """One steering meeting per cell and month; its slot is also an event of the cell's agenda."""

    cell = models.ForeignKey(
        "team.Cell",
        on_delete=models.CASCADE,
        related_name="steering_meetings",
        verbose_name=_("cell"),
    )
    month = models.DateField(_("month"), help_text=_("First day of the meeting's month."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place or video link"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendees")
    )
    event = models.OneToOneField(
        "agenda.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steering_meeting",
        verbose_name=_("agenda event"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    agenda_built_at = models.DateTimeField(_("agenda built from the data at"), null=True)

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name = _("steering meeting")
        verbose_name_plural = _("steering meetings")
        constraints = [
            models.UniqueConstraint(fields=["cell", "month"], name="steering_meeting_once_a_month"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="steering_meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cell} — {self.month:%Y-%m}"


class Source(models.TextChoices):
    """Where an agenda item comes from."""

    PENDING = "pending", _("Decisions pending")
    OVERRIDES = "overrides", _("Decided without quorum")
    FIGURES = "figures", _("Figures of the month")
    TRAINING = "training", _("Training needs")
    REFERRALS = "referrals", _("Referrals judged unhelpful")
    ROTATION = "rotation", _("Rotation and recruitment")
    CARRIED_OVER = "carried_over", _("Open steering decision")
    ADDED = "added", _("Added by the coordinator")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.ADDED)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True, help_text=_("Markdown."))
    decision = models.ForeignKey(
        "SteeringDecision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("steering decision followed up"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class SteeringDecision(models.Model):
    """A decision of a steering meeting: what, who carries it out, by when; open until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    cell = models.ForeignKey(
        "team.Cell",
        on_delete=models.CASCADE,
        related_name="steering_decisions",
        verbose_name=_("cell"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="steering_decisions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=5, choices=Status, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("steering decision")
        verbose_name_plural = _("steering decisions")
        indexes = [models.Index(fields=["cell", "status"], name="steering_decision_cell_status")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
