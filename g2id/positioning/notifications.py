"""Who is told what as the group positions itself. Each function queues its mail in the
caller's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from g2id.notifications.mail import queue_mail

if TYPE_CHECKING:
    from g2id.positioning.models import Decision, Invitation, Opinion, Referral


def decision_made(decision: Decision) -> None:
    """The library reads what was decided, why, and what happens next."""
    request = decision.request
    queue_mail(
        to=[request.contact_email],
        template="positioning/mail/decision_for_library.txt",
        context={"request": request, "decision": decision},
        language=request.language,
        reply_to=request.cell.contact_email,
    )


def referral_feedback_given(referral: Referral) -> None:
    request = referral.request
    queue_mail(
        to=request.cell.team_emails(),
        template="positioning/mail/referral_feedback_for_team.txt",
        context={"request": request, "referral": referral},
    )


def expert_invited(invitation: Invitation) -> None:
    queue_mail(
        to=[invitation.email],
        template="positioning/mail/invitation.txt",
        context={"invitation": invitation, "request": invitation.request},
        reply_to=invitation.invited_by.email,
    )


def expert_reminded(invitation: Invitation) -> None:
    queue_mail(
        to=[invitation.email],
        template="positioning/mail/invitation_reminder.txt",
        context={"invitation": invitation, "request": invitation.request},
        reply_to=invitation.invited_by.email,
    )


def invited_opinion_given(opinion: Opinion) -> None:
    assert opinion.invitation is not None
    queue_mail(
        to=[opinion.invitation.invited_by.email],
        template="positioning/mail/invited_opinion_for_member.txt",
        context={"opinion": opinion, "request": opinion.request},
    )
