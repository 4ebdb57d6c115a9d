"""Load the demo data through the real services, then backdate it into a plausible past.

Requests are filed with `submit_request` and moved with the lifecycle methods, so the demo
holds exactly what the product would have recorded: references, history, messages. Only
timestamps are rewritten afterwards (seed data only), step by step, so that each history
stays chronological.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Model, Sum
from django.db.models.signals import post_save
from django.utils import timezone

from g2id.accounts.models import User
from g2id.agenda.models import Event
from g2id.agenda.schedule import occurrences
from g2id.demo.data import (
    ADMIN_EMAIL,
    ADMIN_USERNAME,
    CELLS,
    COORDINATOR,
    DEMO_PASSWORD,
    LIBRARIES,
    MEMBERS,
    MULTIMEDIA,
    NATIONAL,
    SCENARIOS,
    TECHNICAL_PROFILES,
    DeliverableDetails,
    ImpactDetails,
    Member,
    PlanDetails,
    ReuseDetails,
    Scenario,
    SessionDetails,
    Step,
    SurveyDetails,
    TransferDetails,
    VersionDetails,
)
from g2id.directory.models import Partner
from g2id.institutions.models import Institution, TechnicalProfile
from g2id.interventions import services as work
from g2id.interventions.models import (
    IMPACT_CHECK_AFTER,
    ImpactCheck,
    Intervention,
    Mode,
    Role,
    Session,
    Survey,
    Task,
    TransferRecord,
)
from g2id.notifications.mail import deliver_mail
from g2id.notifications.models import OutgoingMail
from g2id.positioning import services as positioning
from g2id.positioning.clock import refresh_clock
from g2id.positioning.models import (
    FINAL_OUTCOMES,
    Decision,
    Invitation,
    Opinion,
    Outcome,
    Recusal,
    Referral,
)
from g2id.realisations import services as realisations
from g2id.realisations.forms import CaseStudyForm
from g2id.realisations.models import CaseStudy, Deliverable, DeliverableVersion, Reuse
from g2id.requests import scope, services
from g2id.requests.models import (
    Kind,
    Message,
    Party,
    ReferenceSequence,
    Request,
    RequestEvent,
    Status,
)
from g2id.requests.notifications import announce_request
from g2id.taxonomy.models import Domain
from g2id.team.models import Cell, Membership, Skill
from g2id.timesheets.models import Activity, CellWork, TimeEntry
from g2id.timesheets.services import log_time

NATIONAL_CELL_SLUG = "informatique-documentaire"
# How far back the cells' meetings go in the agenda, and the members' timesheets.
AGENDA_WEEKS, TIMESHEET_WEEKS = 26, 20
# A member's day at the cell, and the most they log on one day.
WORKING_DAY, DAY_CAP = 7 * 60, 8 * 60
# In a week without intervention work, self-training takes at most this long.
SELF_TRAINING_CAP = 4 * 60
# The weekdays a member gives to the cell, by the days per week of their share.
CELL_DAYS = {1: (3,), 2: (1, 3), 3: (0, 1, 3), 4: (0, 1, 2, 3), 5: (0, 1, 2, 3, 4)}
ROLE_WEIGHTS: dict[str, float] = {Role.LEAD: 3.0, Role.CONTRIBUTOR: 2.0, Role.ADVICE: 0.7}
# Team members act during office hours; anything later is moved to the next morning.
WORKDAY_START, WORKDAY_END = 8, 19


class DemoError(Exception):
    """The demo cannot be loaded (missing migration data, inconsistent scenario)."""


@dataclass
class Login:
    username: str
    name: str
    role: str


@dataclass
class Summary:
    created: bool
    libraries: int = 0
    regions: int = 0
    members: int = 0
    requests: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    messages: int = 0
    internal_notes: int = 0
    opinions: int = 0
    invited_opinions: int = 0
    recusals: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    decisions_before_quorum: int = 0
    referrals: int = 0
    referral_feedback: int = 0
    interventions: int = 0
    sessions: int = 0
    upcoming_sessions: int = 0
    tasks: int = 0
    tasks_done: int = 0
    time_entries: int = 0
    logged_hours: int = 0
    timesheet_weeks: int = 0
    deliverables: int = 0
    reusable_deliverables: int = 0
    versions: int = 0
    confirmed_reuses: int = 0
    transfer_records: int = 0
    answered_surveys: int = 0
    case_studies: int = 0
    published_case_studies: int = 0
    answered_impact_checks: int = 0
    discarded_mails: int = 0
    logins: list[Login] = field(default_factory=list)
    tracking_urls: list[tuple[str, str]] = field(default_factory=list)


def demo_is_loaded() -> bool:
    # The coordinator account is created in the same transaction as everything else.
    return User.objects.filter(username=COORDINATOR).exists()


def load_demo() -> Summary:
    """Seed the demo once; later calls change nothing and only describe what is there."""
    with transaction.atomic():
        # Checked inside the transaction: SQLite's IMMEDIATE mode serialises two starts, and
        # on PostgreSQL the second one fails on the unique usernames and rolls back whole.
        if demo_is_loaded():
            return describe(created=False)
        started = timezone.now()
        with _captured_mail() as mail_ids:
            _Seeder(now=started).run()
        discarded = _discard_demo_mail(mail_ids, since=started)
    summary = describe(created=True)
    summary.discarded_mails = discarded
    return summary


def describe(*, created: bool) -> Summary:
    cell = Cell.objects.get(slug=NATIONAL_CELL_SLUG)
    today = timezone.localdate()
    requests = Request.objects.filter(cell=cell)
    summary = Summary(
        created=created,
        libraries=Institution.objects.count(),
        regions=Institution.objects.exclude(region="").values("region").distinct().count(),
        members=Membership.objects.active_on(today).filter(cell=cell).count(),
        requests=requests.count(),
        messages=Message.objects.filter(request__cell=cell, is_internal=False).count(),
        internal_notes=Message.objects.filter(request__cell=cell, is_internal=True).count(),
        opinions=Opinion.objects.filter(request__cell=cell, author__isnull=False).count(),
        invited_opinions=Opinion.objects.filter(
            request__cell=cell, invitation__isnull=False
        ).count(),
        recusals=Recusal.objects.filter(request__cell=cell).count(),
        decisions_before_quorum=Decision.objects.filter(
            request__cell=cell, quorum_reached=False
        ).count(),
        referrals=Referral.objects.filter(request__cell=cell).count(),
        referral_feedback=Referral.objects.filter(
            request__cell=cell, feedback_at__isnull=False
        ).count(),
        interventions=Intervention.objects.filter(request__cell=cell).count(),
    )
    sessions = Session.objects.filter(intervention__request__cell=cell)
    summary.sessions = sessions.count()
    summary.upcoming_sessions = sessions.filter(date__gte=today).count()
    tasks = Task.objects.filter(intervention__request__cell=cell)
    summary.tasks, summary.tasks_done = tasks.count(), tasks.filter(done=True).count()
    entries = TimeEntry.objects.filter(cell=cell)
    summary.time_entries = entries.count()
    summary.logged_hours = (entries.aggregate(total=Sum("minutes"))["total"] or 0) // 60
    if summary.time_entries:
        first, last = entries.aggregate(first=Min("date"), last=Max("date")).values()
        summary.timesheet_weeks = (last - first).days // 7 + 1
    deliverables = Deliverable.objects.filter(intervention__request__cell=cell)
    summary.deliverables = deliverables.count()
    summary.reusable_deliverables = deliverables.filter(reusable=True).count()
    summary.versions = DeliverableVersion.objects.filter(deliverable__in=deliverables).count()
    summary.confirmed_reuses = (
        Reuse.objects.confirmed().filter(deliverable__in=deliverables).count()
    )
    summary.transfer_records = TransferRecord.objects.filter(
        intervention__request__cell=cell
    ).count()
    summary.answered_surveys = Survey.objects.filter(
        intervention__request__cell=cell, answered_at__isnull=False
    ).count()
    case_studies = CaseStudy.objects.filter(intervention__request__cell=cell)
    summary.case_studies = case_studies.count()
    summary.published_case_studies = case_studies.published().count()
    summary.answered_impact_checks = ImpactCheck.objects.filter(
        intervention__request__cell=cell, answered_at__isnull=False
    ).count()
    for status in Status:
        count = requests.filter(status=status).count()
        if count:
            summary.statuses[status.value] = count
    decisions = Decision.objects.filter(request__cell=cell)
    for outcome in Outcome:
        count = decisions.filter(outcome=outcome).count()
        if count:
            summary.decisions[outcome.value] = count
    summary.logins.append(Login(ADMIN_USERNAME, "Administrateur", "superuser (Django admin)"))
    for member in MEMBERS:
        cell_name = next(c.name for c in CELLS if c.slug == member.cell)
        role = "coordinator" if member.coordinator else f"member ({member.share_percent} %)"
        role = f"{role}, {cell_name}"
        summary.logins.append(
            Login(member.username, f"{member.first_name} {member.last_name}", role)
        )
    # A library has no account: its tracking link is its key. Two handy ones for the demo.
    for status in (Status.NEEDS_INFO, Status.IN_PROGRESS):
        example = requests.filter(status=status).order_by("submitted_at").first()
        if example is not None:
            summary.tracking_urls.append(
                (f"{example.reference} ({status.value})", example.tracking_url)
            )
    return summary


class _Seeder:
    def __init__(self, *, now: datetime.datetime) -> None:
        # Every backdated time lies before `now`; rows created by a step are those after it.
        self.now = now
        self.limit = now - datetime.timedelta(minutes=5)
        # A fixed seed: the same hours on every load, which keeps screenshots and tests stable.
        self.random = random.Random(2026)  # noqa: S311
        self.libraries: dict[str, Institution] = {}
        self.users: dict[str, User] = {}

    def run(self) -> None:
        try:
            self.cell = Cell.objects.get(slug=NATIONAL_CELL_SLUG)
        except Cell.DoesNotExist as missing:
            raise DemoError("The national cell is missing: run `g2id migrate` first.") from missing
        self.cells = self._cells()
        self.domains = Domain.objects.in_bulk(field_name="code")
        if not self.domains:
            raise DemoError("The domain taxonomy is missing: run `g2id migrate` first.")
        self._libraries()
        self._people()
        self._agendas()
        # Filed oldest first, so that reference numbers follow submission dates.
        timed = [(self._submission_time(s.days_ago), i, s) for i, s in enumerate(SCENARIOS)]
        for submitted, _index, scenario in sorted(timed):
            self._play(scenario, submitted)
        self._rebase_references()
        self._daily_job()
        self._timesheets()

    def _libraries(self) -> None:
        for library in LIBRARIES:
            institution = Institution(
                name=library.name,
                kind=library.kind,
                city=library.city,
                postcode=library.postcode,
                isil=library.isil or None,
            )
            institution.full_clean()
            institution.save()
            self.libraries[library.key] = institution
        TechnicalProfile.objects.bulk_create(
            TechnicalProfile(
                institution=self.libraries[tools.library],
                ils=tools.ils,
                ils_version=tools.ils_version,
                portal=tools.portal,
                network=tools.network,
                hosting=tools.hosting,
                has_it_support=tools.has_it_support,
                updated_by_party=TechnicalProfile.UpdatedBy.LIBRARY,
            )
            for tools in TECHNICAL_PROFILES
        )

    def _people(self) -> None:
        # One hash for every account: hashing is deliberately slow, and the demo must be fast.
        password = make_password(DEMO_PASSWORD)
        User.objects.create(
            username=ADMIN_USERNAME,
            email=ADMIN_EMAIL,
            first_name="Admin",
            last_name="G2ID",
            is_staff=True,
            is_superuser=True,
            password=password,
        )
        today = timezone.localdate()
        for member in MEMBERS:
            user = User.objects.create(
                username=member.username,
                first_name=member.first_name,
                last_name=member.last_name,
                email=member.email,
                password=password,
                bio=member.bio,
                keywords=member.keywords,
            )
            Skill.objects.bulk_create(
                Skill(person=user, domain=self.domains[code], level=level)
                for code, level in member.skills
            )
            start = today - datetime.timedelta(days=member.started_days_ago)
            Membership.objects.create(
                cell=self.cells[member.cell],
                person=user,
                role=Membership.Role.COORDINATOR if member.coordinator else Membership.Role.MEMBER,
                home_institution=self.libraries[member.home],
                share_percent=member.share_percent,
                start_date=start,
                planned_end_date=start + datetime.timedelta(days=member.term_days),
            )
            self.users[member.username] = user

    def _cells(self) -> dict[str, Cell]:
        cells = {}
        for demo in CELLS:
            cell, _created = Cell.objects.update_or_create(
                slug=demo.slug,
                defaults={
                    "name": demo.name,
                    "speciality": demo.speciality,
                    "region": demo.region,
                    "contact_email": demo.contact_email,
                    "charter": demo.charter,
                    "vade_mecum": demo.vade_mecum,
                },
            )
            cells[demo.slug] = cell
        return cells

    def _agendas(self) -> None:
        """Each cell's weekly point and monthly steering meeting; members' absences and sessions."""
        paris = zoneinfo.ZoneInfo("Europe/Paris")
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())

        def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
            return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=paris)

        coordinators = {m.cell: self.users[m.username] for m in MEMBERS if m.coordinator}
        events = []
        for slug, weekday, hour in ((NATIONAL, 1, 10), (MULTIMEDIA, 3, 14)):
            # Far enough back for the timesheets, which follow these meetings.
            first = (
                monday - datetime.timedelta(weeks=AGENDA_WEEKS) + datetime.timedelta(days=weekday)
            )
            steering = first + datetime.timedelta(days=2)
            if steering.day > 28:  # a monthly rule on the 29th to 31st would skip months
                steering -= datetime.timedelta(weeks=1)
            events += [
                Event(
                    cell=self.cells[slug],
                    kind=Event.Kind.MEETING,
                    title="Point hebdomadaire",
                    location="Salon #point-hebdo de la messagerie de l'équipe",
                    starts_at=at(first, hour),
                    ends_at=at(first, hour, 30),
                    recurrence=Event.Recurrence.WEEKLY,
                    created_by=coordinators[slug],
                ),
                Event(
                    cell=self.cells[slug],
                    kind=Event.Kind.MEETING,
                    title="Comité de pilotage mensuel",
                    location="Visioconférence",
                    starts_at=at(steering, 14),
                    ends_at=at(steering, 15, 30),
                    recurrence=Event.Recurrence.MONTHLY,
                    created_by=coordinators[slug],
                ),
            ]
        for index, member in enumerate(MEMBERS):
            person = self.users[member.username]
            week = monday + datetime.timedelta(weeks=1 + index % 3)
            events += [
                Event(
                    person=person,
                    kind=Event.Kind.ABSENCE,
                    title="Congés",
                    starts_at=at(week + datetime.timedelta(days=index % 5), 0),
                    ends_at=at(week + datetime.timedelta(days=index % 5 + 1), 0),
                    created_by=person,
                ),
            ]
            leave = _summer_leave(index, today)
            if leave:
                events.append(
                    Event(
                        person=person,
                        kind=Event.Kind.ABSENCE,
                        title="Congés d'été",
                        starts_at=at(leave[0], 0),
                        ends_at=at(leave[-1] + datetime.timedelta(days=5), 0),
                        created_by=person,
                    )
                )
            if member.cell == NATIONAL:
                continue  # their sessions are the interventions' real ones
            events += [
                Event(
                    person=person,
                    kind=Event.Kind.REMOTE if index % 2 else Event.Kind.ON_SITE,
                    title="Séance de travail avec une bibliothèque",
                    location="Visioconférence" if index % 2 else "Sur place",
                    starts_at=at(monday + datetime.timedelta(days=2 + index % 3), 9, 30),
                    ends_at=at(monday + datetime.timedelta(days=2 + index % 3), 12),
                    created_by=person,
                ),
            ]
        Event.objects.bulk_create(events)

    # --- After the scenarios: the daily job, the timesheets --------------------------------

    def _daily_job(self) -> None:
        """What `interventions_daily` did on the demo's past days.

        An unanswered survey closes its intervention after 30 days: the scenarios keep their
        deliveries more recent than that, and a slip is an error rather than a silent close.
        Interventions closed over six months ago got their impact check the day it was due.
        """
        expired = Intervention.objects.filter(
            request__status=Status.DELIVERED, survey__expires_at__lte=self.limit
        ).select_related("request")
        for intervention in expired:
            raise DemoError(
                f"Scenario “{intervention.request.title}” was delivered over 30 days ago and "
                "its survey is unanswered: the daily job would have closed it. Make it recent."
            )
        due = Intervention.objects.filter(
            request__status=Status.CLOSED,
            closed_at__lte=self.limit - IMPACT_CHECK_AFTER,
            impact_check__isnull=True,
        ).order_by("closed_at")
        for intervention in due:
            assert intervention.closed_at is not None
            work.send_impact_checks(now=intervention.closed_at + IMPACT_CHECK_AFTER)

    def _timesheets(self) -> None:
        """The national members' time over the last weeks, logged through `log_time`.

        Every week: the weekly point, the monthly steering meeting, the sessions they took
        part in, and the rest of their share (a member at 20 % gives about one day a week)
        spread over the interventions they work on, or self-training when there is none.
        Nothing is logged during their summer leave.
        """
        today = timezone.localdate()
        last = today - datetime.timedelta(days=1)
        first = today - datetime.timedelta(days=today.weekday(), weeks=TIMESHEET_WEEKS)
        meetings: dict[datetime.date, list[tuple[str, int]]] = defaultdict(list)
        for occurrence in occurrences(
            Event.objects.filter(cell=self.cell).exclude(recurrence=""), first, last
        ):
            day = timezone.localdate(occurrence.starts_at)
            if occurrence.event.recurrence == Event.Recurrence.MONTHLY:
                while day.weekday() >= 5:  # a monthly date on a weekend: held the Friday before
                    day -= datetime.timedelta(days=1)
                meetings[day].append((CellWork.STEERING, 90))
            else:
                meetings[day].append((CellWork.WEEKLY_POINT, 30))
        works = [
            _Work.of(intervention, last)
            for intervention in Intervention.objects.filter(request__cell=self.cell)
            .select_related("request")
            .prefetch_related("participations", "request__events")
        ]
        sessions: dict[datetime.date, list[Session]] = defaultdict(list)
        for session in Session.objects.filter(
            intervention__request__cell=self.cell, date__range=(first, last)
        ).select_related("intervention__request"):
            sessions[session.date].append(session)
        memberships = {
            m.person_id: m for m in Membership.objects.filter(cell=self.cell, end_date=None)
        }
        created: list[TimeEntry] = []
        for index, member in enumerate(MEMBERS):
            if member.cell != NATIONAL:
                continue
            person = self.users[member.username]
            leave = {
                monday + datetime.timedelta(days=offset)
                for monday in _summer_leave(index, today)
                for offset in range(5)
            }
            membership = memberships[person.pk]
            monday = first
            while monday <= last:
                days = [
                    day
                    for day in (monday + datetime.timedelta(days=n) for n in range(5))
                    if first <= day <= last and day not in leave and membership.is_active_on(day)
                ]
                planned = self._week(member, person, days, meetings, sessions, works)
                for (day, work_, cell_work, activity, comment), minutes in planned.items():
                    entry = log_time(
                        member=person,
                        day=day,
                        minutes=minutes,
                        activity=activity,
                        intervention=work_.intervention if work_ else None,
                        cell=None if work_ else self.cell,
                        cell_work=cell_work,
                        comment=comment,
                        today=today,
                    )
                    # Members fill in their time at the end of the day.
                    entry.created_at = min(
                        datetime.datetime.combine(
                            day, datetime.time(17, 30), tzinfo=timezone.get_current_timezone()
                        ),
                        self.limit,
                    )
                    created.append(entry)
                monday += datetime.timedelta(weeks=1)
        TimeEntry.objects.bulk_update(created, ["created_at"], batch_size=500)

    def _week(
        self,
        member: Member,
        person: User,
        days: list[datetime.date],
        meetings: dict[datetime.date, list[tuple[str, int]]],
        sessions: dict[datetime.date, list[Session]],
        works: list[_Work],
    ) -> dict[tuple[datetime.date, _Work | None, str, str, str], int]:
        """One member's week: (day, intervention, cell work, activity, comment) → minutes."""
        planned: dict[tuple[datetime.date, _Work | None, str, str, str], int] = defaultdict(int)
        load: dict[datetime.date, int] = defaultdict(int)
        by_intervention = {w.intervention.pk: w for w in works}

        def add(
            day: datetime.date,
            minutes: int,
            activity: str,
            *,
            work_: _Work | None = None,
            cell_work: str = "",
            comment: str = "",
        ) -> None:
            planned[day, work_, cell_work, activity, comment] += minutes
            load[day] += minutes

        for day in days:
            for cell_work, minutes in meetings.get(day, []):
                add(day, minutes, Activity.MEETING, cell_work=cell_work)
            for session in sessions.get(day, []):
                work_ = by_intervention[session.intervention_id]
                if person.pk not in work_.roles:
                    continue
                minutes = (session.ends_at - session.starts_at).seconds // 60
                training = work_.training or "formation" in session.notes.lower()
                activity = Activity.TRAINING if training else Activity.MEETING
                add(day, minutes, activity, work_=work_, comment=session.notes[:300])
                on_site = (
                    work_.intervention.mode == Mode.ON_SITE
                    or not session.location.startswith("https://")
                )
                if on_site:
                    add(day, 150, Activity.TRAVEL, work_=work_, comment="Aller-retour en train")
        if not days:
            return planned
        share = member.share_percent / 100
        budget = round(share * 5 * WORKING_DAY * self.random.uniform(0.8, 1.0) / 15) * 15
        remaining = budget - sum(load.values())
        cell_days = [
            day
            for day in days
            if day.weekday() in CELL_DAYS[min(5, -(-member.share_percent // 20))]
        ] or days
        studied = 0
        activities: dict[tuple[_Work, datetime.date], str] = {}
        while remaining >= 45:
            chunk = min(remaining, self.random.choice((90, 120, 180, 240, 240)))
            free = [day for day in cell_days if load[day] + chunk <= DAY_CAP]
            if not free:
                break
            day = self.random.choice(free)
            live = [w for w in works if person.pk in w.roles and w.begin <= day <= w.end]
            if live:
                weights = [w.weight(person.pk, day) for w in live]
                work_ = self.random.choices(live, weights)[0]
                # One activity per intervention and day: a day's work on it is one entry.
                if (work_, day) not in activities:
                    activities[work_, day] = work_.activity(day, self.random)
                add(day, chunk, activities[work_, day], work_=work_)
            elif studied < SELF_TRAINING_CAP:
                # A quiet week: some reading and self-training, the rest at the home library.
                chunk = min(chunk, SELF_TRAINING_CAP - studied)
                studied += chunk
                add(
                    day,
                    chunk,
                    Activity.TRAINING,
                    cell_work=CellWork.SELF_TRAINING,
                    comment="Veille et autoformation",
                )
            remaining -= chunk
        return planned

    # --- One request -----------------------------------------------------------------

    def _play(self, scenario: Scenario, submitted: datetime.datetime) -> None:
        library = self.libraries[scenario.library]
        domain = next(lib.domain for lib in LIBRARIES if lib.key == scenario.library)
        desired_start = desired_end = None
        if scenario.desired:
            desired_start = timezone.localdate(submitted) + datetime.timedelta(
                days=scenario.desired[0]
            )
            desired_end = timezone.localdate(submitted) + datetime.timedelta(
                days=scenario.desired[1]
            )
        request = services.submit_request(
            library=library,
            contact=services.Contact(
                name=scenario.contact_name,
                email=f"{scenario.contact_email}@{domain}",
                phone=scenario.contact_phone,
                role=scenario.contact_role,
            ),
            title=scenario.title,
            description=scenario.description,
            kind=scenario.kind,
            domains=[self.domains[code] for code in scenario.domains],
            systems=scenario.systems,
            desired_start=desired_start,
            desired_end=desired_end,
        )
        Request.objects.filter(pk=request.pk).update(submitted_at=submitted, consent_at=submitted)
        request.submitted_at = request.consent_at = submitted
        self._backdate(request, submitted)

        previous = submitted
        for step in scenario.steps:
            when = self._step_time(submitted, step.after, previous, scenario)
            try:
                self._do(request, step, when)
            except (
                positioning.PositioningRefused,
                PermissionDenied,
                ValidationError,
                work.LinkClosed,
                realisations.CaseStudyRefused,
            ) as refused:
                raise DemoError(
                    f"Scenario “{scenario.title}”, step {step.action!r} after {step.after} "
                    f"days: {refused}"
                ) from refused
            self._backdate(request, when, step.action)
            previous = when
        # Invitations last as long after their demo date as after a real one; they were
        # left open until now so that the expert could answer while the scenario played.
        Invitation.objects.filter(request=request).update(
            expires_at=F("created_at") + datetime.timedelta(days=settings.G2ID_INVITATION_DAYS)
        )
        # The deadline replays the backdated history, not the seeding's real clock.
        refresh_clock(request)

        request.refresh_from_db(fields=["status"])
        if request.status != scenario.expected:
            raise DemoError(
                f"Scenario “{scenario.title}” ends as {request.status}, not {scenario.expected}."
            )

    def _do(self, request: Request, step: Step, when: datetime.datetime) -> None:
        member = self.users.get(step.by)
        if step.action in _INTERVENTION_STEPS:
            self._work(request, step, when)
            return
        match step.action:
            case "review":
                request.take_into_review(by=self._member(step))
            case "ask":
                request.ask_library(by=self._member(step), question=step.text)
            case "library":
                # Answers a question (and resumes the review) or simply writes to the team.
                services.post_message(request=request, body=step.text, party=Party.LIBRARY)
            case "team":
                services.post_message(
                    request=request, body=step.text, party=Party.TEAM, author=member
                )
            case "note":
                services.post_message(
                    request=request, body=step.text, party=Party.TEAM, author=member, internal=True
                )
            case "move":
                if step.to in FINAL_OUTCOMES:
                    raise DemoError(
                        f"The group's decisions are `decision` steps, not a move to {step.to}."
                    )
                request.change_status(step.to, party=Party.TEAM, user=member, reason=step.text)
            case "opinion":
                positioning.give_opinion(
                    request,
                    by=self._member(step),
                    stance=step.to,
                    role=step.role,
                    partners=self._partners(request, step),
                    comment=step.text,
                )
            case "decision":
                positioning.decide(
                    request,
                    outcome=step.to,
                    by=self._member(step),
                    rationale=step.text,
                    override_reason=step.override,
                    partners=self._partners(request, step),
                    message=step.message,
                )
            case "recuse":
                positioning.declare_recusal(request, member=self._member(step), reason=step.text)
            case "invite":
                positioning.invite_expert(
                    request, by=self._member(step), email=step.email, name=step.name, note=step.text
                )
            case "expert":
                invitation = request.invitations.order_by("-created_at", "-pk").first()
                if invitation is None:
                    raise DemoError("An `expert` step needs an `invite` step before it.")
                positioning.give_invited_opinion(
                    invitation,
                    stance=step.to,
                    comment=step.text,
                    partners=self._partners(request, step),
                )
            case "feedback":
                referral = request.referrals.order_by("-pk").first()
                if referral is None or step.helpful is None:
                    raise DemoError("A `feedback` step needs a referral and says if it helped.")
                positioning.record_referral_feedback(
                    referral, helpful=step.helpful, comment=step.text
                )
            case "withdraw":
                request.withdraw(reason=step.text)
            case "estimate":
                scope.record_effort_estimate(request, Decimal(step.text), by=self._member(step))
            case _:
                raise DemoError(f"Unknown demo step {step.action!r}.")

    def _work(self, request: Request, step: Step, when: datetime.datetime) -> None:
        """A step of the intervention, through g2id.interventions and g2id.realisations."""
        intervention = Intervention.objects.select_related("request__cell").get(request=request)
        details = step.details
        match step.action:
            case "plan":
                if isinstance(details, PlanDetails):
                    work.set_plan(
                        intervention,
                        by=self._member(step),
                        mode=details.mode,
                        planned_start=self._day(request, details.start),
                        planned_end=self._day(request, details.end),
                    )
                work.plan(intervention, by=self._member(step), reason=step.text)
            case "start":
                work.start(intervention, by=self._member(step), reason=step.text)
            case "deliver":
                work.deliver(intervention, by=self._member(step), reason=step.text, now=when)
            case "close":
                work.close(intervention, by=self._member(step), reason=step.text, now=when)
            case "session":
                assert isinstance(details, SessionDetails)
                work.save_session(
                    Session(
                        intervention=intervention,
                        date=self._day(request, details.on),
                        start_time=datetime.time.fromisoformat(details.start),
                        end_time=datetime.time.fromisoformat(details.end),
                        location=details.location,
                        notes=details.notes,
                    ),
                    by=self._member(step),
                )
            case "tasks":
                assert isinstance(details, tuple)
                for title in details:
                    work.add_task(intervention, by=self._member(step), title=title)
            case "done":
                task = intervention.tasks.get(title=step.text)
                work.set_task_done(task, by=self._member(step), done=True)
            case "deliverable":
                assert isinstance(details, DeliverableDetails)
                realisations.add_deliverable(
                    intervention,
                    Deliverable(
                        title=details.title,
                        type=details.type,
                        licence=details.licence,
                        how_to=details.how_to,
                        reusable=details.reusable,
                    ),
                    version_label=details.version,
                    notes=details.notes,
                    repository_url=details.url,
                    by=self._member(step),
                )
            case "version":
                assert isinstance(details, VersionDetails)
                realisations.add_version(
                    intervention.deliverables.get(title=details.deliverable),
                    label=details.label,
                    notes=details.notes,
                    repository_url=details.url,
                    by=self._member(step),
                )
            case "transfer":
                assert isinstance(details, TransferDetails)
                work.save_transfer_record(
                    TransferRecord(
                        intervention=intervention,
                        what_taught=details.what_taught,
                        taught_to=details.taught_to,
                        how=details.how,
                        through_sessions=details.through_sessions,
                        through_documentation=details.through_documentation,
                    ),
                    by=self._member(step),
                )
            case "survey":
                assert isinstance(details, SurveyDetails)
                work.answer_survey(
                    Survey.objects.get(intervention=intervention),
                    answers={
                        "score": details.score,
                        "what_worked": details.what_worked,
                        "what_did_not": details.what_did_not,
                        "would_recommend": details.would_recommend,
                        "saved_estimate": details.saved_estimate,
                        "consent_case_study": details.consent_case_study,
                        "anonymise": details.anonymise,
                    },
                    now=when,
                )
            case "reuse":
                assert isinstance(details, ReuseDetails)
                library = self.libraries[details.library]
                domain = next(lib.domain for lib in LIBRARIES if lib.key == details.library)
                declared = realisations.declare_reuse(
                    intervention.deliverables.get(title=details.deliverable),
                    institution=library,
                    library_name="",
                    contact_email=f"{details.contact}@{domain}",
                )
                realisations.confirm_reuse(declared, by=self._member(step))
            case "case_study":
                draft = realisations.draft_case_study(intervention)
                if step.text:
                    # The lead's light edit, through the form of the case study's page.
                    form = CaseStudyForm(
                        data={"title": draft.title, "body": f"{draft.body}\n\n{step.text}"},
                        instance=draft,
                    )
                    if not form.is_valid():
                        raise DemoError(f"Case study edit refused: {form.errors.as_text()}")
                    form.save()
            case "publish":
                realisations.publish_case_study(intervention.case_study, by=self._member(step))
            case "impact":
                assert isinstance(details, ImpactDetails)
                if intervention.closed_at is None:
                    raise DemoError("An `impact` step needs a closed intervention.")
                # What the daily job did six months after the closing.
                work.send_impact_checks(now=intervention.closed_at + IMPACT_CHECK_AFTER)
                work.answer_impact_check(
                    ImpactCheck.objects.get(intervention=intervention),
                    still_in_use=details.still_in_use,
                    what_changed=details.what_changed,
                    now=when,
                )

    def _day(self, request: Request, offset: int) -> datetime.date:
        """The working day `offset` days after the submission (a weekend moves to Monday)."""
        day = timezone.localdate(request.submitted_at) + datetime.timedelta(days=offset)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return day

    def _member(self, step: Step) -> User:
        try:
            return self.users[step.by]
        except KeyError as unknown:
            raise DemoError(f"Step {step.action!r} needs a member, not {step.by!r}.") from unknown

    def _partners(self, request: Request, step: Step) -> list[Partner]:
        """The named partners as the library's region sees them (regional ones per region)."""
        if not step.partners:
            return []
        found = list(
            Partner.objects.listed()
            .serving(request.institution.region)
            .filter(code__in=step.partners)
        )
        missing = set(step.partners) - {partner.code for partner in found}
        if missing or len(found) != len(step.partners):
            raise DemoError(
                f"Partners {sorted(missing) or list(step.partners)} not found once for "
                f"region {request.institution.region!r}: run `g2id migrate` first."
            )
        return found

    def _backdate(self, request: Request, when: datetime.datetime, action: str = "") -> None:
        """Give the rows the last step created (stamped with the real clock) their demo time."""
        for model, stamp, *path in _STAMPS.get(action, _LIFECYCLE_STAMPS):
            lookup = path[0] if path else "request"
            model._default_manager.filter(**{lookup: request, f"{stamp}__gte": self.now}).update(
                **{stamp: when}
            )
        if action == "reuse":
            # The library declared its reuse a few days before the team confirmed it.
            Reuse.objects.filter(
                deliverable__intervention__request=request, created_at=when
            ).update(created_at=when - datetime.timedelta(days=3))

    def _submission_time(self, days_ago: float) -> datetime.datetime:
        local = timezone.localtime(self.now).replace(microsecond=0)
        local -= datetime.timedelta(days=days_ago)
        if days_ago >= 1:
            # Libraries file during opening hours; recent ones keep their exact age.
            local = local.replace(
                hour=self.random.randint(9, 17), minute=self.random.randint(0, 59), second=0
            )
        return min(local, self.limit - datetime.timedelta(hours=1))

    def _step_time(
        self,
        submitted: datetime.datetime,
        after: float,
        previous: datetime.datetime,
        scenario: Scenario,
    ) -> datetime.datetime:
        when = timezone.localtime(submitted + datetime.timedelta(days=after))
        when += datetime.timedelta(minutes=self.random.randint(0, 90))
        when = when.replace(microsecond=0)
        if when.hour >= WORKDAY_END:
            when = (when + datetime.timedelta(days=1)).replace(hour=WORKDAY_START, minute=30)
        elif when.hour < WORKDAY_START:
            when = when.replace(hour=WORKDAY_START, minute=30)
        when = max(when, previous + datetime.timedelta(minutes=7))
        if when >= self.limit:
            raise DemoError(
                f"Scenario “{scenario.title}” has a step in the future; "
                "give it more days or fewer steps."
            )
        return when

    def _rebase_references(self) -> None:
        """Give requests backdated into an earlier year a reference of that year.

        submit_request numbers by the current year. Around New Year the demo spans two
        years, and a request submitted in December would otherwise carry next year's
        number. The earlier year's sequence is the real one, so numbers stay unique; the
        current year keeps a gap where those numbers were, as any sequence may.
        """
        year = timezone.localtime(self.now).year
        earlier = Request.objects.filter(
            cell=self.cell, submitted_at__lt=_start_of_year(year)
        ).order_by("submitted_at", "pk")
        for request in earlier:
            past_year = timezone.localtime(request.submitted_at).year
            Request.objects.filter(pk=request.pk).update(
                reference=ReferenceSequence.next_reference(past_year)
            )


# The timestamps each kind of step may write with the real clock (a few updates per step
# keep the seeding fast); any other step only writes history events and messages.
_LIFECYCLE_STAMPS: tuple[tuple[type[Model], str], ...] = (
    (RequestEvent, "created_at"),
    (Message, "created_at"),
)
_INTERVENTION = "intervention__request"
_DELIVERABLE = "deliverable__intervention__request"
_STAMPS: dict[str, tuple[tuple[type[Model], str] | tuple[type[Model], str, str], ...]] = {
    "opinion": ((Opinion, "given_at"), (Opinion, "revised_at")),
    "recuse": ((Recusal, "declared_at"),),
    "decision": (
        *_LIFECYCLE_STAMPS,
        (Decision, "decided_at"),
        (Intervention, "created_at"),
        (Invitation, "revoked_at"),
    ),
    "invite": ((Invitation, "created_at"),),
    "expert": ((Opinion, "given_at"),),
    "feedback": ((Referral, "feedback_at"),),
    # Intervention steps: (model, timestamp, the lookup from the model to the request).
    "session": ((Event, "created_at", "intervention_sessions__intervention__request"),),
    "tasks": (),
    "done": ((Task, "done_at", _INTERVENTION),),
    "deliverable": (
        (Deliverable, "created_at", _INTERVENTION),
        (Deliverable, "updated_at", _INTERVENTION),
        (DeliverableVersion, "created_at", _DELIVERABLE),
    ),
    "version": ((DeliverableVersion, "created_at", _DELIVERABLE),),
    "transfer": ((TransferRecord, "updated_at", _INTERVENTION),),
    "reuse": ((Reuse, "created_at", _DELIVERABLE), (Reuse, "confirmed_at", _DELIVERABLE)),
    "case_study": (
        (CaseStudy, "created_at", _INTERVENTION),
        (CaseStudy, "updated_at", _INTERVENTION),
    ),
    "publish": (
        (CaseStudy, "published_at", _INTERVENTION),
        (CaseStudy, "updated_at", _INTERVENTION),
    ),
    # The services take the demo time themselves (survey, closing, impact check); their
    # history events and mails are backdated like any lifecycle step.
    "impact": (),
}
_INTERVENTION_STEPS = {
    "plan",
    "start",
    "deliver",
    "close",
    "session",
    "tasks",
    "done",
    "deliverable",
    "version",
    "transfer",
    "survey",
    "reuse",
    "case_study",
    "publish",
    "impact",
}


@dataclass
class _Work:
    """An intervention as the timesheets see it: who works on it, when, in which phase."""

    intervention: Intervention
    begin: datetime.date
    end: datetime.date
    roles: dict[int, str]
    changes: dict[str, datetime.date]
    training: bool

    @classmethod
    def of(cls, intervention: Intervention, last: datetime.date) -> _Work:
        changes = {
            event.to_status: timezone.localdate(event.created_at)
            for event in sorted(intervention.request.events.all(), key=lambda e: e.pk)
        }
        roles = {p.person_id: p.role for p in intervention.participations.all()}
        if intervention.lead_id:
            roles[intervention.lead_id] = Role.LEAD
        return cls(
            intervention=intervention,
            begin=timezone.localdate(intervention.created_at),
            end=min(changes.get(Status.DELIVERED, last), last),
            roles=roles,
            changes=changes,
            training=intervention.request.kind == Kind.TRAINING,
        )

    def __hash__(self) -> int:
        return self.intervention.pk

    def _reached(self, status: str, day: datetime.date) -> bool:
        return status in self.changes and self.changes[status] <= day

    def weight(self, person_id: int, day: datetime.date) -> float:
        weight = ROLE_WEIGHTS.get(self.roles[person_id], 1.0)
        # Little happens between the decision and the plan; most while the work is on.
        if not self._reached(Status.PLANNED, day):
            return weight * 0.3
        if not self._reached(Status.IN_PROGRESS, day):
            return weight * 0.6
        return weight

    def activity(self, day: datetime.date, rng: random.Random) -> str:
        if self._reached(Status.IN_PROGRESS, day):
            making = Activity.DOCUMENTATION if self.training else Activity.DEVELOPMENT
            return rng.choice((making, making, Activity.ANALYSIS, Activity.DOCUMENTATION))
        if self._reached(Status.PLANNED, day):
            return rng.choice((Activity.ANALYSIS, Activity.ANALYSIS, Activity.DOCUMENTATION))
        return Activity.ANALYSIS


def _summer_leave(index: int, today: datetime.date) -> list[datetime.date]:
    """The Mondays of the demo member's last summer leave (two or three weeks around August)."""
    year = today.year if today.month >= 9 else today.year - 1
    august = datetime.date(year, 8, 1)
    monday = august - datetime.timedelta(days=august.weekday())
    monday += datetime.timedelta(weeks=index % 3 - 1)
    return [monday + datetime.timedelta(weeks=week) for week in range(2 + index % 2)]


def _start_of_year(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1))


@contextmanager
def _captured_mail() -> Iterator[list[int]]:
    """Collect the ids of the e-mails queued while the block runs."""
    ids: list[int] = []

    def collect(sender: type[OutgoingMail], instance: OutgoingMail, created: bool, **_) -> None:
        if created:
            ids.append(instance.pk)

    post_save.connect(collect, sender=OutgoingMail, weak=False)
    try:
        yield ids
    finally:
        post_save.disconnect(collect, sender=OutgoingMail)


def _discard_demo_mail(mail_ids: list[int], *, since: datetime.datetime) -> int:
    """Drop the e-mails the seeding queued, with their delivery tasks.

    The demo's libraries and people are fictional: the ~200 receipts and notifications
    would go to .example.fr addresses that do not exist (bounces through a real SMTP
    server, noise in the console backend) the moment `make run` starts the worker.
    Marking them "sent" instead would make the mail log claim deliveries that never
    happened, in a table whose promise is that mail is never lost; deleting them keeps the
    queue truthful. Both rows were written in this transaction, so no worker has seen them.
    """
    from django_tasks_db.models import DBTaskResult

    # The announcements of the demo's requests would queue their mails later, from the worker.
    DBTaskResult.objects.filter(
        task_path=announce_request.module_path, enqueued_at__gte=since
    ).delete()
    if not mail_ids:
        return 0
    wanted = set(mail_ids)
    tasks = DBTaskResult.objects.filter(
        task_path=deliver_mail.module_path, enqueued_at__gte=since
    ).values_list("id", "args_kwargs")
    task_ids = [pk for pk, call in tasks if (call.get("args") or [None])[0] in wanted]
    DBTaskResult.objects.filter(pk__in=task_ids).delete()
    deleted, _ = OutgoingMail.objects.filter(pk__in=wanted).delete()
    return deleted
