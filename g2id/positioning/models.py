"""How the group positions itself on a request: opinions, recusals, decisions, referrals.

The rules that tie them together live in g2id/positioning/services.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from g2id.interventions.models import Role
from g2id.lib import private_links
from g2id.requests.models import Status


class Stance(models.TextChoices):
    TAKE = "take", _("Take it")
    REFER = "refer", _("Refer the library")
    DECLINE = "decline", _("Decline")
    ABSTAIN = "abstain", _("Abstain")


class Outcome(models.TextChoices):
    """A decision's outcome; each is also the request status it leads to."""

    ACCEPTED = Status.ACCEPTED.value, _("Accept: the cell takes it on")
    REFERRED = Status.REFERRED.value, _("Refer the library to partners")
    DECLINED = Status.DECLINED.value, _("Decline")
    NEEDS_INFO = Status.NEEDS_INFO.value, _("Ask the library for information")


FINAL_OUTCOMES = {Outcome.ACCEPTED, Outcome.REFERRED, Outcome.DECLINED}


class Opinion(models.Model):
    """A member's opinion on a request, or an invited expert's (who has no vote)."""

    request = models.ForeignKey(
        "requests.Request",
        on_delete=models.CASCADE,
        related_name="opinions",
        verbose_name=_("request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("member"),
    )
    invitation = models.OneToOneField(
        "Invitation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opinion",
        verbose_name=_("invitation"),
    )
    stance = models.CharField(_("opinion"), max_length=10, choices=Stance)
    role = models.CharField(_("role I would play"), max_length=12, choices=Role, blank=True)
    partners = models.ManyToManyField(
        "directory.Partner", blank=True, related_name="+", verbose_name=_("partners")
    )
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True)
    revisions = models.PositiveSmallIntegerField(_("revisions"), default=0)

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "author"],
                condition=Q(author__isnull=False),
                name="opinion_once_per_member",
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=False, invitation__isnull=True)
                | Q(author__isnull=True, invitation__isnull=False),
                name="opinion_from_a_member_or_an_invited_expert",
            ),
            models.CheckConstraint(
                condition=~Q(stance="take", role="") | Q(author__isnull=True),
                name="opinion_take_names_a_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.author_name} — {self.stance}"

    @property
    def author_name(self) -> str:
        if self.author is not None:
            return str(self.author)
        assert self.invitation is not None
        return self.invitation.name or self.invitation.email

    @property
    def is_invited(self) -> bool:
        return self.invitation_id is not None


class Recusal(models.Model):
    """A member's declared conflict of interest: out of the quorum and of the decision."""

    request = models.ForeignKey(
        "requests.Request",
        on_delete=models.CASCADE,
        related_name="recusals",
        verbose_name=_("request"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["declared_at", "id"]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(fields=["request", "member"], name="recusal_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.member}"


class Decision(models.Model):
    """What the coordinator decided, why, and whether the quorum had spoken."""

    request = models.ForeignKey(
        "requests.Request",
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("request"),
    )
    event = models.OneToOneField(
        "requests.RequestEvent",
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("history event"),
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome)
    rationale = models.TextField(
        _("rationale"), help_text=_("Written for the library: it reads it as it is.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    opinions_given = models.PositiveSmallIntegerField(_("opinions given"))
    voters = models.PositiveSmallIntegerField(_("members who could give an opinion"))
    quorum_reached = models.BooleanField(_("quorum reached"))
    override_reason = models.TextField(_("reason for deciding before the quorum"), blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_reached=True) | ~Q(override_reason=""),
                name="decision_before_quorum_states_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.outcome}"


class Referral(models.Model):
    """The partners a library is sent to, the message it reads, and whether it helped."""

    request = models.ForeignKey(
        "requests.Request",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("request"),
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="referral", verbose_name=_("decision")
    )
    partners = models.ManyToManyField(
        "directory.Partner", related_name="referrals", verbose_name=_("partners")
    )
    message = models.TextField(_("message to the library"))
    helpful = models.BooleanField(_("helpful"), null=True, blank=True)
    feedback = models.TextField(_("the library's comment"), blank=True)
    feedback_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.decision_id}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def by_token(self, token: str) -> Invitation | None:
        """The invitation a link opens, compared in constant time; None otherwise."""
        rows = self.select_related("request__institution", "request__cell", "invited_by")
        return private_links.find_by_token(rows, token)


def invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.G2ID_INVITATION_DAYS)


class Invitation(models.Model):
    """An outside practitioner asked for an opinion by e-mail, through a private link."""

    request = models.ForeignKey(
        "requests.Request",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("request"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"))
    note = models.TextField(_("message to the expert"), blank=True)
    selector = models.CharField(max_length=private_links.SELECTOR_LENGTH, unique=True)
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("invitation to give an opinion")
        verbose_name_plural = _("invitations to give an opinion")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.email}"

    def save(self, *args, **kwargs) -> None:
        if not self.token:
            self.token = private_links.new_token()
            self.selector = self.token[: private_links.SELECTOR_LENGTH]
        super().save(*args, **kwargs)

    @property
    def url(self) -> str:
        return settings.PUBLIC_BASE_URL + reverse("positioning:invited", args=[self.token])

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at
