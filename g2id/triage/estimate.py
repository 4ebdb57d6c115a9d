"""The team's effort estimate of a request, which feeds the scope guard."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from g2id.lib.http import TeamRequest
from g2id.requests.models import EFFORT_MAX_DAYS, EFFORT_MIN_DAYS
from g2id.requests.scope import EstimateRefused, days_text, record_effort_estimate
from g2id.triage.views import render_request_page, request_for


class EffortEstimateForm(forms.Form):
    effort_days = forms.DecimalField(
        label=gettext_lazy("Effort estimate (person-days)"),
        min_value=EFFORT_MIN_DAYS,
        max_value=EFFORT_MAX_DAYS,
        decimal_places=1,
        localize=True,
        error_messages={
            "required": gettext_lazy("Enter the estimate in person-days, e.g. 3 or 2.5."),
            "invalid": gettext_lazy("Enter a number of person-days, e.g. 3 or 2.5."),
            "min_value": gettext_lazy("The estimate is at least half a person-day (0.5)."),
            "max_value": gettext_lazy(
                "The estimate is at most 200 person-days; a bigger project is far beyond "
                "light help."
            ),
            "max_decimal_places": gettext_lazy("At most one decimal, e.g. 2.5."),
        },
    )


@login_required
@require_POST
def estimate_effort(request: TeamRequest, reference: str) -> HttpResponse:
    filed = request_for(request.user, reference)
    form = EffortEstimateForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["effort_days"]
        try:
            record_effort_estimate(filed, days, by=request.user)
        except EstimateRefused as refused:
            form.add_error("effort_days", str(refused))
        else:
            messages.success(
                request,
                _("Effort estimate saved: %(days)s person-days.") % {"days": days_text(days)},
            )
            return redirect(filed.get_absolute_url() + "#scope")
    return render_request_page(request, filed, estimate_form=form, status=400)
