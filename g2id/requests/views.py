"""The library's side: file a request, follow it, talk with the team, withdraw."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from g2id.institutions.models import Institution
from g2id.notifications.mail import queue_mail
from g2id.positioning.forms import ReferralFeedbackForm
from g2id.public.cache import cached_page_with_fresh_values, cached_team_page
from g2id.public.throttle import rate_exceeded
from g2id.public.views import rate_limited
from g2id.requests.forms import LostLinkForm, MessageForm, RequestForm, WithdrawForm
from g2id.requests.models import (
    Attachment,
    ConversationClosed,
    IllegalTransition,
    Party,
    Request,
)
from g2id.requests.services import NotAdmitted, post_message

SUBMITTED_COOKIE = "g2id_submitted"


def request_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Checked first, out of the write transaction; the rate limit counts every post,
        # valid or not, and a valid one is counted in the transaction that files it.
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                filed = form.file(
                    language=get_language() or "fr",
                    submission_key=form.cleaned_data["submission_key"],
                    files=form.cleaned_data["attachments"],
                    admit=lambda: not rate_exceeded(request, group="submit"),
                )
            except NotAdmitted:
                return rate_limited(request)
            response = redirect("requests:submitted")
            # A signed cookie, not the session: no session row to write for each submission.
            response.set_signed_cookie(
                SUBMITTED_COOKIE,
                str(filed.pk),
                salt=SUBMITTED_COOKIE,
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
        if rate_exceeded(request, group="submit"):
            return rate_limited(request)
    else:
        # The blank form is the same for every visitor but for their CSRF token and key.
        return cached_page_with_fresh_values(
            request,
            lambda values: render(
                request,
                "requests/form.html",
                {
                    "form": RequestForm(initial={"submission_key": values["submission_key"]}),
                    "chosen_libraries": [],
                },
            ),
            fresh={"submission_key": _new_key},
        )
    chosen = form.cleaned_data.get("institution") if form.is_bound else None
    return render(
        request,
        "requests/form.html",
        {"form": form, "chosen_libraries": [chosen] if chosen else []},
    )


def _new_key() -> str:
    return str(uuid.uuid4())


@require_GET
def library_search(request: HttpRequest) -> HttpResponse:
    """Known libraries matching a name, city or ISIL (htmx fragment of the form)."""
    query = request.GET.get("q", "").strip()[:100]
    libraries = []
    if len(query) >= 2:
        libraries = list(
            Institution.objects.filter(
                Q(name__icontains=query) | Q(isil__iexact=query) | Q(city__icontains=query)
            ).order_by("name")[:10]
        )
    return render(
        request, "requests/_library_results.html", {"libraries": libraries, "query": query}
    )


def submitted(request: HttpRequest) -> HttpResponse:
    request_id = request.get_signed_cookie(
        SUBMITTED_COOKIE, default=None, salt=SUBMITTED_COOKIE, max_age=settings.SESSION_COOKIE_AGE
    )
    filed = Request.objects.filter(pk=request_id).first() if request_id else None
    if filed is None:
        return redirect("requests:form")
    return render(request, "requests/submitted.html", {"filed": filed})


def tracked_request(token: str) -> Request:
    """The request this token opens, or a plain 404 that tells nothing."""
    tracked = Request.objects.select_related("institution", "cell").by_tracking_token(token)
    if tracked is None:
        raise Http404
    return tracked


@cached_team_page
def track(request: HttpRequest, token: str) -> HttpResponse:
    tracked = tracked_request(token)
    return _render_tracking(request, tracked)


def _render_tracking(
    request: HttpRequest,
    tracked: Request,
    *,
    message_form: MessageForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    library_messages = (
        tracked.messages.for_library()
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )
    return render(
        request,
        "requests/track.html",
        {
            "tracked": tracked,
            "token": tracked.tracking_token,
            "events": tracked.events.select_related("from_cell", "to_cell", "decision__referral"),
            "referrals": tracked.referrals.select_related("decision").prefetch_related("partners"),
            "referral_form": ReferralFeedbackForm(),
            "conversation": library_messages,
            "initial_files": tracked.attachments.filter(message=None, is_internal=False),
            "domains": tracked.domains.all(),
            "message_form": message_form or MessageForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
        },
        status=status,
    )


@require_POST
def track_message(request: HttpRequest, token: str) -> HttpResponse:
    tracked = tracked_request(token)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post_message(
                request=tracked,
                body=form.cleaned_data["body"],
                party=Party.LIBRARY,
                files=form.cleaned_data["attachments"],
            )
        except ConversationClosed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your message has been sent to the team."))
        return redirect(tracked.tracking_path + "#conversation")
    return _render_tracking(request, tracked, message_form=form, status=400)


@require_POST
def track_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    tracked = tracked_request(token)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            tracked.withdraw(reason=form.cleaned_data["reason"])
        except IllegalTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your request has been withdrawn."))
        return redirect(tracked.tracking_path)
    return _render_tracking(request, tracked, withdraw_form=form, status=400)


@require_GET
def track_attachment(request: HttpRequest, token: str, attachment_id: int) -> FileResponse:
    tracked = tracked_request(token)
    attachment = get_object_or_404(tracked.attachments, pk=attachment_id, is_internal=False)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


def lost_link(request: HttpRequest) -> HttpResponse:
    """Send the tracking links of an address; the answer is the same whether it is known or not."""
    if request.method == "POST":
        if rate_exceeded(request, group="lost-link"):
            return rate_limited(request)
        form = LostLinkForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            found = list(
                Request.objects.filter(contact_email__iexact=email)
                .select_related("institution")
                .order_by("-submitted_at")[:50]
            )
            if found:
                queue_mail(
                    # The address as the library gave it, not as typed here.
                    to=[found[0].contact_email],
                    template="requests/mail/lost_link.txt",
                    context={"found": found},
                    language=get_language() or "fr",
                )
            return redirect(reverse("requests:lost_link") + "?envoye=1")
    else:
        form = LostLinkForm()
    return render(
        request,
        "requests/lost_link.html",
        {"form": form, "sent": request.GET.get("envoye") == "1"},
    )
