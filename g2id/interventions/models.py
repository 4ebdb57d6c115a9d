"""The work the cell does once it has accepted a request."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from g2id.lib import private_links

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from g2id.accounts.models import User

# The library has this long to answer the survey; unanswered, the intervention then closes.
SURVEY_DAYS = 30
# The impact check goes out this long after closing, and its link stays open this long.
IMPACT_CHECK_AFTER = datetime.timedelta(days=182)
IMPACT_CHECK_DAYS = 60


class Role(models.TextChoices):
    """The part a member plays in an intervention (offered with their opinion)."""

    LEAD = "lead", _("Lead")
    CONTRIBUTOR = "contributor", _("Contributor")
    ADVICE = "advice", _("Advice")


class Mode(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    MIXED = "mixed", _("Mixed")


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def visible_to(self, user: User | AnonymousUser) -> InterventionQuerySet:
        """Interventions of the cells this team member serves; nothing for anybody else."""
        from g2id.requests.models import Request

        return self.filter(request__in=Request.objects.visible_to(user))


class Intervention(models.Model):
    """An accepted request becomes an intervention, led by one member with others.

    Its state is the request's status (planned → in_progress → delivered → closed): every
    move goes through Request.change_status (see g2id/interventions/services.py).
    """

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
    mode = models.CharField(_("mode"), max_length=10, choices=Mode, default=Mode.REMOTE)
    planned_start = models.DateField(_("planned from"), null=True, blank=True)
    planned_end = models.DateField(_("planned until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="intervention_planned_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return str(self.request)

    def get_absolute_url(self) -> str:
        return reverse("interventions:detail", args=[self.request.reference])

    def upcoming_sessions(self) -> models.QuerySet[Session]:
        return self.sessions.filter(date__gte=timezone.localdate())


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


class Session(models.Model):
    """A working session with the library; each member gets it in their agenda."""

    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("intervention"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    location = models.CharField(_("place or video link"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # One agenda event per member, kept in step by the services and deleted with the session.
    events = models.ManyToManyField(
        "agenda.Event", related_name="intervention_sessions", blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id}: {self.date} {self.start_time}"

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))


class Task(models.Model):
    """One line of the intervention's checklist."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("intervention")
    )
    title = models.CharField(_("task"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    done = models.BooleanField(_("done"), default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class TransferRecord(models.Model):
    """What the team taught, to whom and how, so that the library can carry on alone.

    People are named by their role; their names stay with the team unless `names_public`.
    """

    intervention = models.OneToOneField(
        Intervention,
        on_delete=models.CASCADE,
        related_name="transfer_record",
        verbose_name=_("intervention"),
    )
    what_taught = models.TextField(_("what was taught"))
    taught_to = models.CharField(
        _("to whom (roles)"),
        max_length=300,
        help_text=_("Roles, not names: for instance “two cataloguers, the systems librarian”."),
    )
    names = models.CharField(
        _("names of the people trained"),
        max_length=300,
        blank=True,
        help_text=_("Optional; seen by the team only unless the people agreed to be named."),
    )
    names_public = models.BooleanField(_("the people agreed to be named"), default=False)
    through_sessions = models.BooleanField(_("through working sessions"), default=False)
    through_documentation = models.BooleanField(_("through documentation"), default=False)
    how = models.TextField(_("how, in a few words"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("transfer record")
        verbose_name_plural = _("transfer records")

    def __str__(self) -> str:
        return f"{self.intervention_id}: {self.taught_to}"


Linked = TypeVar("Linked", bound="PrivateLink")


class PrivateLinkQuerySet(models.QuerySet[Linked]):
    def by_token(self, token: str) -> Linked | None:
        """The row a private link opens, compared in constant time; None otherwise."""
        rows = self.select_related(
            "intervention__request__institution", "intervention__request__cell"
        )
        return private_links.find_by_token(rows, token)


class PrivateLink(models.Model):
    """A question put to the library by a private link, answered once before it expires."""

    selector = models.CharField(max_length=private_links.SELECTOR_LENGTH, unique=True)
    token = models.CharField(max_length=64)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self.token:
            self.token = private_links.new_token()
            self.selector = self.token[: private_links.SELECTOR_LENGTH]
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        return self.answered_at is None and (now or timezone.now()) < self.expires_at


class Survey(PrivateLink):
    """The library's verdict, asked by link on delivery; its consent opens the case study."""

    intervention = models.OneToOneField(
        Intervention,
        on_delete=models.CASCADE,
        related_name="survey",
        verbose_name=_("intervention"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    would_recommend = models.BooleanField(_("would recommend the cell"), null=True, blank=True)
    saved_estimate = models.CharField(
        _("time or money saved (estimate)"), max_length=300, blank=True
    )
    consent_case_study = models.BooleanField(_("agrees to a case study"), default=False)
    anonymise = models.BooleanField(_("case study without the library's name"), default=True)

    objects = PrivateLinkQuerySet["Survey"].as_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="survey_score_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id}: {self.score or '-'}"

    @property
    def url(self) -> str:
        return settings.PUBLIC_BASE_URL + reverse("survey:survey", args=[self.token])


class ImpactCheck(PrivateLink):
    """Two questions asked six months after closing: still in use? what did it change?"""

    intervention = models.OneToOneField(
        Intervention,
        on_delete=models.CASCADE,
        related_name="impact_check",
        verbose_name=_("intervention"),
    )
    still_in_use = models.BooleanField(_("still in use"), null=True, blank=True)
    what_changed = models.TextField(_("what it changed"), blank=True)

    objects = PrivateLinkQuerySet["ImpactCheck"].as_manager()

    class Meta:
        verbose_name = _("impact check")
        verbose_name_plural = _("impact checks")

    def __str__(self) -> str:
        return f"{self.intervention_id}: {self.still_in_use}"

    @property
    def url(self) -> str:
        return settings.PUBLIC_BASE_URL + reverse("survey:impact", args=[self.token])
