from __future__ import annotations

from django import forms

from g2id.weekly.models import WeeklyPointSettings


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class WeeklyPointSettingsForm(forms.ModelForm):
    class Meta:
        model = WeeklyPointSettings
        fields = ["weekday", "time", "chat_kind", "webhook_url", "email_members"]
        widgets = {"time": TimeInput(), "webhook_url": forms.URLInput()}
