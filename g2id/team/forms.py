"""The coordinator's back-office forms and the member's own profile form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from g2id.accounts.models import User
from g2id.institutions.models import Institution
from g2id.lib.isil import ISIL_RE, normalise_isil
from g2id.taxonomy.models import Domain
from g2id.team.models import Cell, Membership, Skill

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
# How many homonyms an ambiguity message lists before "…".
AMBIGUOUS_SHOWN = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _share_field() -> forms.IntegerField:
    message = _("The share of working time is a percentage between 10 and 100.")
    return forms.IntegerField(
        label=_("Share of working time (quotité, %)"),
        min_value=10,
        max_value=100,
        initial=100,
        error_messages={"min_value": message, "max_value": message, "invalid": message},
    )


class AddMembershipForm(forms.Form):
    """Second a person to the cell: an existing account, or a new one created on the way."""

    person = forms.CharField(
        label=_("Existing person: username or e-mail"),
        required=False,
        max_length=254,
        help_text=_("Leave empty to create the person's account with the three fields below."),
    )
    first_name = forms.CharField(label=_("New person: first name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("New person: last name"), required=False, max_length=150)
    email = forms.EmailField(
        label=_("New person: e-mail"),
        required=False,
        help_text=_(
            "The person then chooses a password with “forgotten password” on the login page."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    home_institution = forms.CharField(
        label=_("Home institution"),
        required=False,
        max_length=200,
        help_text=_("The ISIL (e.g. FR-751131015) or the exact name of the institution."),
    )
    share_percent = _share_field()
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    planned_end_date = forms.DateField(label=_("Planned end date"), widget=DateInput())

    def clean_person(self) -> User | None:
        given = self.cleaned_data["person"].strip()
        if not given:
            return None
        found = list(User.objects.filter(Q(username__iexact=given) | Q(email__iexact=given))[:2])
        if not found:
            raise ValidationError(
                gettext(
                    "Nobody has the username or e-mail “%(given)s”. Check the spelling, or "
                    "leave this field empty and fill in the new person's name and e-mail."
                )
                % {"given": given},
                code="unknown_person",
            )
        if len(found) > 1:
            raise ValidationError(
                gettext(
                    "Several accounts match “%(given)s”: give the username instead of the e-mail."
                )
                % {"given": given},
                code="ambiguous_person",
            )
        return found[0]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)):
            raise ValidationError(
                gettext(
                    "An account with this e-mail already exists: give it in the “existing "
                    "person” field instead."
                ),
                code="email_taken",
            )
        return email

    def clean_home_institution(self) -> Institution | None:
        given = self.cleaned_data["home_institution"].strip()
        if not given:
            return None
        isil = normalise_isil(given)
        if ISIL_RE.match(isil):
            by_isil = Institution.objects.filter(isil=isil).first()
            if by_isil is not None:
                return by_isil
        found = list(Institution.objects.filter(name__iexact=given)[: AMBIGUOUS_SHOWN + 1])
        if not found:
            found = list(Institution.objects.filter(name__icontains=given)[: AMBIGUOUS_SHOWN + 1])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                gettext(
                    "No institution has the ISIL or the name “%(given)s”. Check the spelling; "
                    "an operator can add a missing institution in the administration."
                )
                % {"given": given},
                code="unknown_institution",
            )
        names = "; ".join(str(institution) for institution in found[:AMBIGUOUS_SHOWN])
        if len(found) > AMBIGUOUS_SHOWN:
            names += "; …"
        raise ValidationError(
            gettext("Several institutions match “%(given)s” (%(names)s): give the ISIL instead.")
            % {"given": given, "names": names},
            code="ambiguous_institution",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("person") or "person" in self.errors:
            return data
        for name in ("first_name", "last_name", "email"):
            if not data.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    ValidationError(
                        gettext(
                            "Give an existing person above, or the new person's first name, "
                            "last name and e-mail."
                        ),
                        code="required",
                    ),
                )
        return data

    def get_or_create_person(self) -> User:
        """The chosen account, or a new one without a usable password (to run in a transaction)."""
        existing: User | None = self.cleaned_data["person"]
        if existing is not None:
            return existing
        person = User(
            username=self.cleaned_data["email"].lower(),
            email=self.cleaned_data["email"],
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
        )
        person.set_unusable_password()
        person.save()
        return person


class RenewMembershipForm(forms.Form):
    planned_end_date = forms.DateField(label=_("New planned end date"), widget=DateInput())


class EndMembershipForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last day of service"),
        widget=DateInput(),
    )


class CellTextsForm(forms.ModelForm):
    class Meta:
        model = Cell
        fields = ["charter", "vade_mecum"]
        widgets = {
            "charter": forms.Textarea(attrs={"rows": 14}),
            "vade_mecum": forms.Textarea(attrs={"rows": 14}),
        }


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves; the photo is checked by its content."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "bio", "keywords", "photo"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "photo": {
                "invalid_image": _(
                    "This file is not an image. Send a photo in JPEG, PNG or WebP format."
                ),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["photo"].help_text = _("JPEG, PNG or WebP, 2 MB at most.")
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        taken = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                gettext("Another account already uses this e-mail address."), code="email_taken"
            )
        return email

    def clean_photo(self) -> Any:
        photo = self.cleaned_data["photo"]
        if not isinstance(photo, UploadedFile):
            return photo  # unchanged, or cleared
        if photo.size is not None and photo.size > PHOTO_MAX_BYTES:
            raise ValidationError(
                gettext("This photo is too large (%(size)s): send an image of %(limit)s at most.")
                % {"size": filesizeformat(photo.size), "limit": filesizeformat(PHOTO_MAX_BYTES)},
                code="photo_too_large",
            )
        # forms.ImageField has opened the content with Pillow: it really is an image.
        image = getattr(photo, "image", None)
        if image is None or image.format not in PHOTO_FORMATS:
            raise ValidationError(
                gettext("Send a photo in JPEG, PNG or WebP format."), code="photo_format"
            )
        return photo


class SkillForm(forms.Form):
    """One skill: a domain of the taxonomy, by its code, and a level from 1 to 3."""

    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.all(),
        to_field_name="code",
        error_messages={
            "invalid_choice": _("Unknown domain code: choose a domain from the list."),
        },
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=Skill.Level.choices,
        coerce=int,
        initial=Skill.Level.PRACTITIONER,
        error_messages={
            "invalid_choice": _("The level goes from 1 (basics) to 3 (expert)."),
        },
    )
