from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from g2id.accounts.models import User
from g2id.agenda.forms import DateInput
from g2id.steering.models import SteeringDecision


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class MeetingForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={"required": _("Give the date of the meeting.")},
    )
    start_time = forms.TimeField(
        label=_("Starts at"), initial=datetime.time(14, 0), widget=TimeInput()
    )
    end_time = forms.TimeField(label=_("Ends at"), initial=datetime.time(16, 0), widget=TimeInput())
    location = forms.CharField(label=_("Place or video link"), max_length=300, required=False)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    body = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: headings, lists, links."),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attendees = self.fields["attendees"]
        assert isinstance(attendees, forms.ModelMultipleChoiceField)
        attendees.queryset = members


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the decision.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={"required": _("Name the member who carries out this decision.")},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput(),
        error_messages={"required": _("Give the date by which this decision is carried out.")},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = members


class RegisterFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *SteeringDecision.Status.choices],
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Everybody")
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = people
