from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from g2id.institutions.models import TechnicalProfile
from g2id.lib.choices import fixed_choices

# The web form's values for the "in-house IT help" question; the API uses true/false.
IT_SUPPORT_CHOICES = [("", _("I don't know")), ("yes", _("Yes")), ("no", _("No"))]
ILS_CHOICE_ERROR = _(
    "“%(value)s” is not in the list of ILS; choose “Other ILS” and give its name with the version."
)
HOSTING_CHOICE_ERROR = _("“%(value)s” is not a known kind of hosting.")


def _it_support_from_answer(answer: str) -> bool:
    return answer == "yes"


class TechnicalProfileFields(forms.Form):
    """The optional "Your tools" questions of the request form (and of the API).

    Named like the form's other library_… fields; `technical_profile_values` gives them under
    the profile's own field names.
    """

    library_ils = forms.ChoiceField(
        label=_("Your ILS (optional)"),
        choices=fixed_choices([("", _("I don't know")), *TechnicalProfile.Ils.choices]),
        required=False,
        error_messages={"invalid_choice": ILS_CHOICE_ERROR},
    )
    library_ils_version = forms.CharField(
        label=_("Its version (optional)"),
        max_length=TechnicalProfile._meta.get_field("ils_version").max_length,
        required=False,
        help_text=_("For example: 23.11. For another ILS, its name and version."),
    )
    library_portal = forms.CharField(
        label=_("Your portal or website (optional)"),
        max_length=TechnicalProfile._meta.get_field("portal").max_length,
        required=False,
        help_text=_("For example: Bokeh, Syracuse, a CMS of the town."),
    )
    library_network = forms.CharField(
        label=_("Network or consortium you belong to (optional)"),
        max_length=TechnicalProfile._meta.get_field("network").max_length,
        required=False,
        help_text=_("For example: the departmental library's network."),
    )
    library_hosting = forms.ChoiceField(
        label=_("Where is your ILS hosted? (optional)"),
        choices=fixed_choices([("", _("I don't know")), *TechnicalProfile.Hosting.choices]),
        required=False,
        error_messages={"invalid_choice": HOSTING_CHOICE_ERROR},
    )
    library_it_support = forms.TypedChoiceField(
        label=_("Do you have in-house IT help? (optional)"),
        choices=fixed_choices(IT_SUPPORT_CHOICES),
        coerce=_it_support_from_answer,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def technical_profile_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "ils": data["library_ils"],
            "ils_version": data["library_ils_version"].strip(),
            "portal": data["library_portal"].strip(),
            "network": data["library_network"].strip(),
            "hosting": data["library_hosting"],
            "has_it_support": data["library_it_support"],
        }


class TechnicalProfileForm(forms.ModelForm):
    """The team's edit of a library's profile: every field may be changed or cleared."""

    class Meta:
        model = TechnicalProfile
        fields = ["ils", "ils_version", "portal", "network", "hosting", "has_it_support"]
        error_messages = {
            "ils": {"invalid_choice": ILS_CHOICE_ERROR},
            "hosting": {"invalid_choice": HOSTING_CHOICE_ERROR},
        }
