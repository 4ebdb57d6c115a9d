from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from g2id.lib import private_links

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from g2id.accounts.models import User
    from g2id.team.models import Cell

TRACKING_SELECTOR_LENGTH = private_links.SELECTOR_LENGTH


class Status(models.TextChoices):
    """The request lifecycle of PRODUCT.md; the codes are public (API, exports)."""

    SUBMITTED = "submitted", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    NEEDS_INFO = "needs_info", _("Information requested")
    ACCEPTED = "accepted", _("Accepted")
    REFERRED = "referred", _("Referred")
    DECLINED = "declined", _("Not taken on")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Every legal move of the lifecycle; anything else is refused by Request.change_status.
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.UNDER_REVIEW, Status.WITHDRAWN},
    Status.UNDER_REVIEW: {
        Status.NEEDS_INFO,
        Status.ACCEPTED,
        Status.REFERRED,
        Status.DECLINED,
        Status.WITHDRAWN,
    },
    Status.NEEDS_INFO: {Status.UNDER_REVIEW, Status.WITHDRAWN},
    Status.ACCEPTED: {Status.PLANNED, Status.WITHDRAWN},
    Status.PLANNED: {Status.IN_PROGRESS, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.DELIVERED, Status.WITHDRAWN},
    Status.DELIVERED: {Status.CLOSED},
    Status.REFERRED: set(),
    Status.DECLINED: set(),
    Status.CLOSED: set(),
    Status.WITHDRAWN: set(),
}
OPEN_STATUSES = [s for s, targets in TRANSITIONS.items() if targets]
# The team's effort estimate of a request, in person-days.
EFFORT_MIN_DAYS, EFFORT_MAX_DAYS = Decimal("0.5"), Decimal("200")
# The library may write while the request is alive; after that the conversation is closed.
CONVERSATION_CLOSED_STATUSES = {Status.CLOSED, Status.WITHDRAWN, Status.DECLINED}


class Party(models.TextChoices):
    LIBRARY = "library", _("The library")
    TEAM = "team", _("The team")
    SYSTEM = "system", _("G2ID")


class Kind(models.TextChoices):
    ADVICE = "advice", _("Advice")
    AUDIT = "audit", _("Audit")
    TRAINING = "training", _("Training")
    TECHNICAL = "technical", _("Technical realisation")


class IllegalTransition(Exception):
    """A status change the lifecycle does not allow; its message is for the user."""

    def __init__(self, current: str, target: str) -> None:
        self.current, self.target = current, target
        super().__init__(
            _("A request that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )


class IllegalTransfer(Exception):
    """A transfer between cells that cannot happen; its message is for the user."""


class ConversationClosed(Exception):
    def __init__(self) -> None:
        super().__init__(_("This request is finished: its conversation is closed."))


class ReferenceSequence(models.Model):
    """The last reference number given in a year; one row per year, locked on each use."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_reference(cls, year: int) -> str:
        """Reserve the next G2ID-<year>-<n> reference; must run inside the submit transaction."""
        # The UPDATE takes the row's write lock (PostgreSQL) or the database's (SQLite in
        # IMMEDIATE mode) before reading, so two submissions never read the same number.
        number = cls._increment(year)
        if number is None:
            try:
                with transaction.atomic():
                    cls.objects.create(year=year, last_number=1)
                number = 1
            except IntegrityError:  # another submission created the year's row first
                number = cls._increment(year)
        return f"G2ID-{year}-{number:04d}"

    @classmethod
    def _increment(cls, year: int) -> int | None:
        """Add one to the year's number and read it back; None when the year has no row yet."""
        connection = connections[router.db_for_write(cls)]
        if connection.vendor == "postgresql" or (
            connection.vendor == "sqlite" and connection.features.can_return_columns_from_insert
        ):
            # One statement (UPDATE … RETURNING, SQLite 3.35 and later) instead of two.
            quote = connection.ops.quote_name
            table, number, key = (
                quote(cls._meta.db_table),
                quote("last_number"),
                quote("year"),
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {number} = {number} + 1 WHERE {key} = %s "  # noqa: S608
                    f"RETURNING {number}",
                    [year],
                )
                row = cursor.fetchone()
            return None if row is None else int(row[0])
        if not cls.objects.filter(year=year).update(last_number=F("last_number") + 1):
            return None
        return cls.objects.get(year=year).last_number


class RequestQuerySet(models.QuerySet["Request"]):
    def visible_to(self, user: User | AnonymousUser) -> RequestQuerySet:
        """Requests of the cells this team member serves; nothing for anybody else."""
        from g2id.team.models import Membership

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # One subquery on the memberships (no join through the cells): this filter is
        # built for every team page and API call.
        active = Membership.objects.active_on(timezone.localdate()).filter(person=user)
        return self.filter(cell_id__in=active.values("cell_id"))

    def by_tracking_token(self, token: str) -> Request | None:
        """The request a tracking token opens, compared in constant time; None otherwise."""
        return private_links.find_by_token(
            self, token, selector="tracking_selector", field="tracking_token"
        )


class Request(models.Model):
    """A library's intervention request, from submission to closing."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    cell = models.ForeignKey(
        "team.Cell", on_delete=models.PROTECT, related_name="requests", verbose_name=_("cell")
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("library"),
    )
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"), db_index=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_role = models.CharField(_("contact role"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind of help"), max_length=20, choices=Kind)
    domains = models.ManyToManyField(
        "taxonomy.Domain", related_name="requests", verbose_name=_("domains")
    )
    systems = models.CharField(_("systems involved"), max_length=300, blank=True)
    desired_start = models.DateField(_("desired from"), null=True, blank=True)
    desired_end = models.DateField(_("desired until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    consent_at = models.DateTimeField(_("consent to data processing given at"))
    tracking_selector = models.CharField(max_length=TRACKING_SELECTOR_LENGTH, unique=True)
    tracking_token = models.CharField(max_length=64)
    # The form's one-time key: the same form posted twice gives the same request.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    # The team's estimate during review; compared with the cell's light-work limit.
    effort_days = models.DecimalField(
        _("effort estimate (person-days)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(EFFORT_MIN_DAYS), MaxValueValidator(EFFORT_MAX_DAYS)],
    )
    # The positioning clock, written only by g2id/positioning/clock.py: the deadline in
    # working days (None when paused or stopped; the inbox sorts on it with an index), the
    # working days already used, paused while the library is asked, stopped by the decision.
    positioning_deadline = models.DateField(
        _("positioning deadline"), null=True, blank=True, editable=False
    )
    positioning_used_days = models.PositiveSmallIntegerField(
        _("working days used"), default=0, editable=False
    )
    positioning_paused = models.BooleanField(_("positioning paused"), default=False, editable=False)
    positioning_stopped = models.BooleanField(_("positioned"), default=False, editable=False)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("intervention request")
        verbose_name_plural = _("intervention requests")
        indexes = [
            # The inbox's urgent-first order (g2id/triage/views.py URGENT_FIRST), read in
            # index order: all open requests, then one status. NULL deadlines come last.
            models.Index(
                fields=["positioning_deadline", "-submitted_at", "-id"],
                name="request_urgent_first",
            ),
            models.Index(
                fields=["status", "positioning_deadline", "-submitted_at", "-id"],
                name="request_status_urgent_first",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_end__isnull=True)
                | Q(desired_start__isnull=True)
                | Q(desired_end__gte=F("desired_start")),
                name="request_desired_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(effort_days__isnull=True)
                | Q(effort_days__gte=EFFORT_MIN_DAYS, effort_days__lte=EFFORT_MAX_DAYS),
                name="request_effort_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def save(self, *args, **kwargs) -> None:
        if not self.tracking_token:
            self.tracking_token = private_links.new_token()
            self.tracking_selector = self.tracking_token[:TRACKING_SELECTOR_LENGTH]
        if self._state.adding and self.positioning_deadline is None and self.cell_id:
            # Filed with its deadline: the clock starts with the request, in the same INSERT.
            from g2id.positioning.clock import initial_deadline

            self.positioning_deadline = initial_deadline(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("triage:request", args=[self.reference])

    @property
    def tracking_path(self) -> str:
        return reverse("requests:track", args=[self.tracking_token])

    @property
    def tracking_url(self) -> str:
        return settings.PUBLIC_BASE_URL + self.tracking_path

    @property
    def is_open(self) -> bool:
        return bool(TRANSITIONS[self.status])

    @property
    def library_may_write(self) -> bool:
        return self.status not in CONVERSATION_CLOSED_STATUSES

    @property
    def library_may_withdraw(self) -> bool:
        return Status.WITHDRAWN in TRANSITIONS[self.status]

    # --- The lifecycle: every status change goes through change_status -------------------

    def change_status(
        self,
        target: str,
        *,
        party: str,
        user: User | None = None,
        reason: str = "",
        notify: bool = True,
    ) -> RequestEvent:
        """Move to `target` if the lifecycle allows it, record the event, queue the mail.

        `notify=False` is for a caller that tells the library itself, with more to say
        (a decision and its referral).
        """
        from g2id.positioning.clock import refresh_clock
        from g2id.requests import notifications

        with transaction.atomic():
            current = (
                Request.objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
            )
            if target not in TRANSITIONS[current]:
                self.status = current
                raise IllegalTransition(current, target)
            Request.objects.filter(pk=self.pk).update(status=target)
            self.status = target
            event = RequestEvent.objects.create(
                request=self,
                from_status=current,
                to_status=target,
                actor_party=party,
                actor_user=user,
                reason=reason,
            )
            refresh_clock(self)
            if notify:
                notifications.status_changed(event)
        return event

    def take_into_review(self, *, by: User) -> RequestEvent:
        return self.change_status(Status.UNDER_REVIEW, party=Party.TEAM, user=by)

    def ask_library(self, *, by: User, question: str) -> RequestEvent:
        """Put the review on hold with a question the library sees and answers."""
        with transaction.atomic():
            event = self.change_status(
                Status.NEEDS_INFO, party=Party.TEAM, user=by, reason=question
            )
            Message.objects.create(request=self, author_party=Party.TEAM, author=by, body=question)
        return event

    def resume_review(
        self, *, party: str, user: User | None = None, reason: str = ""
    ) -> RequestEvent:
        return self.change_status(Status.UNDER_REVIEW, party=party, user=user, reason=reason)

    def withdraw(self, *, reason: str = "") -> RequestEvent:
        """The library withdraws its request (any time before delivery)."""
        return self.change_status(Status.WITHDRAWN, party=Party.LIBRARY, reason=reason)

    def transfer(self, *, to: Cell, by: User, reason: str) -> RequestEvent:
        """Hand an open request over to another cell (its coordinator's decision)."""
        from g2id.positioning.clock import refresh_clock
        from g2id.requests import notifications
        from g2id.team.governance import ensure_coordinator

        ensure_coordinator(by, self.cell)
        with transaction.atomic():
            current = Request.objects.select_for_update().select_related("cell").get(pk=self.pk)
            if not current.is_open:
                raise IllegalTransfer(_("A finished request cannot be transferred."))
            if to.pk == current.cell_id:
                raise IllegalTransfer(_("The request already belongs to this cell."))
            Request.objects.filter(pk=self.pk).update(cell=to)
            self.cell = to
            event = RequestEvent.objects.create(
                request=self,
                from_status=current.status,
                to_status=current.status,
                from_cell=current.cell,
                to_cell=to,
                actor_party=Party.TEAM,
                actor_user=by,
                reason=reason,
            )
            refresh_clock(self)
            notifications.transferred(event)
        return event


class RequestEvent(models.Model):
    """Append-only history: who moved the request from which status to which, when and why.

    A transfer to another cell is an event too: its status stays, its cell changes.
    """

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    from_cell = models.ForeignKey(
        "team.Cell",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred from"),
    )
    to_cell = models.ForeignKey(
        "team.Cell",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status)
    actor_party = models.CharField(_("by"), max_length=10, choices=Party)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by (person)"),
        db_index=False,  # event_by_actor_latest below serves the lookups by person
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        indexes = [
            # A person's latest actions (g2id/team/governance.py open_requests_followed),
            # read from the index alone, without a visit to the table.
            models.Index(fields=["actor_user", "id", "request"], name="event_by_actor_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '∅'} → {self.to_status}"

    @property
    def is_transfer(self) -> bool:
        return self.to_cell_id is not None


class MessageQuerySet(models.QuerySet["Message"]):
    def for_library(self) -> MessageQuerySet:
        return self.filter(is_internal=False)


class Message(models.Model):
    """A message between the library and the team, or an internal note of the team."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    author_party = models.CharField(_("from"), max_length=10, choices=Party)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        db_index=False,  # message_by_author_latest below serves the lookups by person
    )
    body = models.TextField(_("message"))
    is_internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Internal notes are never shown to the library."),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            # As event_by_actor_latest, for a person's latest messages.
            models.Index(fields=["author", "id", "request"], name="message_by_author_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_internal=False) | Q(author_party="team"),
                name="message_only_the_team_writes_internal_notes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} — {self.get_author_party_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder: names never collide and are not guessable from the reference.
    return f"attachments/{instance.request.submitted_at:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("request")
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("message"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.CharField(_("uploaded by"), max_length=10, choices=Party)
    is_internal = models.BooleanField(_("internal"), default=False)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
