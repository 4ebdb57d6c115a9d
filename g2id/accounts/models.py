from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def photo_path(instance: User, filename: str) -> str:
    return (
        f"photos/{instance.slug or 'person'}-{secrets.token_hex(4)}.{filename.rsplit('.', 1)[-1]}"
    )


class User(AbstractUser):
    """A person with an account: a member of a cell, a coordinator or an operator."""

    email = models.EmailField(_("e-mail address"), blank=True)
    slug = models.SlugField(
        _("public address"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Used in the address of the public profile, e.g. claire-dubois."),
    )
    bio = models.TextField(_("short biography"), blank=True, max_length=1500)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    keywords = models.CharField(
        _("systems and keywords"),
        max_length=300,
        blank=True,
        help_text=_("Systems you know, separated by commas: Koha, PMB, Omeka…"),
    )
    # The secret part of the address of the person's private calendar feed (with details).
    calendar_token = models.CharField(
        max_length=40, unique=True, null=True, blank=True, editable=False
    )
    notify_new_requests = models.BooleanField(
        _("e-mail me when a request arrives in my cells"), default=True
    )
    opinion_digest = models.BooleanField(
        _("e-mail me once a day the requests awaiting my opinion"), default=True
    )
    # The day the last opinion digest went out: at most one a day.
    opinion_digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self._free_slug()
        if not self.calendar_token:
            self.calendar_token = new_calendar_token()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("team:member", args=[self.slug])

    def _free_slug(self) -> str:
        base = slugify(self.get_full_name() or self.username)[:70] or "membre"
        slug, number = base, 1
        while User.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


# --- Personal API tokens -----------------------------------------------------------------------

API_TOKEN_SCHEME = "g2id"  # noqa: S105 (the public start of every token, not a secret)
API_TOKEN_PREFIX_LENGTH = 8
API_TOKEN_PREFIX_RE = re.compile(rf"[0-9a-f]{{{API_TOKEN_PREFIX_LENGTH}}}")
# Writing last_used_at on every call would turn each API read into a write.
API_TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at=None, user__is_active=True)

    def authenticate(self, token: str) -> User | None:
        """The active user an active token belongs to (compared in constant time); else None.

        Records the use, at most once a minute per token.
        """
        scheme, _sep, rest = token.partition("_")
        prefix = rest[:API_TOKEN_PREFIX_LENGTH]
        if scheme != API_TOKEN_SCHEME or not API_TOKEN_PREFIX_RE.fullmatch(prefix):
            return None
        # The prefix is unique: no order to apply.
        candidates = self.active().filter(prefix=prefix).select_related("user").order_by()[:1]
        found = candidates[0] if candidates else None
        if found is None or not hmac.compare_digest(found.digest, _token_digest(token)):
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= API_TOKEN_USE_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class ApiToken(models.Model):
    """A member's personal API token. Only its SHA-256 is kept: it is shown once, at creation."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What it is for, e.g. “my inbox script”.")
    )
    # The public start of the token, to find it (and to recognise it in a list).
    prefix = models.CharField(max_length=API_TOKEN_PREFIX_LENGTH, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user}: {self.name}"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token for `user`; the clear token is returned here and never again."""
        while True:
            prefix = secrets.token_hex(API_TOKEN_PREFIX_LENGTH // 2)
            if not cls.objects.filter(prefix=prefix).exists():
                break
        token = f"{API_TOKEN_SCHEME}_{prefix}{secrets.token_urlsafe(32)}"
        created = cls.objects.create(
            user=user, name=name, prefix=prefix, digest=_token_digest(token)
        )
        return created, token

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def hint(self) -> str:
        """How the token starts, to recognise it without revealing it."""
        return f"{API_TOKEN_SCHEME}_{self.prefix}…"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            ApiToken.objects.filter(pk=self.pk, revoked_at=None).update(revoked_at=self.revoked_at)
