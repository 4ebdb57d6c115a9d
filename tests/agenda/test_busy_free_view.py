"""The public busy/free partial shown on a member's profile."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string

from g2id.agenda.schedule import busy_free_weeks
from tests.agenda.conftest import make_event, paris, weekly_point


def render(member) -> str:
    weeks = busy_free_weeks(person=member, today=datetime.date(2026, 3, 16), weeks=2)
    return render_to_string("agenda/_busy_free.html", {"weeks": weeks})


def test_the_busy_free_view_writes_busy_and_free_in_a_captioned_table(member):
    weekly_point()
    html = render(member)
    assert html.count("<table") == 2
    assert "<caption>Semaine du lundi 16 mars 2026</caption>" in html
    assert '<th scope="row"><time datetime="2026-03-17">mardi 17 mars</time></th>' in html
    assert html.count(">Occupé<") == 2  # the two Tuesday mornings
    assert html.count(">Libre<") == 2 * 5 * 2 - 2


def test_the_busy_free_view_never_shows_what_the_member_does(member):
    make_event(person=member, starts_at=paris(2026, 3, 18, 9), ends_at=paris(2026, 3, 18, 17))
    html = render(member)
    for word in ("Koha", "Rodez", "MARC", "Formation"):
        assert word not in html
    assert ">Occupé<" in html
