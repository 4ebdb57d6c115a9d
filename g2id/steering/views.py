"""Steering pages: /espace/equipe/<cell>/pilotage/. The cell's members read them (404 for
anybody else); only its coordinators plan meetings, edit the agenda and the minutes and
record decisions (403 for the other members)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from g2id.accounts.models import User
from g2id.agenda.schedule import local_zone
from g2id.lib.http import TeamRequest
from g2id.steering import services
from g2id.steering.forms import DecisionForm, ItemForm, MeetingForm, MinutesForm, RegisterFilter
from g2id.steering.models import AgendaItem, Meeting, SteeringDecision
from g2id.team.governance import ensure_coordinator
from g2id.team.models import Cell

REGISTER_LIMIT = 200


def _cell(user: User, slug: str) -> Cell:
    return get_object_or_404(Cell.objects.served_by(user), slug=slug)


def _meeting(user: User, slug: str, pk: int) -> Meeting:
    cell = _cell(user, slug)
    return get_object_or_404(Meeting.objects.select_related("cell"), cell=cell, pk=pk)


def _refuse(form: forms.BaseForm, refusal: ValidationError) -> None:
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal)
        return
    for field, errors in refusal.error_dict.items():
        form.add_error(field if field in form.fields else None, ValidationError(errors))


@login_required
@require_GET
def meetings(request: TeamRequest, slug: str) -> HttpResponse:
    cell = _cell(request.user, slug)
    return render(
        request,
        "steering/meetings.html",
        {
            "cell": cell,
            "meetings": cell.steering_meetings.all(),
            "may_edit": cell.is_coordinated_by(request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: TeamRequest, slug: str) -> HttpResponse:
    cell = _cell(request.user, slug)
    ensure_coordinator(request.user, cell)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        zone = local_zone()
        starts_at = datetime.datetime.combine(data["date"], data["start_time"], tzinfo=zone)
        ends_at = datetime.datetime.combine(data["date"], data["end_time"], tzinfo=zone)
        try:
            meeting = services.schedule_meeting(
                cell=cell,
                starts_at=starts_at,
                ends_at=ends_at,
                location=data["location"],
                by=request.user,
            )
        except ValidationError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(
                request, _("The meeting is planned and its draft agenda built from the data.")
            )
            return redirect("steering:meeting", cell.slug, meeting.pk)
    return render(request, "steering/create.html", {"cell": cell, "form": form})


def _page(
    request: TeamRequest,
    meeting: Meeting,
    *,
    item_form: ItemForm | None = None,
    minutes_form: MinutesForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = services.members_of(meeting)
    may_edit = meeting.cell.is_coordinated_by(request.user)
    context = {
        "cell": meeting.cell,
        "meeting": meeting,
        "items": meeting.items.select_related("decision__owner"),
        "attendees": meeting.attendees.order_by("last_name", "first_name"),
        "decisions": meeting.decisions.select_related("owner"),
        "may_edit": may_edit,
    }
    if may_edit:
        context |= {
            "item_form": item_form or ItemForm(prefix="item"),
            "minutes_form": minutes_form
            or MinutesForm(
                prefix="minutes",
                members=members,
                initial={"minutes": meeting.minutes, "attendees": meeting.attendees.all()},
            ),
            "decision_form": decision_form or DecisionForm(prefix="decision", members=members),
        }
    return render(request, "steering/meeting.html", context, status=status)


@login_required
@require_GET
def meeting(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    return _page(request, _meeting(request.user, slug, pk))


@login_required
@require_POST
def rebuild(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    current = _meeting(request.user, slug, pk)
    services.rebuild_agenda(current, by=request.user)
    messages.success(request, _("The agenda has been rebuilt from today's data."))
    return redirect("steering:meeting", slug, pk)


@login_required
@require_POST
def add_item(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    current = _meeting(request.user, slug, pk)
    ensure_coordinator(request.user, current.cell)
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            services.add_item(
                current,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except ValidationError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(request, _("The item has been added to the agenda."))
            return redirect("steering:meeting", slug, pk)
    return _page(request, current, item_form=form, status=400)


@login_required
@require_POST
def item_action(request: TeamRequest, slug: str, pk: int, item: int, action: str) -> HttpResponse:
    current = _meeting(request.user, slug, pk)
    agenda_item = get_object_or_404(AgendaItem, meeting=current, pk=item)
    if action == "supprimer":
        services.remove_item(agenda_item, by=request.user)
        messages.success(request, _("The item has been removed from the agenda."))
    elif action == "monter":
        services.move_item_up(agenda_item, by=request.user)
    else:
        raise Http404
    return redirect(f"{current_url(slug, pk)}#agenda-title")


def current_url(slug: str, pk: int) -> str:
    return reverse("steering:meeting", args=[slug, pk])


@login_required
@require_POST
def minutes(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    current = _meeting(request.user, slug, pk)
    ensure_coordinator(request.user, current.cell)
    form = MinutesForm(request.POST, prefix="minutes", members=services.members_of(current))
    if form.is_valid():
        try:
            services.save_minutes(
                current,
                minutes=form.cleaned_data["minutes"],
                attendees=form.cleaned_data["attendees"],
                by=request.user,
            )
        except ValidationError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(request, _("The minutes and the attendees have been saved."))
            return redirect("steering:meeting", slug, pk)
    return _page(request, current, minutes_form=form, status=400)


@login_required
@require_POST
def decide(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    current = _meeting(request.user, slug, pk)
    ensure_coordinator(request.user, current.cell)
    form = DecisionForm(request.POST, prefix="decision", members=services.members_of(current))
    if form.is_valid():
        try:
            services.record_decision(
                current,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                by=request.user,
            )
        except ValidationError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(f"{current_url(slug, pk)}#decisions-title")
    return _page(request, current, decision_form=form, status=400)


@login_required
@require_POST
def decision_status(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    cell = _cell(request.user, slug)
    decision = get_object_or_404(SteeringDecision, cell=cell, pk=pk)
    if not cell.is_coordinated_by(request.user):
        raise PermissionDenied(_("Only a coordinator of this cell may do this."))
    done = request.POST.get("done") == "1"
    services.set_decision_status(decision, done=done, by=request.user)
    messages.success(
        request, _("The decision is marked done.") if done else _("The decision is open again.")
    )
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("steering:register", slug)


@login_required
@require_GET
def register(request: TeamRequest, slug: str) -> HttpResponse:
    cell = _cell(request.user, slug)
    owners = (
        User.objects.filter(steering_decisions__cell=cell)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    form = RegisterFilter(request.GET or None, people=owners)
    decisions = SteeringDecision.objects.filter(cell=cell).select_related("owner", "meeting")
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        for word in query.split():
            decisions = decisions.filter(text__icontains=word)
        if form.cleaned_data["status"]:
            decisions = decisions.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["owner"]:
            decisions = decisions.filter(owner=form.cleaned_data["owner"])
    rows = list(decisions.order_by("-meeting__starts_at", "due_date", "pk")[: REGISTER_LIMIT + 1])
    return render(
        request,
        "steering/register.html",
        {
            "cell": cell,
            "form": form,
            "decisions": rows[:REGISTER_LIMIT],
            "truncated": len(rows) > REGISTER_LIMIT,
            "may_edit": cell.is_coordinated_by(request.user),
        },
    )
