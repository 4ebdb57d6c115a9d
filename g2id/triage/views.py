"""The team's side: the inbox of requests and each request's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from g2id.lib import keyset
from g2id.lib.http import TeamRequest
from g2id.positioning.panel import positioning_context
from g2id.public.cache import cached_team_page
from g2id.requests.models import (
    OPEN_STATUSES,
    Attachment,
    IllegalTransfer,
    IllegalTransition,
    Party,
    Request,
    Status,
)
from g2id.requests.scope import scope_check
from g2id.requests.services import post_message
from g2id.suggestions.services import suggestions_of
from g2id.team.models import Cell
from g2id.triage.forms import InboxFilterForm, QuestionForm, TeamMessageForm, TransferForm
from g2id.triage.rows import inbox_rows
from g2id.triage.search import search_requests

if TYPE_CHECKING:
    from g2id.accounts.models import User

INBOX_PAGE_SIZE = 25
POSITIONING_STATUSES = {Status.SUBMITTED, Status.UNDER_REVIEW, Status.NEEDS_INFO}
# The inbox never counts past this: "more than 1,000" is all a person needs to read.
COUNT_CAP = 1000
# A search shows its best matches over this many pages at most: refine it to see others.
SEARCH_PAGES = 10
# The nearest positioning deadline first; paused or positioned requests (no deadline) after.
URGENT_FIRST = [
    # The clock's deadline copied on the request: one index serves the order, no join.
    keyset.SortKey("positioning_deadline", parse=keyset.parse_date, nullable=True),
    keyset.SortKey("submitted_at", descending=True, parse=keyset.parse_datetime),
    keyset.SortKey("id", descending=True),
]
RECENT_FIRST = URGENT_FIRST[1:]
FINISHED_STATUSES = [status for status in Status if status not in OPEN_STATUSES]


def request_for(user: User, reference: str) -> Request:
    """The request with this reference if the user's cells serve it; 404 otherwise."""
    return get_object_or_404(
        Request.objects.visible_to(user)
        .select_related("institution__technical_profile", "cell", "intervention__lead")
        .prefetch_related("domains"),
        reference=reference,
    )


@login_required
@require_GET
@cached_team_page
def inbox(request: TeamRequest) -> HttpResponse:
    cells = Cell.objects.served_by(request.user)
    form = InboxFilterForm(request.GET or None, cells=cells)
    requests = Request.objects.visible_to(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    status, sort, text = data.get("status", ""), data.get("sort", ""), data.get("q", "")
    if status == "":
        # "Not finished" rather than "in the open list": the same rows, but a NOT IN leaves
        # the database free to read them in the order's index (request_urgent_first)
        # instead of gathering every open request by status and sorting them all.
        requests = requests.exclude(status__in=FINISHED_STATUSES)
    elif status != "all":
        requests = requests.filter(status=status)
    if data.get("domain"):
        requests = requests.filter(domains=data["domain"])
    if data.get("region"):
        requests = requests.filter(institution__region=data["region"])
    if data.get("cell"):
        requests = requests.filter(cell=data["cell"])
    # Last: the search keeps the most recent matches of everything above.
    requests = search_requests(requests, text)
    total = requests.order_by()[: COUNT_CAP + 1].count()  # bounded: never a full count
    requests = requests.select_related("institution", "cell").prefetch_related("domains")
    query = request.GET.copy()
    for parameter in ("page", "after"):
        query.pop(parameter, None)
    page: SearchPage | keyset.KeysetPage[Request]
    if text and sort != "recent":
        # A search keeps its relevance order; its pages are few by design.
        page = _search_page(requests, request.GET.get("page"))
    else:
        keys = RECENT_FIRST if sort == "recent" else URGENT_FIRST
        page = keyset.paginate(
            requests, keys, cursor=request.GET.get("after"), size=INBOX_PAGE_SIZE
        )
    rows = inbox_rows(page.items, today=timezone.localdate())
    template = "triage/_inbox_rows.html" if request.htmx else "triage/inbox.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": rows,
            "total": min(total, COUNT_CAP),
            "more_than": total > COUNT_CAP,
            "query": query.urlencode(),
            "cells": cells,
        },
    )


@dataclass(frozen=True)
class SearchPage:
    items: list[Request]
    number: int
    has_next: bool


def _search_page(requests: QuerySet[Request], number_text: str | None) -> SearchPage:
    try:
        number = min(max(int(number_text or 1), 1), SEARCH_PAGES)
    except ValueError:
        number = 1
    start = (number - 1) * INBOX_PAGE_SIZE
    found = list(requests[start : start + INBOX_PAGE_SIZE + 1])
    has_next = len(found) > INBOX_PAGE_SIZE and number < SEARCH_PAGES
    return SearchPage(items=found[:INBOX_PAGE_SIZE], number=number, has_next=has_next)


@login_required
@require_GET
@cached_team_page
def request_detail(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    return render_request_page(request, filed)


def render_request_page(
    request: TeamRequest,
    filed: Request,
    *,
    question_form: QuestionForm | None = None,
    message_form: TeamMessageForm | None = None,
    transfer_form: TransferForm | None = None,
    positioning_forms: dict[str, Form] | None = None,
    estimate_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The team's request page; a posted form with errors is shown in place of the blank one."""
    may_transfer = filed.is_open and filed.cell.is_coordinated_by(request.user)
    conversation = filed.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    return render(
        request,
        "triage/request.html",
        {
            "filed": filed,
            "events": filed.events.select_related(
                "actor_user", "from_cell", "to_cell", "decision__referral"
            ),
            "conversation": conversation,
            "initial_files": filed.attachments.filter(message=None),
            "domains": filed.domains.all(),
            "question_form": question_form or QuestionForm(),
            "message_form": message_form or TeamMessageForm(),
            "transfer_form": (transfer_form or TransferForm(current=filed.cell))
            if may_transfer
            else None,
            "may_take": filed.status == Status.SUBMITTED,
            "may_ask": filed.status == Status.UNDER_REVIEW,
            "scope": scope_check(filed),
            # Suggestions help the group position itself; after that they are history.
            "suggestions": suggestions_of(filed) if filed.status in POSITIONING_STATUSES else None,
            "estimate_form": estimate_form,
            **positioning_context(filed, request.user, bound=positioning_forms),
        },
        status=status,
    )


@login_required
@require_POST
def take_into_review(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    try:
        filed.take_into_review(by=request.user)
    except IllegalTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request is now under review."))
    return redirect(filed)


@login_required
@require_POST
def ask_library(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return render_request_page(request, filed, question_form=form, status=400)
    try:
        filed.ask_library(by=request.user, question=form.cleaned_data["question"])
    except IllegalTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your question has been sent to the library."))
    return redirect(filed)


@login_required
@require_POST
def post_team_message(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    form = TeamMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_request_page(request, filed, message_form=form, status=400)
    internal = form.cleaned_data["internal"]
    post_message(
        request=filed,
        body=form.cleaned_data["body"],
        party=Party.TEAM,
        author=request.user,
        internal=internal,
        files=form.cleaned_data["attachments"],
    )
    messages.success(
        request,
        _("Internal note added.") if internal else _("Your message has been sent to the library."),
    )
    return redirect(filed.get_absolute_url() + "#conversation")


@login_required
@require_GET
def attachment(request: TeamRequest, reference: str, attachment_id: int) -> FileResponse:
    filed = request_for(request.user, reference)
    found = get_object_or_404(filed.attachments, pk=attachment_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name)


@login_required
@require_POST
def transfer(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    if not filed.cell.is_coordinated_by(request.user):
        raise PermissionDenied
    form = TransferForm(request.POST, current=filed.cell)
    if not form.is_valid():
        return render_request_page(request, filed, transfer_form=form, status=400)
    to_cell = form.cleaned_data["to_cell"]
    try:
        filed.transfer(to=to_cell, by=request.user, reason=form.cleaned_data["reason"])
    except IllegalTransfer as error:
        messages.error(request, str(error))
        return redirect(filed)
    messages.success(
        request,
        _("Request %(reference)s transferred to the cell “%(cell)s”.")
        % {"reference": filed.reference, "cell": to_cell},
    )
    if Request.objects.visible_to(request.user).filter(pk=filed.pk).exists():
        return redirect(filed)
    return redirect("triage:inbox")
