from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Sequence

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from g2id.institutions.forms import TechnicalProfileFields
from g2id.institutions.models import Institution
from g2id.lib import geography
from g2id.lib.choices import fixed_choices
from g2id.lib.isil import normalise_isil, validate_isil
from g2id.lib.uploads import allowed_extensions, check_upload
from g2id.requests.choices import filing_choices
from g2id.requests.models import Kind, Request
from g2id.requests.services import Contact, LibraryDetails, submit_request
from g2id.taxonomy.models import Domain
from g2id.team.models import Cell

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
MESSAGE_MAX = 20_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked for size and real type."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            # Lazy: the text is shown in the language of each page, not of the first one.
            format_lazy(
                _("Up to {count} files, {size} MB each. Accepted: {extensions}."),
                count=settings.G2ID_ATTACHMENTS_PER_MESSAGE,
                size=settings.G2ID_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                extensions=", ".join(allowed_extensions()),
            ),
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(allowed_extensions()))

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.G2ID_ATTACHMENTS_PER_MESSAGE:
            raise ValidationError(
                _("At most %(count)d files at a time.")
                % {"count": settings.G2ID_ATTACHMENTS_PER_MESSAGE},
                code="too_many_files",
            )
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "widgets/grouped_checkboxes.html"


class DomainsField(forms.MultipleChoiceField):
    """Domain codes, offered grouped by family; cleans to Domain objects."""

    widget = GroupedCheckboxes

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = self._grouped_choices

    @staticmethod
    def _grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
        groups: dict[str, list[tuple[str, str]]] = {}
        for domain in Domain.objects.select_related("family"):
            groups.setdefault(domain.family.label, []).append((domain.code, domain.label))
        return list(groups.items())

    def clean(self, value):
        # Checked against the kept domains (filing_choices); the choices (a query each time
        # they are read) are only for rendering.
        codes = self.to_python(value)
        forms.Field.validate(self, codes)
        known = filing_choices().domains
        for code in codes:
            if code not in known:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
        self.run_validators(codes)
        return [known[code] for code in sorted(set(codes))]


class RequestDetailsForm(TechnicalProfileFields):
    """What a request says, checked the same way for the web form and the API."""

    library_name = forms.CharField(label=_("Name of the library"), max_length=200, required=False)
    library_isil = forms.CharField(
        label=_("ISIL (optional)"),
        # Longer than an ISIL on purpose: the ISIL rule then says what is wrong.
        max_length=64,
        required=False,
        help_text=_("For a French library: FR- followed by its RCR number, e.g. FR-751131015."),
    )
    library_kind = forms.ChoiceField(
        label=_("Kind of library"), choices=fixed_choices(Institution.Kind.choices), required=False
    )
    library_postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    library_city = forms.CharField(label=_("City"), max_length=120, required=False)

    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the tracking link of your request to this address."),
    )
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    contact_role = forms.CharField(
        label=_("Your role (optional)"),
        max_length=150,
        required=False,
        help_text=_("For example: head of the library, systems librarian, cataloguer."),
    )
    title = forms.CharField(label=_("Title of your request"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Describe your need"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you want to achieve, what you have tried, the deadline if any."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of help"), choices=fixed_choices(Kind.choices), widget=forms.RadioSelect
    )
    domains = DomainsField(
        label=_("Domains concerned"),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a known domain code."),
            "required": _("Choose at least one domain."),
        },
    )
    systems = forms.CharField(
        label=_("Systems involved (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: Koha 23.11, PMB, Bokeh, Omeka."),
    )
    desired_start = forms.DateField(
        label=_("Desired from (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    desired_end = forms.DateField(
        label=_("Desired until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the data of this form is processed by the cell to handle my request."
        ),
        error_messages={"required": _("Your consent is needed to handle the request.")},
    )

    def clean_library_isil(self) -> str:
        isil = self.cleaned_data["library_isil"].strip()
        if isil:
            validate_isil(isil)
            isil = normalise_isil(isil)
        return isil

    def clean_library_postcode(self) -> str:
        postcode = self.cleaned_data["library_postcode"].strip()
        if postcode and geography.department_of_postcode(postcode) is None:
            raise ValidationError(
                _("Enter a French postcode of five digits, e.g. 69003."), code="postcode"
            )
        return postcode

    def clean_desired_end(self) -> datetime.date | None:
        end = self.cleaned_data.get("desired_end")
        if end and end < timezone.localdate():
            raise ValidationError(_("This date is already past."), code="past")
        return end

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if not data.get("institution") and (
            not data.get("library_isil")
            or not Institution.objects.filter(isil=data["library_isil"]).exists()
        ):
            for field in ("library_name", "library_postcode", "library_city"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(
                        field,
                        ValidationError(
                            _("Choose your library in the list, or give this detail."),
                            code="required",
                        ),
                    )
        start, end = data.get("desired_start"), data.get("desired_end")
        if start and end and end < start:
            self.add_error(
                "desired_end",
                ValidationError(_("The end of the period comes before its start."), code="order"),
            )
        return data

    def library(self) -> Institution | LibraryDetails:
        data = self.cleaned_data
        if data.get("institution"):
            return data["institution"]
        return LibraryDetails(
            name=data["library_name"],
            isil=data["library_isil"],
            kind=data["library_kind"] or Institution.Kind.MUNICIPAL,
            postcode=data["library_postcode"],
            city=data["library_city"],
        )

    def file(
        self,
        *,
        language: str,
        submission_key: uuid.UUID | None = None,
        files: Sequence[UploadedFile] = (),
        admit: Callable[[], bool] | None = None,
    ) -> Request:
        """File the request this valid form describes (see submit_request for `admit`)."""
        data = self.cleaned_data
        return submit_request(
            library=self.library(),
            contact=self.contact(),
            title=data["title"],
            description=data["description"],
            kind=data["kind"],
            domains=data["domains"],
            systems=data["systems"],
            desired_start=data["desired_start"],
            desired_end=data["desired_end"],
            files=files,
            language=language,
            submission_key=submission_key,
            cell=data.get("cell"),
            technical_profile=self.technical_profile_values(),
            admit=admit,
        )

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            name=data["contact_name"],
            email=data["contact_email"],
            phone=data["contact_phone"],
            role=data["contact_role"],
        )


class CellChoiceField(forms.ModelChoiceField):
    # The cells, when the form has read them all already: the choice is found among them.
    cells: list[Cell] | None = None

    def to_python(self, value):
        if self.cells is None or value in self.empty_values or isinstance(value, Cell):
            return super().to_python(value)
        field = self.to_field_name or "pk"
        for cell in self.cells:
            if str(getattr(cell, field)) == str(value):
                return cell
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )

    def label_from_instance(self, obj: Cell) -> str:
        scope = _("national") if obj.is_national else geography.region_name(obj.region)
        return f"{obj.name} — {obj.speciality} ({scope})"


class RequestForm(RequestDetailsForm):
    """The library's request form: a known library is picked, an unknown one described."""

    institution = forms.ModelChoiceField(
        queryset=Institution.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        label=_("Known library"),
    )
    cell = CellChoiceField(
        label=_("Which cell should handle it?"),
        queryset=Cell.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Each cell has its speciality and the territory it serves."),
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"))
    # Honeypot: hidden from people by CSS, filled in by robots.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # Without a key (an old or hand-made form) the request is still filed, just not deduplicated.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    field_order = [
        "institution", "library_name", "library_isil", "library_kind", "library_postcode",
        "library_city", "contact_name", "contact_email", "contact_phone", "contact_role",
        "title", "description", "kind", "domains", "systems", "desired_start", "desired_end",
        "cell", "attachments", "consent", "website", "submission_key",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A choice only where there is one to make. The cells are few and kept with the
        # domains (filing_choices): for the count and for the choice of a post.
        cells = list(filing_choices().cells)
        if len(cells) < 2:
            del self.fields["cell"]
        else:
            self.fields["cell"].cells = cells

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        cell = data.get("cell")
        if cell is not None and not cell.is_national:
            region = self._library_region()
            if region and region != cell.region:
                self.add_error(
                    "cell",
                    ValidationError(
                        _("This cell serves %(region)s only; choose a national cell.")
                        % {"region": geography.region_name(cell.region)},
                        code="out_of_scope",
                    ),
                )
        return data

    def _library_region(self) -> str:
        institution = self.cleaned_data.get("institution")
        if institution is not None:
            return institution.region
        department = geography.department_of_postcode(self.cleaned_data.get("library_postcode", ""))
        return (geography.region_of_department(department) if department else None) or ""

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(
                _("This submission looks automated and was not sent. Leave this field empty."),
                code="honeypot",
            )
        return ""


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw your request? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that I withdraw this request."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class LostLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("The e-mail address given with your request"),
    )
