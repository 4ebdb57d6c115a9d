"""The agenda: a member's page of upcoming events and their forms, and the iCalendar feeds."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from g2id.accounts.models import User, new_calendar_token
from g2id.agenda import ical
from g2id.agenda.forms import EventForm
from g2id.agenda.models import Event, coordinated_cells, people_with_public_agenda
from g2id.agenda.schedule import day_bounds, occurrences
from g2id.lib.http import TeamRequest
from g2id.public.cache import cached_page
from g2id.team.models import Cell

UPCOMING_WEEKS = 8


def _editable_event(request: TeamRequest, pk: int) -> Event:
    """The event if this user may change it; 404 otherwise (never say it exists)."""
    return get_object_or_404(Event.objects.editable_by(request.user).select_related("cell"), pk=pk)


@login_required
@require_GET
def index(request: TeamRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    last_day = today + datetime.timedelta(weeks=UPCOMING_WEEKS)
    start, end = day_bounds(today, last_day)
    coordinated = set(coordinated_cells(user).values_list("pk", flat=True))
    events = Event.objects.overlapping(start, end).of_person(user, start=today, end=last_day)
    upcoming = [
        (occurrence, occurrence.event.is_editable_by(user, coordinated=coordinated))
        for occurrence in occurrences(events.select_related("cell"), today, last_day)
    ]
    cells = list(Cell.objects.served_by(user))
    feeds = {
        "private": _absolute(request, "feeds:private", user.calendar_token),
        "mine": (
            _absolute(request, "feeds:member", user.slug)
            if people_with_public_agenda().filter(pk=user.pk).exists()
            else None
        ),
        "cells": [(cell, _absolute(request, "feeds:cell", cell.slug)) for cell in cells],
    }
    return render(
        request,
        "agenda/index.html",
        {"upcoming": upcoming, "weeks": UPCOMING_WEEKS, "feeds": feeds},
    )


def _absolute(request: HttpRequest, name: str, key: str | None) -> str:
    return request.build_absolute_uri(reverse(name, args=[key]))


@login_required
@require_http_methods(["GET", "POST"])
def add(request: TeamRequest) -> HttpResponse:
    return _event_form(request, None, _("The event has been added to the agenda."))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: TeamRequest, pk: int) -> HttpResponse:
    return _event_form(request, _editable_event(request, pk), _("The event has been changed."))


def _event_form(request: TeamRequest, event: Event | None, done: str) -> HttpResponse:
    cells = list(coordinated_cells(request.user))
    form = EventForm(request.POST or None, instance=event, user=request.user, cells=cells)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, done)
        return redirect("agenda:index")
    return render(
        request,
        "agenda/form.html",
        {"form": form, "event": event},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: TeamRequest, pk: int) -> HttpResponse:
    event = _editable_event(request, pk)
    if request.method == "POST":
        event.delete()
        messages.success(request, _("The event has been deleted."))
        return redirect("agenda:index")
    return render(request, "agenda/confirm_delete.html", {"event": event})


@login_required
@require_POST
def renew_private_address(request: TeamRequest) -> HttpResponse:
    request.user.calendar_token = new_calendar_token()
    request.user.save(update_fields=["calendar_token"])
    messages.success(
        request,
        _("Your private calendar has a new address; the old one no longer works."),
    )
    return redirect(reverse("agenda:index") + "#feeds")


# iCalendar feeds: language-neutral addresses, always in the site's language (French).


@require_GET
@cached_page
def cell_feed(request: HttpRequest, slug: str) -> HttpResponse:
    cell = get_object_or_404(Cell, slug=slug)
    events = Event.objects.overlapping(ical.kept_since()).filter(cell=cell)
    with translation.override(settings.LANGUAGE_CODE):
        name = _("%(cell)s — busy/free (G2ID)") % {"cell": cell.name}
        body = ical.calendar(name=name, events=events, details=False)
    return _calendar_response(body, filename=f"{cell.slug}.ics")


@require_GET
@cached_page
def member_feed(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(people_with_public_agenda(), slug=slug)
    today = timezone.localdate()
    events = Event.objects.overlapping(ical.kept_since()).of_person(person, start=today, end=today)
    with translation.override(settings.LANGUAGE_CODE):
        name = _("%(person)s — busy/free (G2ID)") % {"person": person}
        body = ical.calendar(name=name, events=events, details=False)
    return _calendar_response(body, filename=f"{person.slug}.ics")


@require_GET
def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    # A unique-index lookup: nothing is compared in Python, an unknown token is a 404.
    person = get_object_or_404(User, calendar_token=token, is_active=True)
    today = timezone.localdate()
    events = (
        Event.objects.overlapping(ical.kept_since())
        .of_person(person, start=today, end=today)
        .select_related("cell")
    )
    with translation.override(settings.LANGUAGE_CODE):
        name = _("My G2ID agenda (%(person)s)") % {"person": person}
        body = ical.calendar(name=name, events=events, details=True)
    response = _calendar_response(body, filename="agenda.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _calendar_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
