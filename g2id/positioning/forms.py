from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from g2id.directory.models import Partner
from g2id.interventions.models import Role
from g2id.positioning.models import Outcome, Stance
from g2id.positioning.services import PositioningRefused
from g2id.requests.forms import MESSAGE_MAX
from g2id.requests.models import Request

TEXT_MAX = 4000


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    """The active partners a library of the request's region can turn to, grouped by kind."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Partner.objects.none())
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 8}))
        super().__init__(**kwargs)

    def serve(self, request: Request) -> None:
        partners = Partner.objects.listed().serving(request.institution.region).order_by("name")
        self.queryset = partners
        by_kind: dict[str, list[tuple[int, str]]] = {}
        for partner in partners:
            by_kind.setdefault(partner.get_kind_display(), []).append((partner.pk, partner.name))
        self.choices = sorted(by_kind.items())


class RefusalToFieldMixin:
    """Put a rule's refusal on the form field it names, or on the form as a whole."""

    def add_refusal(self, refusal: PositioningRefused) -> None:
        field = refusal.field if refusal.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, str(refusal))  # type: ignore[attr-defined]


class OpinionForm(RefusalToFieldMixin, forms.Form):
    prefix = "opinion"  # several forms share the request page: distinct ids

    stance = forms.ChoiceField(label=_("My opinion"), choices=Stance, widget=forms.RadioSelect)
    role = forms.ChoiceField(
        label=_("If the cell takes it on, I would be"),
        choices=[("", _("— (only when taking it on)")), *Role.choices],
        required=False,
    )
    partners = PartnerChoiceField(
        label=_("Partners to refer the library to"),
        required=False,
        help_text=_("Only when you suggest a referral. Ctrl or Cmd + click to choose several."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the members, never by the library."),
    )

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].serve(request)  # type: ignore[attr-defined]


class RecusalForm(RefusalToFieldMixin, forms.Form):
    prefix = "recusal"  # several forms share the request page: distinct ids

    reason = forms.CharField(
        label=_("Why do you step aside?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the request comes from your home institution, or a former employer."),
    )


class DecisionForm(RefusalToFieldMixin, forms.Form):
    prefix = "decision"  # several forms share the request page: distinct ids

    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label=_("Rationale, for the library"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Plain words: what was decided and why. For a question, write the question itself."
        ),
    )
    partners = PartnerChoiceField(
        label=_("Partners the library is referred to"),
        required=False,
        help_text=_("For a referral: one or more. Ctrl or Cmd + click to choose several."),
    )
    message = forms.CharField(
        label=_("Message that goes with the referral"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to ask them, whom to contact, what to mention."),
    )
    override_reason = forms.CharField(
        label=_("Why decide before the quorum?"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the quorum is not reached; kept in the team's history."),
    )

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].serve(request)  # type: ignore[attr-defined]


class InvitationForm(RefusalToFieldMixin, forms.Form):
    prefix = "invitation"  # several forms share the request page: distinct ids

    email = forms.EmailField(label=_("E-mail address of the expert"), max_length=254)
    name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    note = forms.CharField(
        label=_("A word for them (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitedOpinionForm(RefusalToFieldMixin, forms.Form):
    stance = forms.ChoiceField(
        label=_("What would you advise the cell?"), choices=Stance, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Your opinion"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    partners = PartnerChoiceField(
        label=_("Structures the library could turn to (optional)"), required=False
    )

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].serve(request)  # type: ignore[attr-defined]


class ReferralFeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Did this referral help you?"),
        choices=[("yes", _("Yes, it helped")), ("no", _("No, it did not help"))],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("A word for the team (optional)"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
