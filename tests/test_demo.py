"""The demo data: seeded once through the real lifecycle, plausible, and silent."""

from __future__ import annotations

import datetime
import itertools
import re
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from g2id.accounts.models import User
from g2id.agenda.models import Event
from g2id.demo.data import DEMO_PASSWORD
from g2id.institutions.models import Institution
from g2id.interventions.models import (
    IMPACT_CHECK_AFTER,
    ImpactCheck,
    Intervention,
    Session,
    Survey,
    Task,
    TransferRecord,
)
from g2id.lib import geography
from g2id.lib.isil import insee_commune_of, validate_isil
from g2id.notifications.models import OutgoingMail
from g2id.positioning.delay import AT_RISK_DAYS, time_left_of
from g2id.positioning.models import (
    Decision,
    Invitation,
    Opinion,
    Outcome,
    Recusal,
    Referral,
    Stance,
)
from g2id.positioning.services import positioning_of
from g2id.realisations.licences import normalise_licence
from g2id.realisations.models import (
    CaseStudy,
    Deliverable,
    DeliverableType,
    DeliverableVersion,
    Reuse,
)
from g2id.requests.models import TRANSITIONS, Message, Party, Request, RequestEvent, Status
from g2id.team.models import Membership
from g2id.timesheets.models import CellWork, TimeEntry
from tests.conftest import run_tasks
from tests.factories import national_cell


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The demo hashes its password once; a fast hasher keeps these many seedings quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_seeds_thirty_french_libraries_across_at_least_six_regions():
    load_demo()
    libraries = Institution.objects.all()
    assert libraries.count() >= 30
    assert libraries.exclude(region="").values("region").distinct().count() >= 6
    assert not libraries.filter(region="").exists()  # every postcode is a real French one
    assert libraries.values("kind").distinct().count() >= 6
    with_isil = libraries.exclude(isil=None)
    assert with_isil.count() >= 5
    for library in with_isil:
        validate_isil(library.isil)
        # The RCR's commune lies in the same département as the library's postcode.
        assert geography.department_of_commune(insee_commune_of(library.isil)) == (
            library.department
        )


def test_the_demo_seeds_five_active_members_of_the_national_cell_with_one_coordinator():
    load_demo()
    today = timezone.localdate()
    memberships = Membership.objects.active_on(today).filter(cell=national_cell())
    assert memberships.count() == 5
    assert memberships.filter(role=Membership.Role.COORDINATOR).count() == 1
    for membership in memberships.select_related("person", "home_institution"):
        assert membership.home_institution is not None
        assert 10 <= membership.share_percent <= 100
        assert today - datetime.timedelta(days=4 * 366) <= membership.start_date <= today
        assert membership.person.get_full_name() and membership.person.email
        assert membership.person.check_password(DEMO_PASSWORD)
    assert {m.share_percent for m in memberships} >= {20, 50, 100}


def test_the_demo_seeds_an_admin_account_for_the_django_admin():
    load_demo()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(DEMO_PASSWORD)


def test_the_demo_seeds_forty_requests_in_every_state_of_the_foundation():
    load_demo()
    requests = Request.objects.filter(cell=national_cell())
    assert requests.count() >= 40
    statuses = set(requests.values_list("status", flat=True))
    assert {Status.SUBMITTED, Status.UNDER_REVIEW, Status.NEEDS_INFO, Status.WITHDRAWN} <= statuses
    # Some requests went back to review after the library answered the team's question.
    answered = RequestEvent.objects.filter(
        from_status=Status.NEEDS_INFO, to_status=Status.UNDER_REVIEW, actor_party=Party.LIBRARY
    )
    assert answered.filter(request__status=Status.UNDER_REVIEW).exists()
    for request in requests:
        assert request.domains.exists()
        assert request.contact_email.endswith(".example.fr")


def test_the_demo_conversations_go_both_ways_and_include_internal_notes():
    load_demo()
    messages = Message.objects.all()
    assert messages.filter(author_party=Party.LIBRARY).count() >= 10
    assert messages.filter(author_party=Party.TEAM, is_internal=False).count() >= 10
    notes = messages.filter(is_internal=True)
    assert notes.count() >= 10
    assert not notes.exclude(author_party=Party.TEAM).exists()
    assert not notes.filter(author=None).exists()


def test_every_demo_history_starts_with_the_submission_and_is_chronological():
    load_demo()
    now = timezone.now()
    earliest = now - datetime.timedelta(days=320)
    for request in Request.objects.prefetch_related("events", "messages"):
        events = sorted(request.events.all(), key=lambda e: e.pk)  # in the order they happened
        first = events[0]
        assert (first.from_status, first.to_status) == ("", Status.SUBMITTED)
        assert first.created_at == request.submitted_at
        assert earliest <= request.submitted_at < now
        for before, after in itertools.pairwise(events):
            assert before.created_at < after.created_at, request.reference
            assert after.from_status == before.to_status
            assert after.to_status in TRANSITIONS[before.to_status]
        assert events[-1].to_status == request.status
        for message in request.messages.all():
            assert request.submitted_at < message.created_at < now


def test_demo_references_follow_the_submission_order():
    load_demo()
    requests = list(Request.objects.order_by("submitted_at", "pk"))
    references = [r.reference for r in requests]
    assert len(set(references)) == len(references)
    assert references == sorted(references)
    for request in requests:
        year = timezone.localtime(request.submitted_at).year
        assert re.fullmatch(rf"G2ID-{year}-\d{{4}}", request.reference)


def test_a_demo_loaded_in_january_numbers_last_years_requests_in_last_years_sequence():
    with time_machine.travel(datetime.datetime(2027, 1, 20, 10, tzinfo=datetime.UTC), tick=False):
        load_demo()
    years = {r.reference[5:9] for r in Request.objects.all()}
    assert years == {"2026", "2027"}
    for request in Request.objects.all():
        assert request.reference.startswith(
            f"G2ID-{timezone.localtime(request.submitted_at).year}-"
        )


def test_the_demo_queues_no_mail_for_its_fictional_people():
    load_demo()
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_tasks()
    assert mail.outbox == []


def test_a_second_run_adds_nothing_and_prints_the_logins_again():
    first = load_demo()

    def counts() -> list[int]:
        return [
            model.objects.count()
            for model in (
                Institution,
                User,
                Membership,
                Request,
                RequestEvent,
                Message,
                Opinion,
                Decision,
                Referral,
                Invitation,
                Intervention,
                Session,
                Event,
                Task,
                TimeEntry,
                Deliverable,
                DeliverableVersion,
                Reuse,
                TransferRecord,
                Survey,
                CaseStudy,
                ImpactCheck,
            )
        ]

    before = counts()
    second = load_demo()
    assert counts() == before
    assert not OutgoingMail.objects.exists() and not DBTaskResult.objects.exists()
    assert "already present" in second
    for output in (first, second):
        for username in ("admin", "mlefebvre", "jmoreau", "sgarnier", "kbenali", "emarchand"):
            assert username in output
        assert DEMO_PASSWORD in output


def test_the_demo_has_a_regional_multimedia_cell_of_three_beside_the_national_one():
    from g2id.team.models import Cell

    load_demo()
    today = timezone.localdate()
    multimedia = Cell.objects.get(slug="multimedia-bretagne")
    assert multimedia.region == "53"
    active = Membership.objects.active_on(today).filter(cell=multimedia)
    assert active.count() == 3
    assert active.filter(role=Membership.Role.COORDINATOR).count() == 1
    assert national_cell().charter and national_cell().vade_mecum


def test_one_national_term_ends_within_six_months():
    from g2id.team.governance import terms_ending_soon

    load_demo()
    ending = terms_ending_soon(national_cell(), today=timezone.localdate())
    assert [m.person.username for m in ending] == ["jmoreau"]


def test_every_demo_member_has_skills_and_an_agenda_with_the_weekly_point():
    from g2id.agenda.models import Event
    from g2id.team.models import Skill

    load_demo()
    members = User.objects.filter(memberships__isnull=False).distinct()
    assert members.count() == 8
    for member in members:
        assert Skill.objects.filter(person=member).exists()
        assert Event.objects.filter(person=member).exists()
    weekly = Event.objects.filter(recurrence=Event.Recurrence.WEEKLY, cell__isnull=False)
    assert weekly.count() == 2


# --- Positioning: the group's opinions, decisions and referrals -----------------------------

ACCEPTED_OR_LATER = (
    Status.ACCEPTED,
    Status.PLANNED,
    Status.IN_PROGRESS,
    Status.DELIVERED,
    Status.CLOSED,
)


def test_the_demo_group_decides_each_final_outcome_mostly_after_the_quorum():
    load_demo()
    decisions = Decision.objects.select_related("event", "request")
    assert {d.outcome for d in decisions} >= {
        Outcome.ACCEPTED,
        Outcome.REFERRED,
        Outcome.DECLINED,
    }
    early = [d for d in decisions if not d.quorum_reached]
    assert early and all(d.override_reason for d in early)
    assert len(early) * 3 < len(decisions)
    for decision in decisions:
        # The decision is the history event that moved the request, at the same demo time.
        assert decision.event.to_status == decision.outcome
        assert decision.decided_at == decision.event.created_at
        assert decision.decided_by.username == "mlefebvre"
        opinions = decision.request.opinions.all()
        assert all(o.given_at < decision.decided_at for o in opinions)
    # Every group opinion of the old internal notes is now a real opinion.
    assert not Message.objects.filter(is_internal=True, body__startswith="Avis").exists()
    assert Opinion.objects.filter(author__isnull=False).count() >= 40
    assert {o.stance for o in Opinion.objects.all()} == set(Stance.values)


def test_every_accepted_or_later_demo_request_has_one_intervention_with_its_takers():
    load_demo()
    accepted = Request.objects.filter(status__in=ACCEPTED_OR_LATER)
    assert accepted.count() >= 10
    for request in accepted:
        assert Intervention.objects.filter(request=request).count() == 1, request.reference
        intervention = request.intervention
        decision = request.decisions.get(outcome=Outcome.ACCEPTED)
        assert intervention.created_at == decision.decided_at
        takers = set(
            request.opinions.filter(stance=Stance.TAKE, author__isnull=False).values_list(
                "author", flat=True
            )
        )
        members = set(intervention.members.values_list("pk", flat=True))
        assert intervention.lead_id in members
        assert members == takers
    # No intervention without an accepted decision.
    assert not Intervention.objects.exclude(request__decisions__outcome=Outcome.ACCEPTED).exists()


def test_demo_referrals_name_partners_of_the_librarys_region_and_some_have_feedback():
    load_demo()
    referrals = Referral.objects.select_related("decision", "request__institution")
    assert referrals.count() == Decision.objects.filter(outcome=Outcome.REFERRED).count() >= 2
    for referral in referrals:
        assert referral.message
        partners = list(referral.partners.all())
        assert partners
        assert {p.region for p in partners} <= {"", referral.request.institution.region}
        if referral.feedback_at is not None:
            assert referral.decision.decided_at < referral.feedback_at < timezone.now()
    assert referrals.filter(helpful=True).exclude(feedback="").exists()
    assert referrals.filter(helpful=False).exclude(feedback="").exists()


def test_the_demo_has_a_recusal_a_conflict_and_an_invited_expert_opinion():
    load_demo()
    recusal = Recusal.objects.select_related("request").get()
    assert not recusal.request.opinions.filter(author=recusal.member).exists()
    # A member whose home institution filed a request is out of its quorum.
    conflicted = [
        r for r in Request.objects.filter(status=Status.UNDER_REVIEW) if positioning_of(r).conflicts
    ]
    assert len(conflicted) == 1
    invited = Opinion.objects.select_related("invitation").get(invitation__isnull=False)
    invitation = invited.invitation
    assert invitation.created_at < invited.given_at < timezone.now()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=21)


def test_demo_requests_under_review_await_opinions_some_of_them_late():
    load_demo()
    today = timezone.localdate()
    under_review = list(Request.objects.filter(status=Status.UNDER_REVIEW))
    waiting = [r for r in under_review if not positioning_of(r).quorum.reached]
    assert len(waiting) >= 5
    assert any(positioning_of(r).opinions for r in waiting)
    left = [time_left_of(r, today=today) for r in under_review]
    assert any(t.overdue for t in left)
    assert any(t.days is not None and t.days > AT_RISK_DAYS for t in left)
    # Decided requests have their clock stopped; those waiting for the library, paused.
    for request in Request.objects.exclude(status__in=[Status.SUBMITTED, Status.UNDER_REVIEW]):
        assert request.positioning_stopped or request.positioning_paused, request.reference


# --- Interventions: their states, sessions, timesheets, deliverables and surveys ----------


def test_the_demo_has_interventions_in_every_state_planned_through_the_services():
    load_demo()
    interventions = Intervention.objects.filter(request__cell=national_cell()).select_related(
        "request"
    )
    assert interventions.count() >= 12
    by_status: dict[str, list[Intervention]] = {}
    for intervention in interventions:
        by_status.setdefault(intervention.request.status, []).append(intervention)
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED, Status.CLOSED):
        assert len(by_status.get(status, [])) >= 2, status
    now = timezone.now()
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED, Status.CLOSED):
        for intervention in by_status[status]:
            request = intervention.request
            assert intervention.planned_start and intervention.planned_end, request.reference
            planned = request.events.get(to_status=Status.PLANNED)
            assert planned.actor_party == Party.TEAM and planned.actor_user is not None
    # A delivered intervention waits for its survey, which has not expired yet (the daily
    # job would close it otherwise); a closed one was answered or closed by the team.
    for intervention in by_status[Status.DELIVERED]:
        survey = intervention.survey
        assert survey.answered_at is None and survey.expires_at > now
        assert intervention.deliverables.exists()
    for intervention in by_status[Status.CLOSED]:
        closing = intervention.request.events.get(to_status=Status.CLOSED)
        assert intervention.closed_at == closing.created_at < now
        survey = intervention.survey
        assert survey.answered_at is not None and 3 <= survey.score <= 5
        assert survey.sent_at < survey.answered_at <= survey.expires_at
    # The library's answer closed one of them itself.
    assert any(
        i.request.events.get(to_status=Status.CLOSED).actor_party == Party.LIBRARY
        for i in by_status[Status.CLOSED]
    )


def test_demo_sessions_past_and_upcoming_are_in_the_members_agendas():
    load_demo()
    today = timezone.localdate()
    sessions = Session.objects.select_related("intervention")
    upcoming = sessions.filter(date__gte=today)
    assert upcoming.count() >= 3
    assert sessions.filter(date__lt=today).count() >= 8
    for session in upcoming:
        intervention = session.intervention
        people = set(intervention.members.values_list("pk", flat=True)) | {intervention.lead_id}
        events = Event.objects.filter(intervention_sessions=session)
        assert set(events.values_list("person", flat=True)) == people
        assert all(e.starts_at == session.starts_at for e in events)
        assert session.date.weekday() < 5
    tasks = Task.objects.all()
    assert tasks.filter(done=True).exists() and tasks.filter(done=False).exists()
    for task in tasks.filter(done=True):
        assert task.done_by is not None and task.done_at < timezone.now()


def test_every_national_member_logged_time_over_at_least_eight_weeks():
    load_demo()
    today = timezone.localdate()
    memberships = Membership.objects.active_on(today).filter(cell=national_cell())
    weekly: dict[str, float] = {}
    for membership in memberships.select_related("person"):
        entries = TimeEntry.objects.filter(member=membership.person, cell=national_cell())
        weeks = {entry.date.isocalendar()[:2] for entry in entries}
        assert len(weeks) >= 8, membership.person.username
        assert entries.filter(cell_work=CellWork.WEEKLY_POINT).count() >= 8
        assert entries.filter(cell_work=CellWork.STEERING).exists()
        assert entries.filter(intervention__isnull=False).exists()
        for entry in entries.filter(intervention__isnull=False).select_related("intervention"):
            # Logged on the member's own interventions, never before they started.
            assert entry.date >= timezone.localdate(entry.intervention.created_at)
            assert entry.intervention.members.filter(pk=entry.member_id).exists()
        assert all(entry.date < today for entry in entries)
        minutes = sum(entry.minutes for entry in entries)
        weekly[membership.person.username] = minutes / 60 / len(weeks)
    # A member at 20 % gives about one day a week; one at 100 % about five.
    assert 3 <= weekly["sgarnier"] <= 8
    assert weekly["kbenali"] >= 3 * weekly["sgarnier"]


def test_demo_deliverables_have_spdx_licences_forge_links_and_versions():
    load_demo()
    deliverables = Deliverable.objects.select_related("intervention__request__institution")
    assert deliverables.count() >= 10
    assert {d.type for d in deliverables} >= {
        DeliverableType.SCRIPT,
        DeliverableType.PLUGIN,
        DeliverableType.REPORT,
        DeliverableType.CONFIGURATION,
        DeliverableType.TRAINING,
    }
    for deliverable in deliverables:
        assert normalise_licence(deliverable.licence) == deliverable.licence
    assert {d.licence for d in deliverables} >= {"MIT", "GPL-3.0-or-later", "CC-BY-4.0", "EUPL-1.2"}
    assert deliverables.filter(reusable=True).exists()
    assert deliverables.filter(reusable=False).exists()
    for version in DeliverableVersion.objects.all():
        assert version.repository_url.startswith("https://forge.g2id.example/")
        assert version.created_at < timezone.now()
    assert any(d.versions.count() >= 2 for d in deliverables)
    reuses = Reuse.objects.confirmed().select_related("deliverable__intervention__request")
    assert reuses.count() >= 2
    for reuse in reuses:
        assert reuse.deliverable.reusable
        assert reuse.institution != reuse.deliverable.intervention.request.institution
        assert reuse.created_at < reuse.confirmed_at < timezone.now()


def test_demo_case_studies_are_published_on_the_french_realisations_page(client):
    load_demo()
    assert TransferRecord.objects.count() >= 3
    published = list(CaseStudy.objects.published().select_related("intervention__request"))
    assert len(published) >= 2
    assert any(c.anonymised for c in published) and any(not c.anonymised for c in published)
    page = client.get("/realisations/")
    assert page.status_code == 200
    assert page.headers["Content-Language"] == "fr"
    html = page.content.decode()
    for case_study in published:
        survey = case_study.intervention.survey
        assert survey.consent_case_study and survey.anonymise == case_study.anonymised
        assert case_study.get_absolute_url() in html
        detail = client.get(case_study.get_absolute_url()).content.decode()
        library = case_study.intervention.request.institution.name
        assert (library in detail) != case_study.anonymised
    # Surveys that do not consent never become case studies.
    assert not CaseStudy.objects.filter(intervention__survey__consent_case_study=False).exists()


def test_an_intervention_closed_over_six_months_ago_has_an_answered_impact_check():
    load_demo()
    now = timezone.now()
    answered = ImpactCheck.objects.filter(answered_at__isnull=False).select_related("intervention")
    assert answered.count() == 1
    check = answered.get()
    assert check.still_in_use and check.what_changed
    assert check.intervention.closed_at + IMPACT_CHECK_AFTER == check.sent_at
    assert check.sent_at < check.answered_at < now
    # As the daily job would have: every intervention closed that long ago was asked.
    assert not Intervention.objects.filter(
        request__status=Status.CLOSED,
        closed_at__lte=now - IMPACT_CHECK_AFTER,
        impact_check__isnull=True,
    ).exists()
