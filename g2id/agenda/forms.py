from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from g2id.agenda.models import Event

if TYPE_CHECKING:
    from g2id.accounts.models import User
    from g2id.team.models import Cell

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# Dates outside these years are typing mistakes (and would overflow time zone arithmetic).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Each occurrence of a repeating event must end before the next one starts.
LONGEST_OCCURRENCE = {
    Event.Recurrence.WEEKLY: 7,
    Event.Recurrence.FORTNIGHTLY: 14,
    Event.Recurrence.MONTHLY: 28,
}
MINE = ""


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _check_year(value: datetime.date | None, field: str) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code=f"{field}_out_of_range",
        )


class EventForm(forms.ModelForm):
    """An event of the user's own agenda, or of a cell they coordinate."""

    owner = forms.ChoiceField(label=_("In the agenda of"), required=False)

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "recurrence",
            "recurrence_until",
            "location",
            "notes",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "recurrence_until": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("Never shown to the public, who only see “Busy”."),
            "location": _("An address, a room or the link of the video call."),
            "recurrence_until": _("The last day it may take place. Empty: no end."),
        }

    def __init__(self, *args: Any, user: User, cells: Sequence[Cell], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.cells = {cell.slug: cell for cell in cells}
        if self.cells:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ChoiceField)
            owner.choices = [
                (MINE, _("Mine (%(name)s)") % {"name": user}),
                *((slug, cell.name) for slug, cell in self.cells.items()),
            ]
            if self.instance.cell_id:
                self.initial["owner"] = self.instance.cell.slug
        else:
            del self.fields["owner"]
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = [DATETIME_FORMAT, *(field.input_formats or [])]

    def clean_starts_at(self) -> datetime.datetime:
        value = self.cleaned_data["starts_at"]
        _check_year(value, "starts_at")
        return value

    def clean_ends_at(self) -> datetime.datetime:
        value = self.cleaned_data["ends_at"]
        _check_year(value, "ends_at")
        return value

    def clean_recurrence_until(self) -> datetime.date | None:
        value = self.cleaned_data["recurrence_until"]
        _check_year(value, "recurrence_until")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        recurrence = data.get("recurrence") or Event.Recurrence.NONE
        if recurrence == Event.Recurrence.NONE:
            data["recurrence_until"] = None
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error(
                "ends_at",
                forms.ValidationError(
                    _("The end must come after the start: check the date and the time."),
                    code="ends_before_start",
                ),
            )
        elif starts_at and ends_at and recurrence in LONGEST_OCCURRENCE:
            days = LONGEST_OCCURRENCE[recurrence]
            if ends_at - starts_at > datetime.timedelta(days=days):
                self.add_error(
                    "ends_at",
                    forms.ValidationError(
                        _(
                            "An event that repeats this way must last %(days)s days at most, "
                            "so that it ends before it starts again."
                        )
                        % {"days": days},
                        code="longer_than_interval",
                    ),
                )
        until = data.get("recurrence_until")
        if starts_at and until and until < timezone.localtime(starts_at).date():
            self.add_error(
                "recurrence_until",
                forms.ValidationError(
                    _("The last repetition cannot come before the first day (%(day)s).")
                    % {
                        "day": formats.date_format(
                            timezone.localtime(starts_at), "SHORT_DATE_FORMAT"
                        )
                    },
                    code="until_before_start",
                ),
            )
        return data

    def save(self, commit: bool = True) -> Event:
        event = super().save(commit=False)
        owner = self.cleaned_data.get("owner") or MINE
        if owner == MINE:
            event.person, event.cell = self.user, None
        else:
            event.person, event.cell = None, self.cells[owner]
        if event.created_by_id is None:
            event.created_by = self.user
        if commit:
            event.save()
        return event
