"""The parts of a member's profile page about their account: API tokens and notifications.

The profile page itself is g2id/team/backoffice.py `profile`; it shows `profile_context`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from g2id.accounts.forms import ApiTokenForm, NotificationPreferencesForm
from g2id.accounts.models import ApiToken, User
from g2id.lib.http import TeamRequest


def profile_context(person: User) -> dict[str, Any]:
    """What the profile page needs to show the person's tokens and notification settings."""
    return {
        "api_tokens": ApiToken.objects.filter(user=person),
        "api_token_form": ApiTokenForm(),
        "notifications_form": NotificationPreferencesForm(instance=person),
    }


@login_required
@require_POST
def create_api_token(request: TeamRequest) -> HttpResponse:
    """Create a token and show it, once: only its hash is kept."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(request, "office/api_token_created.html", {"form": form}, status=400)
    token, clear = ApiToken.issue(request.user, form.cleaned_data["name"])
    response = render(request, "office/api_token_created.html", {"token": token, "clear": clear})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_api_token(request: TeamRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, user=request.user, pk=pk)
    token.revoke()
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect(reverse("office:profile") + "#api-tokens")


@login_required
@require_POST
def notification_preferences(request: TeamRequest) -> HttpResponse:
    form = NotificationPreferencesForm(request.POST, instance=User.objects.get(pk=request.user.pk))
    form.save()  # two checkboxes: nothing to refuse
    messages.success(request, _("Your e-mail preferences are saved."))
    return redirect(reverse("office:profile") + "#notifications")
