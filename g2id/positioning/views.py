"""Positioning pages: members' opinions, recusals, decisions and invitations; the invited
expert's page; the library's answer on a referral."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from g2id.directory.models import Partner
from g2id.lib.http import TeamRequest
from g2id.positioning.forms import (
    DecisionForm,
    InvitationForm,
    InvitedOpinionForm,
    OpinionForm,
    RecusalForm,
    ReferralFeedbackForm,
)
from g2id.positioning.models import Invitation, Outcome
from g2id.positioning.services import (
    PositioningRefused,
    decide,
    declare_recusal,
    give_invited_opinion,
    give_opinion,
    invite_expert,
    record_referral_feedback,
    revoke_invitation,
)
from g2id.requests.views import tracked_request
from g2id.team.models import Cell
from g2id.triage.views import render_request_page, request_for

SECTION = "#positioning"


@login_required
@require_POST
def opinion(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    form = OpinionForm(request.POST, request=filed)
    if form.is_valid():
        data = form.cleaned_data
        try:
            give_opinion(
                filed,
                by=request.user,
                stance=data["stance"],
                role=data["role"],
                partners=list(data["partners"]),
                comment=data["comment"],
            )
        except PositioningRefused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("Your opinion has been recorded."))
            return redirect(filed.get_absolute_url() + SECTION)
    return render_request_page(request, filed, positioning_forms={"opinion": form}, status=400)


@login_required
@require_POST
def recusal(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    form = RecusalForm(request.POST)
    if form.is_valid():
        try:
            declare_recusal(filed, member=request.user, reason=form.cleaned_data["reason"])
        except PositioningRefused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(
                request, _("You have stepped aside: you are out of the quorum and the decision.")
            )
            return redirect(filed.get_absolute_url() + SECTION)
    return render_request_page(request, filed, positioning_forms={"recusal": form}, status=400)


@login_required
@require_POST
def decision(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    if not filed.cell.is_coordinated_by(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST, request=filed)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decided = decide(
                filed,
                outcome=data["outcome"],
                by=request.user,
                rationale=data["rationale"],
                override_reason=data["override_reason"],
                partners=list(data["partners"]),
                message=data["message"],
            )
        except PositioningRefused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(
                request,
                _("Decision recorded: “%(outcome)s”. The library has been told.")
                % {"outcome": Outcome(decided.outcome).label},
            )
            return redirect(filed)
    return render_request_page(request, filed, positioning_forms={"decision": form}, status=400)


@login_required
@require_POST
def invite(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    form = InvitationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invite_expert(
                filed, by=request.user, email=data["email"], name=data["name"], note=data["note"]
            )
        except PositioningRefused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect(filed.get_absolute_url() + SECTION)
    return render_request_page(request, filed, positioning_forms={"invitation": form}, status=400)


@login_required
@require_POST
def revoke(request: TeamRequest, reference: str, invitation_id: int) -> HttpResponse:
    filed = request_for(request.user, reference)
    invitation = get_object_or_404(filed.invitations, pk=invitation_id)
    try:
        revoke_invitation(invitation, by=request.user)
    except PositioningRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("The invitation of %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect(filed.get_absolute_url() + SECTION)


def invited(request: HttpRequest, token: str) -> HttpResponse:
    """The invited expert's private page: read the request, give an opinion."""
    invitation = Invitation.objects.by_token(token)
    if invitation is None:
        raise Http404
    filed = invitation.request
    usable = invitation.is_usable()
    form = None
    status = 200
    if usable:
        form = InvitedOpinionForm(request.POST or None, request=filed)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                give_invited_opinion(
                    invitation,
                    stance=data["stance"],
                    comment=data["comment"],
                    partners=list(data["partners"]),
                )
            except PositioningRefused as refusal:
                form.add_refusal(refusal)
            else:
                messages.success(request, _("Thank you: the team has your opinion."))
                return redirect(request.path)
        if request.method == "POST":
            status = 400
    elif request.method == "POST":
        status = 410
    answered = getattr(invitation, "opinion", None)
    return render(
        request,
        "positioning/invited.html",
        {
            "invitation": invitation,
            "filed": filed,
            "domains": filed.domains.all(),
            "form": form,
            "usable": usable,
            "answered": answered,
        },
        status=status,
    )


@require_POST
def referral_feedback(request: HttpRequest, token: str, referral_id: int) -> HttpResponse:
    """The library says, from its tracking page, whether a referral helped."""
    tracked = tracked_request(token)
    referral = get_object_or_404(tracked.referrals, pk=referral_id)
    form = ReferralFeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the referral helped you: yes or no."))
    else:
        try:
            record_referral_feedback(
                referral,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
            )
        except PositioningRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you: the team has your answer."))
    return redirect(tracked.tracking_path + "#referral")


@login_required
@require_GET
def referral_counts(request: TeamRequest) -> HttpResponse:
    """How often each partner was named in a referral, and whether it helped."""
    mine = Q(referrals__request__cell__in=Cell.objects.served_by(request.user))
    partners = (
        Partner.objects.annotate(
            referred=Count("referrals", filter=mine, distinct=True),
            helped=Count("referrals", filter=mine & Q(referrals__helpful=True), distinct=True),
            not_helped=Count("referrals", filter=mine & Q(referrals__helpful=False), distinct=True),
        )
        .annotate(unanswered=F("referred") - F("helped") - F("not_helped"))
        .filter(referred__gt=0)
        .order_by("-referred", "name")
    )
    return render(request, "positioning/referral_counts.html", {"partners": partners})
