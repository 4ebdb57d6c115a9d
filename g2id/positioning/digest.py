"""The daily opinion digest: one mail per member listing the requests awaiting their opinion.

A request awaits a member's opinion when it is under review in one of their cells, they have
given none, have not stepped aside and their home institution did not file it (the rule of
`Positioning.waiting_for`, computed here for every request at once: a fixed number of queries
whatever the number of requests, then one claim and one mail per member).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from g2id.accounts.models import User
from g2id.notifications.mail import queue_mail
from g2id.positioning.delay import TimeLeft, time_left_of
from g2id.positioning.models import Opinion, Recusal
from g2id.requests.models import Request, Status
from g2id.team.models import Membership


@dataclass(frozen=True)
class AwaitedOpinion:
    request: Request
    time_left: TimeLeft


def awaited_opinions(today: datetime.date) -> dict[User, list[AwaitedOpinion]]:
    """The members who want the digest and have not had today's, with what awaits them,
    the most urgent first."""
    memberships = list(
        Membership.objects.active_on(today)
        .filter(person__is_active=True, person__opinion_digest=True)
        .exclude(person__email="")
        .exclude(person__opinion_digest_sent_on=today)
        .select_related("person")
    )
    if not memberships:
        return {}
    people = {m.person_id: m.person for m in memberships}
    requests = list(
        Request.objects.filter(
            status=Status.UNDER_REVIEW, cell_id__in={m.cell_id for m in memberships}
        )
        .select_related("institution")
        .order_by("positioning_deadline", "submitted_at", "pk")
    )
    request_ids = [r.pk for r in requests]
    given = set(
        Opinion.objects.filter(request_id__in=request_ids, author_id__in=people).values_list(
            "request_id", "author_id"
        )
    )
    recused = set(
        Recusal.objects.filter(request_id__in=request_ids, member_id__in=people).values_list(
            "request_id", "member_id"
        )
    )
    awaited: dict[User, list[AwaitedOpinion]] = defaultdict(list)
    for request in requests:
        for membership in memberships:
            key = (request.pk, membership.person_id)
            if (
                membership.cell_id == request.cell_id
                and membership.home_institution_id != request.institution_id
                and key not in given
                and key not in recused
            ):
                awaited[people[membership.person_id]].append(
                    AwaitedOpinion(request, time_left_of(request, today=today))
                )
    for items in awaited.values():
        items.sort(key=_urgency)
    return dict(awaited)


def _urgency(item: AwaitedOpinion) -> tuple[bool, int]:
    days = item.time_left.days
    return (days is None, days if days is not None else 0)


def send_opinion_digests(today: datetime.date | None = None) -> int:
    """Queue today's digests; returns how many were queued. Running it twice sends none twice."""
    today = today or timezone.localdate()
    sent = 0
    for person, items in awaited_opinions(today).items():
        with transaction.atomic():
            # The claim and the mail commit together: at most one digest a day, even when two
            # runs overlap.
            claimed = (
                User.objects.filter(pk=person.pk)
                .filter(
                    Q(opinion_digest_sent_on__isnull=True) | Q(opinion_digest_sent_on__lt=today)
                )
                .update(opinion_digest_sent_on=today)
            )
            if not claimed:
                continue
            queue_mail(
                to=[person.email],
                template="positioning/mail/digest.txt",
                context={"person": person, "items": items, "today": today},
            )
            sent += 1
    return sent
