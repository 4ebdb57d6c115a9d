"""The daily digest of the requests awaiting a member's opinion, and `g2id positioning_daily`."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import ngettext

from g2id.accounts.models import User
from g2id.notifications.models import OutgoingMail
from g2id.positioning.delay import time_left_of
from g2id.positioning.digest import send_opinion_digests
from g2id.positioning.models import Outcome, Stance
from g2id.positioning.services import decide, declare_recusal, give_opinion
from g2id.team.models import Membership
from tests.factories import InstitutionFactory, file_request, member_of
from tests.positioning.conftest import person


def reviewed(cell, title: str, **kwargs):
    filed = file_request(cell=cell, title=title, **kwargs)
    filed.take_into_review(by=person("coord"))
    return filed


def digests() -> dict[str, OutgoingMail]:
    """The last digest queued to each member, by username."""
    found = {}
    for mail in OutgoingMail.objects.filter(body__contains="/espace/profil/").order_by("pk"):
        (address,) = mail.to
        found[address.split("@")[0]] = mail
    return found


def test_each_member_reads_the_requests_awaiting_their_opinion(cell):
    home = InstitutionFactory(name="Médiathèque de Vienne", city="Vienne", postcode="38200")
    Membership.objects.filter(cell=cell, person__username="bruno").update(home_institution=home)
    given = reviewed(cell, "Relances en double")
    recused = reviewed(cell, "Import de notices")
    from_bruno = reviewed(cell, "Portail Bokeh", library=home)
    give_opinion(given, by=person("anne"), stance=Stance.ABSTAIN)
    declare_recusal(recused, member=person("anne"), reason="Ancienne collègue")
    file_request(cell=cell, title="Pas encore lue")  # submitted, not under review
    elsewhere = member_of(person=person("ailleurs"))  # of the national cell
    reviewed(elsewhere.memberships.get().cell, "Autre cellule")
    closed = reviewed(cell, "Déjà décidée")
    for name in ("coord", "bruno", "chloe"):
        give_opinion(closed, by=person(name), stance=Stance.DECLINE)
    decide(closed, outcome=Outcome.DECLINED, by=person("coord"), rationale="Hors champ.")

    sent = send_opinion_digests(timezone.localdate())

    mails = digests()
    assert sent == len(mails) == 6
    assert set(mails) == {"coord", "anne", "bruno", "chloe", "denis", "ailleurs"}
    assert "Autre cellule" in mails["ailleurs"].body
    assert "Portail Bokeh" in mails["anne"].body
    assert "Relances en double" not in mails["anne"].body
    assert "Import de notices" not in mails["anne"].body
    assert "Portail Bokeh" not in mails["bruno"].body
    for title in ("Relances en double", "Import de notices", "Portail Bokeh"):
        assert title in mails["coord"].body
    for title in ("Pas encore lue", "Déjà décidée"):
        assert all(title not in mail.body for mail in mails.values())
    assert all("Autre cellule" not in mails[name].body for name in ("coord", "anne"))
    assert from_bruno.reference in mails["anne"].body
    assert f"http://testserver/espace/demandes/{from_bruno.reference}/" in mails["anne"].body
    assert time_left_line(from_bruno) in mails["coord"].body
    assert "3" in mails["coord"].subject


def time_left_line(request) -> str:
    """How the digest says the time left of `request`, in French."""
    days = time_left_of(request, today=timezone.localdate()).days
    assert days is not None
    with translation.override("fr"):
        return ngettext(
            "%(days)s working day left to position the group",
            "%(days)s working days left to position the group",
            days,
        ) % {"days": days}


def test_members_who_turned_the_digest_off_or_have_nothing_awaited_get_nothing(cell):
    only = reviewed(cell, "Relances en double")
    User.objects.filter(username="chloe").update(opinion_digest=False)
    give_opinion(only, by=person("denis"), stance=Stance.ABSTAIN)

    send_opinion_digests(timezone.localdate())

    assert set(digests()) == {"coord", "anne", "bruno"}


def test_at_most_one_digest_a_day_even_when_run_twice(cell):
    reviewed(cell, "Relances en double")
    today = timezone.localdate()

    first = send_opinion_digests(today)
    again = send_opinion_digests(today)
    tomorrow = send_opinion_digests(today + datetime.timedelta(days=1))

    assert (first, again, tomorrow) == (5, 0, 5)
    assert person("anne").opinion_digest_sent_on == today + datetime.timedelta(days=1)


def queries_for_digests(today: datetime.date) -> int:
    User.objects.update(opinion_digest_sent_on=None)
    with CaptureQueriesContext(connection) as captured:
        assert send_opinion_digests(today) == 5
    return len(captured)


def test_the_digest_takes_the_same_queries_for_many_requests(cell):
    today = timezone.localdate()
    for number in range(2):
        reviewed(cell, f"Demande {number}")
    few = queries_for_digests(today)
    for number in range(2, 12):
        give_opinion(reviewed(cell, f"Demande {number}"), by=person("anne"), stance=Stance.ABSTAIN)

    many = queries_for_digests(today)

    assert many == few
    assert digests()["coord"].body.count("Demande ") >= 12


def test_the_daily_command_prints_what_it_queued(cell):
    reviewed(cell, "Relances en double")
    out = io.StringIO()

    call_command("positioning_daily", stdout=out)
    call_command("positioning_daily", stdout=out)

    assert out.getvalue().splitlines() == [
        "opinion digests queued: 5",
        "invitation reminders queued: 0",
        "opinion digests queued: 0",
        "invitation reminders queued: 0",
    ]
