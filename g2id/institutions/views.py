"""The team's side of a library: its technical profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from g2id.institutions.forms import TechnicalProfileForm
from g2id.institutions.models import Institution, TechnicalProfile
from g2id.lib.http import TeamRequest
from g2id.requests.models import Request


@login_required
@require_http_methods(["GET", "POST"])
def technical_profile(request: TeamRequest, institution_id: int) -> HttpResponse:
    """See and edit a library's profile: members of a cell it asked for help, and operators."""
    institution = get_object_or_404(Institution, pk=institution_id)
    their_requests = Request.objects.visible_to(request.user).filter(institution=institution)
    if not request.user.is_superuser and not their_requests.exists():
        raise Http404
    profile = TechnicalProfile.objects.filter(institution=institution).select_related(
        "updated_by"
    ).first() or TechnicalProfile(institution=institution)
    form = TechnicalProfileForm(
        request.POST if request.method == "POST" else None, instance=profile
    )
    if form.is_bound and form.is_valid():
        edited = form.save(commit=False)
        edited.updated_by_party = TechnicalProfile.UpdatedBy.TEAM
        edited.updated_by = request.user
        edited.save()
        messages.success(request, _("The technical profile of this library has been saved."))
        return redirect("institutions:technical_profile", institution_id=institution.pk)
    return render(
        request,
        "institutions/technical_profile.html",
        {
            "institution": institution,
            "profile": profile,
            "form": form,
            "requests": their_requests.order_by("-submitted_at")[:20],
        },
        status=400 if form.is_bound else 200,
    )
