"""The coordinator's back office (members, texts, the team's load) and each person's profile.

Access: a cell's pages are 404 for anybody outside the cell (as the triage pages are) and 403
for its members who do not coordinate it; operators may manage every cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from g2id.accounts.models import User
from g2id.accounts.profile_views import profile_context
from g2id.lib.http import TeamRequest
from g2id.public.cache import cached_team_page
from g2id.team import governance
from g2id.team.forms import (
    AddMembershipForm,
    CellTextsForm,
    EndMembershipForm,
    ProfileForm,
    RenewMembershipForm,
    SkillForm,
)
from g2id.team.models import Cell, Membership, Skill


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    open_requests: int


def _managed_cell(user: User, slug: str) -> Cell:
    """The cell if this user coordinates it: 404 outside the user's cells, 403 inside."""
    cell = get_object_or_404(Cell.objects.served_by(user), slug=slug)
    governance.ensure_coordinator(user, cell)
    return cell


def _membership_of(cell: Cell, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("person", "cell", "home_institution"), cell=cell, pk=pk
    )


def _refuse(form: forms.BaseForm, refusal: ValidationError) -> None:
    """Show a rule's refusal on the fields it names, the rest above the form."""
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal)
        return
    for field, errors in refusal.error_dict.items():
        form.add_error(field if field in form.fields else None, ValidationError(errors))


# --- Coordinator: cells and their dashboard --------------------------------------------------


@login_required
@require_GET
def cells(request: TeamRequest) -> HttpResponse:
    coordinated = Cell.objects.coordinated_by(request.user)
    return render(request, "office/cells.html", {"cells": coordinated})


@login_required
@require_GET
@cached_team_page
def cell(request: TeamRequest, slug: str) -> HttpResponse:
    managed = _managed_cell(request.user, slug)
    today = timezone.localdate()
    memberships = Membership.objects.filter(cell=managed).select_related(
        "person", "home_institution"
    )
    active = list(memberships.active_on(today).order_by("role", "person__last_name"))
    load = governance.open_requests_followed(managed.pk, [m.person_id for m in active])
    return render(
        request,
        "office/cell.html",
        {
            "cell": managed,
            "today": today,
            "members": [MemberRow(m, load.get(m.person_id, 0)) for m in active],
            "ending_soon": governance.terms_ending_soon(managed, today=today),
            "recruiting": governance.is_recruiting(managed, today=today),
            "free_seats": max(managed.member_cap - len(active), 0),
            "upcoming": memberships.filter(start_date__gt=today),
            "past": memberships.filter(end_date__lt=today).order_by("-end_date"),
        },
    )


# --- Coordinator: memberships -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add_member(request: TeamRequest, slug: str) -> HttpResponse:
    managed = _managed_cell(request.user, slug)
    form = AddMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The new account, if any, is kept only if the rules accept the membership.
            with transaction.atomic():
                membership = governance.add_membership(
                    cell=managed,
                    person=form.get_or_create_person(),
                    start=data["start_date"],
                    planned_end=data["planned_end_date"],
                    share_percent=data["share_percent"],
                    role=data["role"],
                    home_institution=data["home_institution"],
                    by=request.user,
                )
        except ValidationError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(
                request,
                _("%(person)s is now a member of the cell.") % {"person": membership.person},
            )
            return redirect("office:cell", managed.slug)
    return render(
        request,
        "office/add_member.html",
        {"cell": managed, "form": form},
        status=400 if form.errors else 200,
    )


def _membership_action(
    request: TeamRequest,
    membership: Membership,
    form: forms.Form,
    *,
    title: str,
    submit: str,
) -> HttpResponse:
    return render(
        request,
        "office/membership_form.html",
        {
            "cell": membership.cell,
            "membership": membership,
            "form": form,
            "title": title,
            "submit": submit,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def renew_member(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership_of(_managed_cell(request.user, slug), pk)
    form = RenewMembershipForm(
        request.POST or None, initial={"planned_end_date": membership.planned_end_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            governance.renew_membership(
                membership, planned_end=form.cleaned_data["planned_end_date"], by=request.user
            )
        except ValidationError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(
                request,
                _("The membership of %(person)s is renewed.") % {"person": membership.person},
            )
            return redirect("office:cell", slug)
    return _membership_action(
        request, membership, form, title=_("Renew a membership"), submit=_("Renew")
    )


@login_required
@require_http_methods(["GET", "POST"])
def end_member(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership_of(_managed_cell(request.user, slug), pk)
    # By default today, or the planned end if it has passed without being recorded.
    last_day = min(filter(None, [timezone.localdate(), membership.planned_end_date]))
    form = EndMembershipForm(request.POST or None, initial={"end_date": last_day})
    if request.method == "POST" and form.is_valid():
        try:
            governance.end_membership(membership, on=form.cleaned_data["end_date"], by=request.user)
        except ValidationError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(
                request, _("The membership of %(person)s is ended.") % {"person": membership.person}
            )
            return redirect("office:cell", slug)
    return _membership_action(
        request, membership, form, title=_("End a membership"), submit=_("End the membership")
    )


# --- Coordinator: the cell's texts ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def texts(request: TeamRequest, slug: str) -> HttpResponse:
    managed = _managed_cell(request.user, slug)
    form = CellTextsForm(request.POST or None, instance=managed)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The charter and the vade-mecum are saved."))
        return redirect("office:texts", managed.slug)
    return render(
        request,
        "office/texts.html",
        {"cell": managed, "form": form},
        status=400 if form.errors else 200,
    )


# --- Everyone: their own profile and skills ---------------------------------------------------


def _render_profile(
    request: TeamRequest,
    *,
    profile_form: ProfileForm | None = None,
    skill_form: SkillForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = request.user
    return render(
        request,
        "office/profile.html",
        {
            "person": person,
            "form": profile_form or ProfileForm(instance=person),
            "skill_form": skill_form or SkillForm(),
            "skills": Skill.objects.filter(person=person).select_related("domain"),
            "memberships": Membership.objects.active_on(timezone.localdate())
            .filter(person=person)
            .select_related("cell", "home_institution"),
            **profile_context(person),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: TeamRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_profile(request)
    # A copy of the account: a refused form must not change the user shown in the header.
    form = ProfileForm(request.POST, request.FILES, instance=_own_account(request.user))
    if not form.is_valid():
        return _render_profile(request, profile_form=form, status=400)
    form.save()
    messages.success(request, _("Your profile is saved."))
    return redirect("office:profile")


def _own_account(user: User) -> User:
    return User.objects.get(pk=user.pk)


@login_required
@require_POST
def add_skill(request: TeamRequest) -> HttpResponse:
    form = SkillForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, skill_form=form, status=400)
    Skill.objects.update_or_create(
        person=request.user,
        domain=form.cleaned_data["domain"],
        defaults={"level": form.cleaned_data["level"]},
    )
    messages.success(request, _("Your skills are saved."))
    return redirect(reverse("office:profile") + "#skills")


@login_required
@require_POST
def remove_skill(request: TeamRequest, pk: int) -> HttpResponse:
    get_object_or_404(Skill, person=request.user, pk=pk).delete()
    messages.success(request, _("The skill is removed."))
    return redirect(reverse("office:profile") + "#skills")
