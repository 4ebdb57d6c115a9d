"""The public team pages: who the cells are, each member's profile, how we work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Prefetch, QuerySet, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from g2id.accounts.models import User
from g2id.agenda.models import people_with_public_agenda
from g2id.agenda.schedule import busy_free_weeks
from g2id.lib.geography import region_name
from g2id.public.cache import cached_page
from g2id.team import governance
from g2id.team.models import Cell, Membership, Skill

# Coordinators first, then members by name: the order a visitor expects on a team page.
COORDINATORS_FIRST = Case(When(role=Membership.Role.COORDINATOR, then=0), default=1)


@dataclass(frozen=True)
class Recruitment:
    """Why a cell is recruiting: free seats today, and the terms ending soon."""

    free_seats: int
    terms_ending: list[Membership]


def _skills() -> QuerySet[Skill]:
    return Skill.objects.select_related("domain")


def _active_memberships(today: datetime.date) -> QuerySet[Membership]:
    return (
        Membership.objects.active_on(today)
        .select_related("person", "home_institution")
        .prefetch_related(Prefetch("person__skills", queryset=_skills()))
        .order_by(COORDINATORS_FIRST, "person__last_name", "person__first_name")
    )


def _recruitment(cell: Cell, *, today: datetime.date) -> Recruitment | None:
    # Two or three queries per cell, not per member: a platform has a handful of cells.
    if not governance.is_recruiting(cell, today=today):
        return None
    return Recruitment(
        free_seats=max(cell.member_cap - len(cell.active_memberships), 0),  # type: ignore[attr-defined]
        terms_ending=sorted(
            (
                m
                for m in governance.terms_ending_soon(cell, today=today)
                if m.last_day is not None and m.last_day >= today
            ),
            key=lambda m: (m.last_day, str(m.person)),
        ),
    )


@cached_page
def index(request: HttpRequest) -> HttpResponse:
    """The cells, their charter, their active members and whether they are recruiting."""
    today = timezone.localdate()
    cells = list(
        Cell.objects.prefetch_related(
            Prefetch(
                "memberships", queryset=_active_memberships(today), to_attr="active_memberships"
            )
        )
    )
    for cell in cells:
        # The queryset's active_on() ignores a planned end that has passed without an actual
        # end being recorded; the model's is_active_on() (last day of service) does not.
        cell.active_memberships = [  # type: ignore[attr-defined]
            m
            for m in cell.active_memberships  # type: ignore[attr-defined]
            if m.is_active_on(today)
        ]
        cell.scope = region_name(cell.region) if cell.region else ""  # type: ignore[attr-defined]
        cell.recruitment = _recruitment(cell, today=today)  # type: ignore[attr-defined]
    return render(request, "team/index.html", {"cells": cells})


@cached_page
def member(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's public profile; former members keep theirs, plain accounts have none."""
    today = timezone.localdate()
    person = (
        User.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch("skills", queryset=_skills()),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("cell", "home_institution").order_by(
                    "-start_date"
                ),
            ),
        )
        .first()
    )
    memberships = list(person.memberships.all()) if person else []
    if person is None or not memberships:
        raise Http404("No such member.")
    for membership in memberships:
        membership.state = _state(membership, today)  # type: ignore[attr-defined]
        membership.scope = region_name(membership.cell.region)  # type: ignore[attr-defined]
    former = all(m.state == "ended" for m in memberships)  # type: ignore[attr-defined]
    # Only a serving member's calendar is public (the agenda decides who that is); a former
    # one's is nobody's business any more.
    public_agenda = not former and people_with_public_agenda().filter(pk=person.pk).exists()
    return render(
        request,
        "team/member.html",
        {
            "person": person,
            "memberships": memberships,
            "former": former,
            "weeks": busy_free_weeks(person=person, today=today) if public_agenda else None,
            "feed_url": reverse("feeds:member", args=[person.slug]) if public_agenda else None,
        },
    )


@cached_page
def vade_mecum(request: HttpRequest) -> HttpResponse:
    """How each cell works: its own text, or the default one while it has written none."""
    cells = list(Cell.objects.all())
    for cell in cells:
        cell.scope = region_name(cell.region) if cell.region else ""  # type: ignore[attr-defined]
    return render(request, "team/vade_mecum.html", {"cells": cells})


def _state(membership: Membership, today: datetime.date) -> str:
    """Where a membership stands today: "upcoming", "active" or "ended"."""
    if membership.start_date > today:
        return "upcoming"
    return "active" if membership.is_active_on(today) else "ended"


def photo(request: HttpRequest, slug: str) -> FileResponse:
    """A member's photo, for people with a public profile only.

    Uploads are not served as static media (attachments must stay private).
    """
    person = User.objects.filter(slug=slug, memberships__isnull=False).exclude(photo="").first()
    if person is None or not person.photo.storage.exists(person.photo.name or ""):
        raise Http404("No photo.")
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "public, max-age=3600"
    return response
