from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from g2id.lib.geography import region_choices
from g2id.requests.forms import MESSAGE_MAX, MultipleFileField
from g2id.requests.models import Status
from g2id.taxonomy.models import Domain
from g2id.team.models import Cell


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Reference, title, description or library."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open requests")), ("all", _("All")), *Status.choices],
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        required=False,
        queryset=Domain.objects.all(),
        to_field_name="code",
        empty_label=_("All domains"),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    cell = forms.ModelChoiceField(
        label=_("Cell"),
        required=False,
        queryset=Cell.objects.none(),
        empty_label=_("All my cells"),
        to_field_name="slug",
    )

    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Most urgent first (positioning delay)")),
            ("recent", _("Most recent first")),
        ],
    )

    def __init__(self, *args, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *region_choices()]
        if cells is not None:
            self.fields["cell"].queryset = cells


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the library"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The review waits until the library answers."),
    )


class TeamMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    internal = forms.BooleanField(
        label=_("Internal note (never shown to the library)"), required=False
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"))


class TransferForm(forms.Form):
    to_cell = forms.ModelChoiceField(
        label=_("Transfer to the cell"), queryset=Cell.objects.none(), to_field_name="slug"
    )
    reason = forms.CharField(
        label=_("Why this cell?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history; the receiving team reads it."),
    )

    def __init__(self, *args, current: Cell, **kwargs):
        super().__init__(*args, **kwargs)
        to_cell = self.fields["to_cell"]
        assert isinstance(to_cell, forms.ModelChoiceField)
        to_cell.queryset = Cell.objects.exclude(pk=current.pk)
