"""What the team's request page shows of the positioning, and the forms it offers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from g2id.positioning.delay import time_left_of
from g2id.positioning.forms import DecisionForm, InvitationForm, OpinionForm, RecusalForm
from g2id.positioning.services import OPEN_FOR_OPINIONS, positioning_of
from g2id.requests.models import Request, Status

if TYPE_CHECKING:
    from django import forms

    from g2id.accounts.models import User


def positioning_context(
    filed: Request, user: User, *, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    """The positioning section's context; `bound` holds a posted form to show with its errors."""
    bound = bound or {}
    group = positioning_of(filed)
    is_member = any(m.person_id == user.pk for m in group.memberships)
    may_opine = is_member and filed.status in OPEN_FOR_OPINIONS and not group.is_recused(user)
    may_decide = (
        filed.status == Status.UNDER_REVIEW
        and filed.cell.is_coordinated_by(user)
        and not group.is_recused(user)
    )
    own = group.opinion_of(user)
    initial = (
        {
            "stance": own.stance,
            "role": own.role,
            "comment": own.comment,
            "partners": [p.pk for p in own.partners.all()],
        }
        if own
        else None
    )
    return {
        "group": group,
        "quorum": group.quorum,
        "own_opinion": own,
        "recusal_reason": group.recusal_reason(user),
        "time_left": time_left_of(filed, today=timezone.localdate()),
        "opinion_form": (bound.get("opinion") or OpinionForm(initial=initial, request=filed))
        if may_opine
        else None,
        "recusal_form": (bound.get("recusal") or RecusalForm())
        if is_member
        and filed.status in OPEN_FOR_OPINIONS | {Status.SUBMITTED}
        and user.pk not in group.recusals
        else None,
        "decision_form": (bound.get("decision") or DecisionForm(request=filed))
        if may_decide
        else None,
        "invitation_form": (bound.get("invitation") or InvitationForm())
        if is_member and filed.status in OPEN_FOR_OPINIONS | {Status.SUBMITTED}
        else None,
        "invitations": filed.invitations.select_related("invited_by", "opinion"),
        "decisions": filed.decisions.select_related("decided_by", "referral").prefetch_related(
            "referral__partners"
        ),
        "now": timezone.now(),
    }
