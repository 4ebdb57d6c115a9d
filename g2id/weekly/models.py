"""The weekly point of a cell: when and where it is posted, and each week's record."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from g2id.weekly.safety import validate_webhook_url


class ChatKind(models.TextChoices):
    MATTERMOST = "mattermost", "Mattermost"
    SLACK = "slack", "Slack"
    ROCKETCHAT = "rocketchat", "Rocket.Chat"
    HOOKSHOT = "hookshot", _("Matrix / Tchap (hookshot generic webhook)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyPointSettings(models.Model):
    """A cell's weekly point: its day and time (Europe/Paris), its chat, its e-mail."""

    cell = models.OneToOneField(
        "team.Cell",
        on_delete=models.CASCADE,
        related_name="weekly_settings",
        verbose_name=_("cell"),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday, default=Weekday.MONDAY)
    time = models.TimeField(_("time"), default=datetime.time(9, 30))
    chat_kind = models.CharField(
        _("chat"), max_length=20, choices=ChatKind, default=ChatKind.MATTERMOST
    )
    webhook_url = models.CharField(
        _("incoming webhook address"),
        max_length=500,
        blank=True,
        validators=[validate_webhook_url],
        help_text=_("Given by the chat when you create an incoming webhook; empty: no chat post."),
    )
    email_members = models.BooleanField(_("e-mail the digest to the members"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("weekly point settings")
        verbose_name_plural = _("weekly point settings")

    def __str__(self) -> str:
        return str(self.cell)

    @property
    def delivers(self) -> bool:
        """True when a point has somewhere to go: a chat, the members' mailboxes or both."""
        return bool(self.webhook_url) or self.email_members

    def moment_in_week(self, monday: datetime.date) -> datetime.datetime:
        """This cell's point in the ISO week starting on `monday`, as an aware datetime."""
        day = monday + datetime.timedelta(days=self.weekday)
        return timezone.make_aware(datetime.datetime.combine(day, self.time))


class WeeklyPoint(models.Model):
    """One week's point of a cell: the digest as posted, and how the posting went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be posted")
        POSTED = "posted", _("Posted")
        FAILED = "failed", _("Failed")
        NO_CHAT = "no_chat", _("No chat configured")

    cell = models.ForeignKey(
        "team.Cell",
        on_delete=models.CASCADE,
        related_name="weekly_points",
        verbose_name=_("cell"),
    )
    week = models.CharField(_("ISO week"), max_length=8, help_text=_("For example 2026-W48."))
    markdown = models.TextField(_("digest (Markdown)"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        ordering = ["-week", "cell"]
        verbose_name = _("weekly point")
        verbose_name_plural = _("weekly points")
        constraints = [
            models.UniqueConstraint(fields=["cell", "week"], name="weekly_point_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.cell} {self.week}"
