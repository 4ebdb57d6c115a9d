"""The positioning rules: who may give an opinion, the quorum, the decision, the referral.

Every refusal is a `PositioningRefused` whose message is for the user (and names the form
field it concerns, if any).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from g2id.directory.models import Partner
from g2id.interventions.models import Intervention, Participation, Role
from g2id.positioning import notifications
from g2id.positioning.models import (
    FINAL_OUTCOMES,
    Decision,
    Invitation,
    Opinion,
    Outcome,
    Recusal,
    Referral,
    Stance,
)
from g2id.public.cache import TEAM_PAGES
from g2id.requests.models import Party, Request, Status
from g2id.team.governance import ensure_coordinator
from g2id.team.models import Membership

if TYPE_CHECKING:
    from g2id.accounts.models import User

# Opinions can be given and revised while the group has not decided.
OPEN_FOR_OPINIONS = {Status.UNDER_REVIEW, Status.NEEDS_INFO}


class PositioningRefused(Exception):
    """A positioning step the rules refuse; `field` names the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Quorum:
    voters: int
    given: int

    @property
    def needed(self) -> int:
        """A majority of the members who may give an opinion."""
        return self.voters // 2 + 1

    @property
    def reached(self) -> bool:
        return self.voters > 0 and self.given >= self.needed


@dataclass(frozen=True)
class MemberRow:
    """One member's line in the opinions table."""

    person: User
    opinion: Opinion | None
    stepped_aside: str  # why, when the member is out of the quorum


@dataclass
class Positioning:
    """Everything the group needs to see to position itself on one request."""

    request: Request
    memberships: list[Membership]
    opinions: list[Opinion]
    recusals: dict[int, str] = field(default_factory=dict)  # member id → reason
    conflicts: set[int] = field(default_factory=set)  # members from the requesting library

    def is_recused(self, user: User) -> bool:
        return user.pk in self.recusals or user.pk in self.conflicts

    @property
    def voters(self) -> list[User]:
        return [m.person for m in self.memberships if not self.is_recused(m.person)]

    @property
    def member_opinions(self) -> list[Opinion]:
        return [o for o in self.opinions if o.author_id is not None]

    @property
    def invited_opinions(self) -> list[Opinion]:
        return [o for o in self.opinions if o.invitation_id is not None]

    @property
    def quorum(self) -> Quorum:
        voter_ids = {user.pk for user in self.voters}
        given = sum(1 for o in self.member_opinions if o.author_id in voter_ids)
        return Quorum(voters=len(voter_ids), given=given)

    @property
    def waiting_for(self) -> list[User]:
        """Members who may give an opinion and have not."""
        given = {o.author_id for o in self.member_opinions}
        return [user for user in self.voters if user.pk not in given]

    @property
    def takers(self) -> list[Opinion]:
        return [
            o
            for o in self.member_opinions
            if o.stance == Stance.TAKE and o.author_id not in self.recusals
        ]

    @property
    def rows(self) -> list[MemberRow]:
        return [
            MemberRow(m.person, self.opinion_of(m.person), self.recusal_reason(m.person))
            for m in self.memberships
        ]

    def opinion_of(self, user: User) -> Opinion | None:
        return next((o for o in self.member_opinions if o.author_id == user.pk), None)

    def recusal_reason(self, user: User) -> str:
        if user.pk in self.recusals:
            return self.recusals[user.pk]
        if user.pk in self.conflicts:
            return _("Their home institution filed this request.")
        return ""


def positioning_of(request: Request, *, today: datetime.date | None = None) -> Positioning:
    """Load the cell's active members, their opinions and recusals (a fixed number of queries)."""
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.active_on(today)
        .filter(cell_id=request.cell_id)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__username")
    )
    opinions = list(
        request.opinions.select_related("author", "invitation").prefetch_related("partners")
    )
    recusals = dict(request.recusals.values_list("member_id", "reason"))
    conflicts = {
        m.person_id for m in memberships if m.home_institution_id == request.institution_id
    }
    return Positioning(request, memberships, opinions, recusals, conflicts)


def _locked(request: Request) -> Request:
    """Re-read the request under a row lock: one positioning step at a time per request."""
    return Request.objects.select_for_update().select_related("cell").get(pk=request.pk)


def give_opinion(
    request: Request,
    *,
    by: User,
    stance: str,
    role: str = "",
    partners: Sequence[Partner] = (),
    comment: str = "",
) -> Opinion:
    """Give or revise a member's opinion, until the group has decided."""
    with transaction.atomic():
        current = _locked(request)
        if current.status not in OPEN_FOR_OPINIONS:
            raise PositioningRefused(
                _("The group has already positioned itself: opinions are closed.")
            )
        group = positioning_of(current)
        if by.pk not in {m.person_id for m in group.memberships}:
            raise PositioningRefused(_("Only the cell's active members give an opinion."))
        if group.is_recused(by):
            raise PositioningRefused(
                _("You have a conflict of interest on this request: you do not give an opinion.")
            )
        _check_stance(stance, role, partners)
        opinion = group.opinion_of(by)
        if opinion is None:
            opinion = Opinion(request=current, author=by)
        else:
            opinion.revisions += 1
            opinion.revised_at = timezone.now()
        opinion.stance = stance
        opinion.role = role if stance == Stance.TAKE else ""
        opinion.comment = comment
        opinion.save()
        opinion.partners.set(partners if stance == Stance.REFER else [])
    return opinion


def _check_stance(stance: str, role: str, partners: Sequence[Partner]) -> None:
    if stance not in Stance.values:
        raise PositioningRefused(_("Choose an opinion."), field="stance")
    if stance == Stance.TAKE and role not in Role.values:
        raise PositioningRefused(
            _("Say which role you would play if the cell takes it on."), field="role"
        )
    if stance == Stance.REFER and not partners:
        raise PositioningRefused(
            _("Name at least one partner the library should be referred to."), field="partners"
        )


def declare_recusal(request: Request, *, member: User, reason: str) -> Recusal:
    """A member steps aside: out of the quorum and of the decision; their opinion is withdrawn."""
    reason = reason.strip()
    if not reason:
        raise PositioningRefused(_("Say briefly why you step aside."), field="reason")
    with transaction.atomic():
        current = _locked(request)
        if current.status not in OPEN_FOR_OPINIONS | {Status.SUBMITTED}:
            raise PositioningRefused(_("The group has already positioned itself."))
        if (
            not Membership.objects.active_on(timezone.localdate())
            .filter(cell_id=current.cell_id, person=member)
            .exists()
        ):
            raise PositioningRefused(_("Only the cell's active members step aside."))
        recusal, _created = Recusal.objects.update_or_create(
            request=current, member=member, defaults={"reason": reason}
        )
        current.opinions.filter(author=member).delete()
    return recusal


def decide(
    request: Request,
    *,
    outcome: str,
    by: User,
    rationale: str,
    override_reason: str = "",
    partners: Sequence[Partner] = (),
    message: str = "",
) -> Decision:
    """Record the group's decision and carry it out, all or nothing.

    accepted → intervention with the members who offered to take it; referred → referral
    to the named partners; declined → closed with the reason; needs_info → a question to
    the library (the review resumes when it answers).
    """
    rationale, override_reason = rationale.strip(), override_reason.strip()
    message = message.strip()
    if outcome not in Outcome.values:
        raise PositioningRefused(_("Choose a decision."), field="outcome")
    if not rationale:
        raise PositioningRefused(
            _("Write the rationale of the decision: the library will read it."), field="rationale"
        )
    if outcome == Outcome.REFERRED:
        if not partners:
            raise PositioningRefused(_("A referral names at least one partner."), field="partners")
        if not message:
            raise PositioningRefused(
                _("Write the message that goes with the referral."), field="message"
            )
    ensure_coordinator(by, request.cell)
    with transaction.atomic():
        current = _locked(request)
        if current.status != Status.UNDER_REVIEW:
            raise PositioningRefused(
                _("Only a request under review can be decided on (it is “%(status)s”).")
                % {"status": current.get_status_display()}
            )
        group = positioning_of(current)
        if group.is_recused(by):
            raise PositioningRefused(
                _("You have a conflict of interest on this request: another coordinator decides.")
            )
        quorum = group.quorum
        if not quorum.reached and not override_reason:
            raise PositioningRefused(
                _(
                    "The quorum is not reached (%(given)s opinion(s) of the %(needed)s needed): "
                    "say why you decide now."
                )
                % {"given": quorum.given, "needed": quorum.needed},
                field="override_reason",
            )
        takers = group.takers
        if outcome == Outcome.ACCEPTED and not takers:
            raise PositioningRefused(
                _("No member has offered to take this request on: it cannot be accepted."),
                field="outcome",
            )
        # The rationale goes to the library; an override's reason stays with the team (it is
        # on the decision, shown in the team's history).
        if outcome == Outcome.NEEDS_INFO:
            event = current.ask_library(by=by, question=rationale)
        else:
            event = current.change_status(
                outcome, party=Party.TEAM, user=by, reason=rationale, notify=False
            )
        decision = Decision.objects.create(
            request=current,
            event=event,
            outcome=outcome,
            rationale=rationale,
            decided_by=by,
            opinions_given=quorum.given,
            voters=quorum.voters,
            quorum_reached=quorum.reached,
            override_reason=override_reason if not quorum.reached else "",
        )
        if outcome == Outcome.ACCEPTED:
            _open_intervention(current, takers)
        elif outcome == Outcome.REFERRED:
            referral = Referral.objects.create(request=current, decision=decision, message=message)
            referral.partners.set(partners)
        if outcome in FINAL_OUTCOMES:
            current.invitations.filter(revoked_at=None).update(revoked_at=timezone.now())
            notifications.decision_made(decision)
    request.status = current.status
    return decision


def _open_intervention(request: Request, takers: list[Opinion]) -> Intervention:
    leads = [o for o in takers if o.role == Role.LEAD] or takers
    intervention = Intervention.objects.create(request=request, lead=leads[0].author)
    Participation.objects.bulk_create(
        Participation(intervention=intervention, person=o.author, role=o.role)
        for o in takers
        if o.author is not None
    )
    return intervention


def record_referral_feedback(referral: Referral, *, helpful: bool, comment: str = "") -> Referral:
    """The library says whether the referral helped; once, then it is kept as said."""
    with transaction.atomic():
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        if current.feedback_at is not None:
            raise PositioningRefused(_("You have already told us whether this referral helped."))
        current.helpful = helpful
        current.feedback = comment.strip()
        current.feedback_at = timezone.now()
        current.save(update_fields=["helpful", "feedback", "feedback_at"])
        notifications.referral_feedback_given(current)
    return current


def invite_expert(
    request: Request, *, by: User, email: str, name: str = "", note: str = ""
) -> Invitation:
    """Ask someone outside the cell for an opinion, through a private link sent by e-mail."""
    with transaction.atomic():
        current = _locked(request)
        if current.status not in OPEN_FOR_OPINIONS | {Status.SUBMITTED}:
            raise PositioningRefused(_("The group has already positioned itself."))
        if (
            not Membership.objects.active_on(timezone.localdate())
            .filter(cell_id=current.cell_id, person=by)
            .exists()
        ):
            raise PositioningRefused(_("Only the cell's active members invite an expert."))
        if current.invitations.filter(email__iexact=email, revoked_at=None).exists():
            raise PositioningRefused(
                _("This person has already been invited on this request."), field="email"
            )
        invitation = Invitation.objects.create(
            request=current, invited_by=by, email=email, name=name.strip(), note=note.strip()
        )
        notifications.expert_invited(invitation)
    return invitation


def revoke_invitation(invitation: Invitation, *, by: User) -> Invitation:
    if (
        not Membership.objects.active_on(timezone.localdate())
        .filter(cell_id=invitation.request.cell_id, person=by)
        .exists()
    ):
        raise PositioningRefused(_("Only the cell's active members revoke an invitation."))
    Invitation.objects.filter(pk=invitation.pk, revoked_at=None).update(revoked_at=timezone.now())
    TEAM_PAGES.bump()  # an update sends no signal
    invitation.refresh_from_db()
    return invitation


def give_invited_opinion(
    invitation: Invitation,
    *,
    stance: str,
    comment: str,
    partners: Sequence[Partner] = (),
) -> Opinion:
    """An invited expert's opinion: read by the members, never counted in the quorum."""
    comment = comment.strip()
    if not comment:
        raise PositioningRefused(_("Write your opinion for the team."), field="comment")
    if stance not in Stance.values:
        raise PositioningRefused(_("Choose an opinion."), field="stance")
    with transaction.atomic():
        current = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not current.is_usable():
            raise PositioningRefused(_("This invitation has expired or has been withdrawn."))
        if current.request.status not in OPEN_FOR_OPINIONS | {Status.SUBMITTED}:
            raise PositioningRefused(_("The team has already positioned itself: thank you."))
        opinion, _created = Opinion.objects.update_or_create(
            invitation=current,
            defaults={"request_id": current.request_id, "stance": stance, "comment": comment},
        )
        opinion.partners.set(partners if stance == Stance.REFER else [])
        if _created:
            notifications.invited_opinion_given(opinion)
    return opinion


def send_invitation_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind, once, the experts who have not answered after a few days."""
    from django.conf import settings

    now = now or timezone.now()
    due = now - datetime.timedelta(days=settings.G2ID_INVITATION_REMINDER_DAYS)
    pending = Invitation.objects.filter(
        revoked_at=None,
        reminded_at=None,
        opinion__isnull=True,
        created_at__lte=due,
        expires_at__gt=now,
        request__status__in=OPEN_FOR_OPINIONS | {Status.SUBMITTED},
    ).select_related("request", "invited_by")
    sent = 0
    for invitation in pending:
        with transaction.atomic():
            if Invitation.objects.filter(pk=invitation.pk, reminded_at=None).update(
                reminded_at=now
            ):
                TEAM_PAGES.bump()  # an update sends no signal
                notifications.expert_reminded(invitation)
                sent += 1
    return sent
