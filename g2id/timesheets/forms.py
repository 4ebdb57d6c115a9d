from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from g2id.timesheets.statements import last_month

# A statement covers at most about a year: enough for an annual report, bounded work.
MAX_PERIOD_DAYS = 366


class PeriodForm(forms.Form):
    """The period of a statement, read from the query string (?du=…&au=…)."""

    du = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    au = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    @classmethod
    def from_query(cls, query: Any, today: datetime.date) -> PeriodForm:
        """Bound to the query's dates, or to last month's when there are none."""
        if "du" not in query and "au" not in query:
            start, end = last_month(today)
            return cls({"du": start.isoformat(), "au": end.isoformat()})
        return cls(query)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("du"), data.get("au")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of one year at most."))
        return data
