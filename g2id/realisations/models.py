"""What interventions leave behind: deliverables (with versions), their reuses, case studies."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from g2id.realisations.licences import normalise_licence, validate_licence

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from g2id.accounts.models import User

validate_repository_url = URLValidator(
    schemes=["http", "https"],
    message=_("Give the repository as a web address starting with http:// or https://."),
)


class DeliverableType(models.TextChoices):
    REPORT = "report", _("Report")
    SCRIPT = "script", _("Script")
    PLUGIN = "plugin", _("Plugin")
    CONFIGURATION = "configuration", _("Configuration")
    TRAINING = "training", _("Training material")
    DATA = "data", _("Data")


def team_interventions(user: User | AnonymousUser) -> models.QuerySet:
    """Interventions this user works on: as a member, or through a cell they serve."""
    from g2id.interventions.models import Intervention
    from g2id.requests.models import Request

    if not user.is_authenticated:
        return Intervention.objects.none()
    if user.is_superuser:
        return Intervention.objects.all()
    return Intervention.objects.filter(
        Q(request__in=Request.objects.visible_to(user)) | Q(participations__person=user)
    ).distinct()


class DeliverableQuerySet(models.QuerySet["Deliverable"]):
    def public(self) -> DeliverableQuerySet:
        """Deliverables anybody may see: reusable ones, with at least one version."""
        return self.filter(reusable=True, versions__isnull=False).distinct()

    def visible_to(self, user: User | AnonymousUser) -> DeliverableQuerySet:
        return self.filter(intervention__in=team_interventions(user))


class Deliverable(models.Model):
    """Something an intervention produced, under a licence, that others may reuse."""

    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("intervention"),
    )
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=DeliverableType)
    licence = models.CharField(_("licence (SPDX)"), max_length=200, validators=[validate_licence])
    how_to = models.TextField(_("how to use it"), blank=True)
    reusable = models.BooleanField(_("reusable by other libraries"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("realisations:deliverable", args=[self.pk])

    def clean(self) -> None:
        # Stored as SPDX spells it ("mit or apache-2.0" → "MIT OR Apache-2.0").
        if self.licence:
            self.licence = normalise_licence(self.licence)


def version_file_path(instance: DeliverableVersion, filename: str) -> str:
    # A random folder: names never collide and cannot be guessed.
    return f"deliverables/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class DeliverableVersion(models.Model):
    """One released state of a deliverable: a repository link or a file, never changed after."""

    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("deliverable"),
    )
    label = models.CharField(_("version"), max_length=40)
    notes = models.TextField(_("what changed"), blank=True)
    repository_url = models.URLField(
        _("repository link"), max_length=500, blank=True, validators=[validate_repository_url]
    )
    file = models.FileField(_("file"), upload_to=version_file_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=150, blank=True)
    content_type = models.CharField(_("file type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    created_at = models.DateTimeField(_("released at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deliverable version")
        verbose_name_plural = _("deliverable versions")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "label"], name="deliverable_version_label_once"
            ),
            models.CheckConstraint(
                condition=(Q(repository_url="") & ~Q(file=""))
                | (~Q(repository_url="") & Q(file="")),
                name="deliverable_version_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} {self.label}"


class ReuseQuerySet(models.QuerySet["Reuse"]):
    def confirmed(self) -> ReuseQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> ReuseQuerySet:
        return self.filter(confirmed_at__isnull=True)


class Reuse(models.Model):
    """A library that says it uses a deliverable too; shown publicly once the team confirms."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="reuses", verbose_name=_("deliverable")
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("known library"),
    )
    library_name = models.CharField(_("library"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    created_at = models.DateTimeField(_("declared at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    objects = ReuseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reuse")
        verbose_name_plural = _("reuses")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(library_name=""),
                name="reuse_names_a_library",
            )
        ]

    def __str__(self) -> str:
        return f"{self.library} — {self.deliverable}"

    @property
    def library(self) -> str:
        return str(self.institution) if self.institution_id else self.library_name


class CaseStudyQuerySet(models.QuerySet["CaseStudy"]):
    def published(self) -> CaseStudyQuerySet:
        return self.filter(published_at__isnull=False)


class CaseStudy(models.Model):
    """The story of an intervention, drafted with the library's consent, published by the lead."""

    intervention = models.OneToOneField(
        "interventions.Intervention",
        on_delete=models.CASCADE,
        related_name="case_study",
        verbose_name=_("intervention"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    anonymised = models.BooleanField(_("anonymised"), default=False)
    created_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("realisations:case_study", args=[self.pk])
