"""The inbox's rows, worked out once in Python: the template only places the values.

Twenty-five rows of includes, filters and plural blocks cost more than the inbox's query;
the delay is TimeLeft.words, rendered as on the request page, and the status the markup of
includes/status_badge.html, without the template engine's per-node overhead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import dateformat, formats, timezone

from g2id.positioning.delay import DelayWords, time_left_of
from g2id.requests.models import Request

# A reference is capitals, digits and dashes: nothing to quote in its address.
_PLACEHOLDER = "G2ID-0000-0000"


@dataclass(frozen=True)
class InboxRow:
    url: str
    reference: str
    title: str
    library: str
    city: str
    domains: list[tuple[str, str]]  # (code, label)
    status: str
    status_label: str
    submitted_iso: str
    submitted_short: str
    delay: DelayWords


def inbox_rows(requests: list[Request], *, today: datetime.date) -> list[InboxRow]:
    address = reverse("triage:request", args=[_PLACEHOLDER])
    return [_row(filed, address, today) for filed in requests]


def _row(filed: Request, address: str, today: datetime.date) -> InboxRow:
    submitted = timezone.localtime(filed.submitted_at)
    return InboxRow(
        url=address.replace(_PLACEHOLDER, filed.reference),
        reference=filed.reference,
        title=filed.title,
        library=filed.institution.name,
        city=filed.institution.city,
        domains=[(domain.code, domain.label) for domain in filed.domains.all()],
        status=filed.status,
        status_label=filed.get_status_display(),
        submitted_iso=dateformat.format(submitted, "c"),
        submitted_short=formats.date_format(submitted, "SHORT_DATE_FORMAT"),
        delay=time_left_of(filed, today=today).words,
    )
