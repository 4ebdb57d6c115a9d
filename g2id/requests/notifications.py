"""Who is told what when a request changes.

Each function queues its mail in the caller's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django_tasks import task

from g2id.notifications.mail import queue_mail

if TYPE_CHECKING:
    from g2id.requests.models import Message, Request, RequestEvent


@task()
def announce_request(request_id: int) -> str:
    """Queue the mails of a new request from the worker, not from the library's submission.

    The submission only writes this task (in its own transaction): rendering two mails and
    finding the team's addresses would otherwise hold the database's write lock meanwhile.
    """
    from g2id.requests.models import Request

    request = Request.objects.select_related("institution", "cell").filter(pk=request_id).first()
    if request is None:
        return "request gone"
    with transaction.atomic():
        request_received(request)
    return "announced"


def request_received(request: Request) -> None:
    """Receipt to the library with its private tracking link; heads-up to the team."""
    queue_mail(
        to=[request.contact_email],
        template="requests/mail/received.txt",
        context={"request": request},
        language=request.language,
        reply_to=request.cell.contact_email,
    )
    queue_mail(
        to=request.cell.team_emails(new_request_alert=True),
        template="requests/mail/new_request_for_team.txt",
        context={"request": request},
    )


def status_changed(event: RequestEvent) -> None:
    """Tell the library of changes it did not make itself, and confirm its withdrawal."""
    from g2id.requests.models import Party, Status

    request = event.request
    if not event.from_status:  # the submission itself: the receipt says it
        return
    by_library = event.actor_party == Party.LIBRARY
    if not by_library or event.to_status == Status.WITHDRAWN:
        queue_mail(
            to=[request.contact_email],
            template="requests/mail/status_changed.txt",
            context={"request": request, "event": event},
            language=request.language,
            reply_to=request.cell.contact_email,
        )
    if by_library and event.to_status == Status.WITHDRAWN:
        queue_mail(
            to=request.cell.team_emails(),
            template="requests/mail/withdrawn_for_team.txt",
            context={"request": request, "event": event},
        )


def message_posted(message: Message) -> None:
    """A team message goes to the library; a library message goes to the team."""
    from g2id.requests.models import Party

    request = message.request
    if message.is_internal:
        return
    if message.author_party == Party.TEAM:
        queue_mail(
            to=[request.contact_email],
            template="requests/mail/message_for_library.txt",
            context={"request": request, "message": message},
            language=request.language,
            reply_to=request.cell.contact_email,
        )
    else:
        queue_mail(
            to=request.cell.team_emails(),
            template="requests/mail/message_for_team.txt",
            context={"request": request, "message": message},
        )


def transferred(event: RequestEvent) -> None:
    """The receiving cell's team learns that a request is now theirs."""
    queue_mail(
        to=event.to_cell.team_emails() if event.to_cell else [],
        template="requests/mail/transferred_for_team.txt",
        context={"request": event.request, "event": event},
    )
