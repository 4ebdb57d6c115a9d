"""The weekly point's pages: the coordinator's settings and record, the members' digest."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from g2id.lib.http import TeamRequest
from g2id.team import governance
from g2id.team.models import Cell
from g2id.timesheets.week import iso_week, monday_of
from g2id.weekly import services
from g2id.weekly.digest import build_weekly_digest, render_digest
from g2id.weekly.forms import WeeklyPointSettingsForm
from g2id.weekly.models import WeeklyPoint

# Points listed on the settings page, the most recent first.
RECENT_POINTS = 12


def _cell_of_member(user, slug: str) -> Cell:
    """The cell if this user serves it; 404 for anybody else."""
    return get_object_or_404(Cell.objects.served_by(user), slug=slug)


def _managed_cell(user, slug: str) -> Cell:
    """404 outside the user's cells, 403 for a member who does not coordinate it."""
    cell = _cell_of_member(user, slug)
    governance.ensure_coordinator(user, cell)
    return cell


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: TeamRequest, slug: str) -> HttpResponse:
    cell = _managed_cell(request.user, slug)
    form = WeeklyPointSettingsForm(request.POST or None, instance=services.settings_of(cell))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The weekly point settings are saved."))
        return redirect("weekly:settings", cell.slug)
    return render(
        request,
        "weekly/settings.html",
        {
            "cell": cell,
            "form": form,
            "points": WeeklyPoint.objects.filter(cell=cell).order_by("-week")[:RECENT_POINTS],
            "retryable": {WeeklyPoint.Status.FAILED, WeeklyPoint.Status.NO_CHAT},
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def post_again(request: TeamRequest, slug: str, pk: int) -> HttpResponse:
    cell = _managed_cell(request.user, slug)
    point = get_object_or_404(WeeklyPoint, cell=cell, pk=pk)
    if services.post_again([point]):
        messages.success(
            request, _("The point of week %(week)s will be posted again.") % {"week": point.week}
        )
    else:
        messages.info(request, _("This point is posted or about to be: nothing to do."))
    return redirect("weekly:settings", cell.slug)


@login_required
@require_GET
def week(request: TeamRequest, slug: str) -> HttpResponse:
    """The digest as a page, so that the point can be run from it: live for the current week,
    as recorded for a past one."""
    cell = _cell_of_member(request.user, slug)
    now = timezone.now()
    today = timezone.localdate(now)
    monday = monday_of(request.GET.get("semaine"), today)
    this_monday = monday_of(None, today)
    week_name = iso_week(monday)
    point = WeeklyPoint.objects.filter(cell=cell, week=week_name).first()
    if monday == this_monday:
        markdown = render_digest(build_weekly_digest(cell, now=now), language=get_language())
    else:
        markdown = point.markdown if point is not None and monday < this_monday else ""
    one_week = datetime.timedelta(days=7)
    return render(
        request,
        "weekly/week.html",
        {
            "cell": cell,
            "week": week_name,
            "is_current": monday == this_monday,
            "is_future": monday > this_monday,
            "markdown": markdown,
            "point": point,
            "previous_week": iso_week(monday - one_week),
            "next_week": iso_week(monday + one_week) if monday < this_monday else "",
        },
    )
