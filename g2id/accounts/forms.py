from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from g2id.accounts.models import User
from g2id.notifications.mail import queue_mail


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail going through the retried mail queue.

    Unlike Django's, it also serves accounts without a password yet: a coordinator creates
    a new member's account that way, and the member chooses the password here.
    """

    def get_users(self, email: str) -> Iterator[User]:
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.email.lower() == email.lower()
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        queue_mail(
            to=[to_email],
            template="accounts/mail/password_reset.txt",
            context=context,
            language=get_language() or "fr",
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What it is for, e.g. “my inbox script”."),
    )


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["notify_new_requests", "opinion_digest"]
