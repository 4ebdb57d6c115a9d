from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from g2id.institutions.models import Institution, TechnicalProfile
from g2id.lib.isil import normalise_isil
from g2id.lib.uploads import allowed_extensions
from g2id.realisations.licences import normalise_licence
from g2id.realisations.models import CaseStudy, Deliverable, DeliverableType, DeliverableVersion
from g2id.taxonomy.models import Domain


class DeliverableForm(forms.ModelForm):
    """The deliverable itself: what it is, its licence, how to use it, whether others may."""

    class Meta:
        model = Deliverable
        fields = ["title", "type", "licence", "how_to", "reusable"]
        help_texts = {
            "licence": _(
                "An SPDX identifier or expression, such as MIT, GPL-3.0-or-later, "
                "CC-BY-4.0 or “MIT OR Apache-2.0”."
            ),
            "how_to": _("A few lines in Markdown: how to install or use it."),
            "reusable": _(
                "Shown on the public realisations page, with its file or link, for other "
                "libraries to reuse."
            ),
        }
        widgets = {"how_to": forms.Textarea(attrs={"rows": 6})}

    def clean_licence(self) -> str:
        return normalise_licence(self.cleaned_data["licence"])


class VersionForm(forms.ModelForm):
    """One version: its label, what changed, and a repository link or a file."""

    repository_url = forms.URLField(
        label=_("repository link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A web address starting with http:// or https://."),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    upload = forms.FileField(
        label=_("or a file"),
        required=False,
        help_text=_("Accepted: %(extensions)s.") % {"extensions": ", ".join(allowed_extensions())},
    )

    class Meta:
        model = DeliverableVersion
        fields = ["label", "notes", "repository_url"]
        help_texts = {"label": _("For instance 1.0 or 2026-03.")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label"].initial = "1.0"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if bool(data.get("repository_url")) == bool(data.get("upload")):
            raise ValidationError(
                _("Give either a repository link or a file for this version, not both nor neither.")
            )
        return data


class ReuseForm(forms.Form):
    library = forms.CharField(
        label=_("Your library"),
        max_length=200,
        help_text=_("Its ISIL if you know it (for instance FR-751131015), otherwise its name."),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"))

    def clean_library(self) -> str:
        return " ".join(self.cleaned_data["library"].split())

    def known_institution(self) -> Institution | None:
        """The known library whose ISIL was given, if any."""
        text = self.cleaned_data["library"]
        if "-" not in text or " " in text:
            return None
        return Institution.objects.filter(isil=normalise_isil(text)).first()


class CaseStudyForm(forms.ModelForm):
    class Meta:
        model = CaseStudy
        fields = ["title", "body"]
        help_texts = {"body": _("Markdown. Read it again before publishing: it will be public.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}


class RealisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.all(),
        required=False,
        empty_label=_("All domains"),
    )
    type = forms.ChoiceField(
        label=_("Type of deliverable"),
        choices=[("", _("All types")), *DeliverableType.choices],
        required=False,
    )
    system = forms.ChoiceField(
        label=_("System (ILS)"),
        choices=[("", _("All systems")), *TechnicalProfile.Ils.choices],
        required=False,
    )
