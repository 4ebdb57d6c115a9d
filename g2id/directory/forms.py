from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from g2id.lib.geography import region_choices
from g2id.taxonomy.models import Domain


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    speciality = forms.ModelChoiceField(
        label=_("Speciality"),
        required=False,
        queryset=Domain.objects.all(),
        to_field_name="code",
        empty_label=_("All specialities"),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("National structures are always listed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *region_choices()]  # type: ignore[attr-defined]
