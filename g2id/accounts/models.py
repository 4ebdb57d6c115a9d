from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
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
