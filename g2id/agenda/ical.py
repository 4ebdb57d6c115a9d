"""iCalendar feeds (RFC 5545): busy/free for the public, details for the member only.

Public feeds carry one VEVENT per event with the summary "Busy" and no place, notes or
title, marked opaque: that is what calendar clients subscribe to and show best (VFREEBUSY
is ignored by most of them). Repeating events keep their RRULE instead of being expanded.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from g2id.agenda.models import Event
from g2id.agenda.schedule import RULES, local_zone, until_moment

PRODID = "-//G2ID//Agenda//FR"
# Past one-off events stay in the feeds this long; older ones only weigh them down.
KEPT_PAST = datetime.timedelta(days=90)
REFRESH = datetime.timedelta(hours=1)
# The time zone definition covers the feed's events and this many years to come.
ZONE_YEARS_AHEAD = 20


def kept_since() -> datetime.datetime:
    """The moment before which finished events are left out of a feed."""
    return timezone.now() - KEPT_PAST


def calendar(*, name: str, events: Iterable[Event], details: bool) -> bytes:
    """A whole calendar: with `details`, titles, places and notes; otherwise only "Busy"."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", local_zone().key)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH).to_ical().decode())
    stamp = timezone.now()
    events = list(events)
    for event in events:
        cal.add_component(_vevent(event, stamp=stamp, details=details))
    today = timezone.localdate()
    first_day = min([timezone.localdate(event.starts_at) for event in events] + [today])
    cal.add_missing_timezones(
        first_date=first_day - datetime.timedelta(days=1),
        last_date=today.replace(year=today.year + ZONE_YEARS_AHEAD, day=1),
    )
    return cal.to_ical()


def _vevent(event: Event, *, stamp: datetime.datetime, details: bool) -> icalendar.Event:
    zone = local_zone()
    vevent = icalendar.Event()
    # The public copy gets its own UID, so that a client subscribed to both feeds never
    # merges the busy block with the detailed event.
    vevent.add("uid", f"{event.uid}" if details else f"busy-{event.uid}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", timezone.localtime(event.starts_at, zone))
    vevent.add("dtend", timezone.localtime(event.ends_at, zone))
    vevent.add("transp", "OPAQUE")
    if details:
        vevent.add("summary", event.title)
        categories = [str(event.get_kind_display())]
        if event.cell is not None:
            categories.append(event.cell.name)
        vevent.add("categories", categories)
        if event.location:
            vevent.add("location", event.location)
        if event.notes:
            vevent.add("description", event.notes)
        vevent.add("class", "PRIVATE")
    else:
        vevent.add("summary", busy_label())
        vevent.add("class", "PUBLIC")
    if event.recurrence in RULES:
        vevent.add("rrule", _rule(event))
    return vevent


def _rule(event: Event) -> dict[str, object]:
    frequency, interval = RULES[event.recurrence]
    rule: dict[str, object] = {"freq": frequency}
    if interval != 1:
        rule["interval"] = interval
    until = until_moment(event)
    if until is not None:
        # With a TZID start, RFC 5545 wants UNTIL in UTC.
        rule["until"] = until.astimezone(datetime.UTC)
    return rule


def busy_label() -> str:
    return _("Busy")
