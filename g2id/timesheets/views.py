"""Each member's weekly timesheet, and the home institutions' secondment statements."""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from g2id.lib.http import TeamRequest
from g2id.timesheets import access
from g2id.timesheets.forms import PeriodForm
from g2id.timesheets.models import Activity
from g2id.timesheets.services import PostedLine, WeekErrors, save_week
from g2id.timesheets.statements import Statement, csv_rows, secondment_statement
from g2id.timesheets.week import (
    build_grid,
    iso_week,
    monday_of,
    saved_lines,
    saved_targets,
    targets_for,
)


@login_required
@require_http_methods(["GET", "POST"])
def week(request: TeamRequest) -> HttpResponse:
    today = timezone.localdate()
    monday = monday_of(request.GET.get("semaine"), today)
    member = request.user
    open_targets = targets_for(member, monday)
    targets = {**saved_targets(member, monday), **open_targets}
    lines = saved_lines(member, monday)
    errors = None
    if request.method == "POST":
        lines = _posted_lines(request)
        try:
            changed = save_week(
                member=member, monday=monday, lines=lines, targets=targets, today=today
            )
        except WeekErrors as refusal:
            errors = refusal
        else:
            messages.success(
                request,
                ngettext(
                    "The week has been saved (%(count)s change).",
                    "The week has been saved (%(count)s changes).",
                    changed,
                )
                % {"count": changed},
            )
            return redirect(f"{reverse('timesheets:week')}?semaine={iso_week(monday)}")
    grid = build_grid(monday, lines, targets, errors)
    context = {
        "grid": grid,
        "week": iso_week(monday),
        "previous_week": iso_week(monday - datetime.timedelta(days=7)),
        "next_week": iso_week(monday + datetime.timedelta(days=7)),
        "this_week": iso_week(today),
        "sunday": monday + datetime.timedelta(days=6),
        "intervention_choices": [t for t in open_targets.values() if t.intervention],
        "cell_work_choices": [t for t in open_targets.values() if not t.intervention],
        "activities": Activity.choices,
        "may_read_statements": access.statement_institutions(member).exists(),
    }
    return render(request, "timesheets/week.html", context, status=400 if errors else 200)


def _posted_lines(request: TeamRequest) -> list[PostedLine]:
    count = min(_int(request.POST.get("lines")), 200)
    return [
        PostedLine(
            target=request.POST.get(f"l{index}-target", ""),
            activity=request.POST.get(f"l{index}-activity", ""),
            values=[request.POST.get(f"l{index}-d{day}", "") for day in range(7)],
        )
        for index in range(count)
    ]


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@login_required
@require_GET
def institutions(request: TeamRequest) -> HttpResponse:
    listed = access.statement_institutions(request.user).order_by("name")
    return render(request, "timesheets/institutions.html", {"institutions": listed})


@login_required
@require_GET
def statement(request: TeamRequest, institution_id: int) -> HttpResponse:
    context = _statement(request, institution_id)
    return render(
        request,
        "timesheets/statement.html",
        context,
        status=200 if context["statement"] else 400,
    )


@login_required
@require_GET
def statement_csv(request: TeamRequest, institution_id: int) -> HttpResponse:
    context = _statement(request, institution_id)
    result = context["statement"]
    if result is None:
        return render(request, "timesheets/statement.html", context, status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"mise-a-disposition-{institution_id}-{result.start}-{result.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # French Excel opens a CSV in the system's code page and with ";" as the separator (the
    # comma is the decimal mark there): the BOM makes it read UTF-8 (accents intact) and ";"
    # keeps each value in its own column.
    response.write("\ufeff")
    csv.writer(response, delimiter=";").writerows(csv_rows(result))
    return response


def _statement(request: TeamRequest, institution_id: int) -> dict[str, Any]:
    """The statement for the period asked (None when the period is wrong), after the access
    check (404 when it is not this user's to read)."""
    institution, cells = access.statement_scope(request.user, institution_id)
    form = PeriodForm.from_query(request.GET, timezone.localdate())
    result: Statement | None = None
    if form.is_valid():
        result = secondment_statement(
            institution, form.cleaned_data["du"], form.cleaned_data["au"], cells=cells
        )
    return {
        "institution": institution,
        "form": form,
        "statement": result,
        "working_hours": settings.G2ID_WORKING_HOURS_PER_DAY,
    }
