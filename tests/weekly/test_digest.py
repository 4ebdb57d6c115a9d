"""The weekly digest's content on a fixed dataset, time frozen, and its query budget."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.interventions import services as interventions
from g2id.interventions.models import Intervention, Session
from g2id.positioning.models import Outcome, Stance
from g2id.positioning.services import decide, declare_recusal, give_opinion
from g2id.realisations.models import Deliverable
from g2id.realisations.services import add_deliverable
from g2id.timesheets.models import TimeEntry
from g2id.weekly.digest import build_weekly_digest, render_digest
from g2id.weekly.models import WeeklyPoint
from tests.factories import file_request
from tests.weekly.conftest import at, person

D = datetime.date


def accepted(cell, title: str) -> Intervention:
    filed = file_request(cell=cell, title=title)
    filed.take_into_review(by=person("coord"))
    give_opinion(filed, by=person("anne"), stance=Stance.TAKE, role="lead")
    give_opinion(filed, by=person("bruno"), stance=Stance.TAKE, role="contributor")
    give_opinion(filed, by=person("chloe"), stance=Stance.ABSTAIN)
    decide(filed, outcome=Outcome.ACCEPTED, by=person("coord"), rationale="Nous le faisons.")
    return Intervention.objects.select_related("request").get(request=filed)


@pytest.fixture
def week_of_work(cell):
    """Ten days of a cell's life, each thing at its own moment; the clock then stops at the
    point, Monday 30 November 2026 at 9:30."""
    data = {}
    with time_machine.travel(at(2026, 11, 10, 10), tick=False):
        old = file_request(cell=cell, title="Demande déclinée")
        old.take_into_review(by=person("coord"))
        for name in ("coord", "anne", "bruno"):
            give_opinion(old, by=person(name), stance=Stance.DECLINE)
    with time_machine.travel(at(2026, 11, 16, 10), tick=False):
        decide(old, outcome=Outcome.DECLINED, by=person("coord"), rationale="Hors champ.")
    with time_machine.travel(at(2026, 11, 18, 10), tick=False):
        data["late"] = file_request(cell=cell, title="Import *UNIMARC* en [retard]")
        data["late"].take_into_review(by=person("coord"))
    with time_machine.travel(at(2026, 11, 25, 14), tick=False):
        data["fresh"] = file_request(cell=cell, title="Relances en double @channel")
        data["fresh"].take_into_review(by=person("coord"))
        give_opinion(data["fresh"], by=person("anne"), stance=Stance.ABSTAIN)
        declare_recusal(data["fresh"], member=person("bruno"), reason="Ancien collègue")
        data["elsewhere"] = file_request(title="Demande d'une autre cellule")
    with time_machine.travel(at(2026, 11, 26, 11), tick=False):
        data["work"] = accepted(cell, "Portail Bokeh")
        interventions.plan(data["work"], by=person("anne"))
        interventions.start(data["work"], by=person("anne"))
        interventions.save_session(
            Session(
                intervention=data["work"],
                date=D(2026, 12, 3),
                start_time=datetime.time(9, 30),
                end_time=datetime.time(12, 0),
            ),
            by=person("anne"),
        )
    with time_machine.travel(at(2026, 11, 27, 16), tick=False):
        add_deliverable(
            data["work"],
            Deliverable(title="Script de relances", type="script", licence="MIT", reusable=True),
            version_label="1.0",
            repository_url="https://forge.example.fr/relances",
            upload=None,
            by=person("anne"),
        )
    for username, day, minutes in [
        ("anne", D(2026, 11, 27), 90),
        ("bruno", D(2026, 11, 24), 60),
        ("bruno", D(2026, 11, 23), 600),  # the day the period starts: before 9:30, not counted
    ]:
        TimeEntry.objects.create(
            member=person(username), date=day, minutes=minutes, activity="analysis", cell=cell,
            intervention=data["work"],
        )  # fmt: skip
    return data


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at(2026, 11, 30, 9, 30), tick=False)


def test_the_digest_gathers_the_week_of_the_cell(cell, week_of_work):
    with time_machine.travel(at(2026, 11, 30, 9, 30), tick=False):
        digest = build_weekly_digest(cell, now=at(2026, 11, 30, 9, 30))
    late, fresh, work = week_of_work["late"], week_of_work["fresh"], week_of_work["work"]

    assert digest.week == "2026-W49"
    assert [r.title for r in digest.new_requests] == [fresh.title, "Portail Bokeh"]
    awaiting = {item.request.pk: {p.username for p in item.missing} for item in digest.awaiting}
    assert awaiting == {
        late.pk: {"coord", "anne", "bruno", "chloe", "denis"},
        fresh.pk: {"coord", "chloe", "denis"},
    }
    assert [(d.request.pk, d.time_left.days) for d in digest.delays] == [(late.pk, 2)]
    assert [(d.request.pk, d.outcome) for d in digest.decisions] == [(work.request.pk, "accepted")]
    assert [(row.intervention.pk, [s.date for s in row.next_sessions])
            for row in digest.interventions] == [(work.pk, [D(2026, 12, 3)])]  # fmt: skip
    assert [(v.deliverable.title, v.label) for v in digest.shipped] == [
        ("Script de relances", "1.0")
    ]
    assert {row.name: row.minutes for row in digest.hours} == {
        "Corinne Ordas": 0, "Anne Aubry": 90, "Bruno Berthier": 60, "Chloé Chabert": 0,
        "Denis Durand": 0,
    }  # fmt: skip
    assert digest.total_minutes == 150
    assert [m.person.username for m in digest.ending_soon] == ["denis"]


def test_the_markdown_links_every_request_and_keeps_outside_text_inert(cell, week_of_work):
    with time_machine.travel(at(2026, 11, 30, 9, 30), tick=False):
        markdown = render_digest(build_weekly_digest(cell, now=at(2026, 11, 30, 9, 30)))
    late, fresh, work = week_of_work["late"], week_of_work["fresh"], week_of_work["work"]
    base = "http://testserver"

    assert markdown.startswith("## ")
    assert "Cellule SIGB" in markdown
    assert f"- [{fresh.reference}]({base}/espace/demandes/{fresh.reference}/) " in markdown
    # A library's title cannot format the digest nor ping the whole channel.
    assert r"Import \*UNIMARC\* en \[retard\]" in markdown
    assert "@\u2060channel" in markdown and " @channel" not in markdown
    assert f"({base}/espace/interventions/{work.request.reference}/)" in markdown
    assert f"({base}/espace/interventions/{work.request.reference}/livrables/)" in markdown
    assert "09:30\u201312:00" in markdown
    assert "Anne Aubry: 1h30" in markdown and "Bruno Berthier: 1h" in markdown
    assert "2h30" in markdown
    assert "Demande déclinée" not in markdown
    assert "Demande d'une autre cellule" not in markdown
    assert late.reference in markdown
    assert f"{base}/espace/equipe/cellule-sigb/point-hebdo/semaine/?semaine=2026-W49" in markdown
    assert "\n\n\n" not in markdown


def test_the_digest_reads_a_fixed_number_of_queries_whatever_the_data(cell, week_of_work):
    def count() -> int:
        with (
            time_machine.travel(at(2026, 11, 30, 9, 30), tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            render_digest(build_weekly_digest(cell, now=at(2026, 11, 30, 9, 30)))
        return len(queries)

    before = count()
    with time_machine.travel(at(2026, 11, 27, 10), tick=False):
        for number in range(3):
            more = accepted(cell, f"Autre intervention {number}")
            interventions.plan(more, by=person("anne"))
            file_request(cell=cell, title=f"Nouvelle {number}").take_into_review(by=person("coord"))
    assert count() == before <= 12


def test_the_digest_command_prints_this_week_or_a_recorded_one(cell, week_of_work, frozen):
    out = io.StringIO()
    call_command("digest", "cellule-sigb", stdout=out)
    assert week_of_work["fresh"].reference in out.getvalue()
    assert out.getvalue().startswith("## ")

    WeeklyPoint.objects.create(cell=cell, week="2026-W48", markdown="## Semaine passée\n")
    out = io.StringIO()
    call_command("digest", "cellule-sigb", "--week", "2026-w48", stdout=out)
    assert out.getvalue() == "## Semaine passée\n"

    with pytest.raises(CommandError, match="2026-W40"):
        call_command("digest", "cellule-sigb", "--week", "2026-W40")
    with pytest.raises(CommandError, match="inconnue"):
        call_command("digest", "inconnue")
