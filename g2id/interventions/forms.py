from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from g2id.agenda.forms import DateInput, _check_year
from g2id.interventions.models import ImpactCheck, Intervention, Session, Survey, TransferRecord

YES_NO = [(True, _("Yes")), (False, _("No"))]


def _yes_no(value: Any) -> bool | None:
    return {"True": True, "False": False}.get(value)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class PlanForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["mode", "planned_start", "planned_end"]
        widgets = {
            "mode": forms.RadioSelect,
            "planned_start": DateInput,
            "planned_end": DateInput,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_year(data.get("planned_start"), "planned_start")
        _check_year(data.get("planned_end"), "planned_end")
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "end_time", "location", "notes"]
        widgets = {
            "date": DateInput,
            "start_time": TimeInput,
            "end_time": TimeInput,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"location": _("An address, a room, or the link of the video call.")}

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        _check_year(value, "date")
        return value


class TaskForm(forms.Form):
    title = forms.CharField(label=_("New task"), max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Note for the history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliverForm(forms.Form):
    reason = forms.CharField(
        label=_("Why there is no deliverable, or a note for the history"),
        help_text=_("Required when the intervention leaves no deliverable."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferRecordForm(forms.ModelForm):
    class Meta:
        model = TransferRecord
        fields = [
            "what_taught",
            "taught_to",
            "names",
            "names_public",
            "through_sessions",
            "through_documentation",
            "how",
        ]
        widgets = {
            "what_taught": forms.Textarea(attrs={"rows": 3}),
            "how": forms.Textarea(attrs={"rows": 2}),
        }


class SurveyForm(forms.ModelForm):
    score = forms.TypedChoiceField(
        label=_("From 1 (not at all) to 5 (very), how satisfied are you?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend the cell to another library?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Survey
        fields = [
            "score",
            "what_worked",
            "what_did_not",
            "would_recommend",
            "saved_estimate",
            "consent_case_study",
            "anonymise",
        ]
        labels = {
            "what_worked": _("What worked well?"),
            "what_did_not": _("What did not work, or could be better?"),
            "saved_estimate": _("How much time or money do you think this saved you?"),
            "consent_case_study": _(
                "We agree that the team writes a short public case study of this intervention."
            ),
            "anonymise": _("Leave our library's name out of the case study."),
        }
        help_texts = {
            "saved_estimate": _("A rough estimate is enough, for instance “two days a month”."),
        }
        widgets = {
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "what_did_not": forms.Textarea(attrs={"rows": 3}),
        }


class ImpactCheckForm(forms.ModelForm):
    still_in_use = forms.TypedChoiceField(
        label=_("Is what the team delivered still in use?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ImpactCheck
        fields = ["still_in_use", "what_changed"]
        labels = {"what_changed": _("What did it change for your library?")}
        widgets = {"what_changed": forms.Textarea(attrs={"rows": 4})}
