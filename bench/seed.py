"""Seed the bench database fast: the demo, then BENCH_N requests with bulk inserts.

Run with `python -m bench.seed` (DJANGO_SETTINGS_MODULE=bench.settings or g2id.settings).
The database is the one DATABASE_URL names, else var/g2id.sqlite3 under G2ID_VAR_DIR
(bench/var with `make bench`). A different N than the one seeded resets the database first;
the same N changes nothing.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from g2id.accounts.models import User  # noqa: E402
from g2id.agenda.models import Event  # noqa: E402
from g2id.demo.data import COORDINATOR  # noqa: E402
from g2id.demo.seed import NATIONAL_CELL_SLUG, load_demo  # noqa: E402
from g2id.institutions.models import Institution  # noqa: E402
from g2id.interventions.models import Role  # noqa: E402
from g2id.lib import private_links  # noqa: E402
from g2id.positioning.delay import clock_from_history  # noqa: E402
from g2id.positioning.models import Opinion, Stance  # noqa: E402
from g2id.requests.models import (  # noqa: E402
    TRACKING_SELECTOR_LENGTH,
    Kind,
    Message,
    Party,
    ReferenceSequence,
    Request,
    RequestEvent,
    Status,
)
from g2id.taxonomy.models import Domain  # noqa: E402
from g2id.team.models import Cell, Membership  # noqa: E402

# Seeded requests are recognised by their contact's domain: requests filed during a run
# (form and API POSTs) use another one and do not count.
SEED_EMAIL_DOMAIN = "bench.g2id.test"
RUN_EMAIL_DOMAIN = "bench-run.g2id.test"  # the contacts of bench/run.py's POSTs
BATCH = 2000
YEARS = 3

# Final statuses in rough production proportions, and the path that leads to each.
STATUS_WEIGHTS: dict[str, int] = {
    Status.SUBMITTED: 12,
    Status.UNDER_REVIEW: 12,
    Status.NEEDS_INFO: 6,
    Status.ACCEPTED: 6,
    Status.PLANNED: 6,
    Status.IN_PROGRESS: 8,
    Status.DELIVERED: 6,
    Status.CLOSED: 30,
    Status.REFERRED: 4,
    Status.DECLINED: 4,
    Status.WITHDRAWN: 6,
}
REVIEW = [Status.SUBMITTED, Status.UNDER_REVIEW]
PATHS: dict[str, list[str]] = {
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.UNDER_REVIEW: REVIEW,
    Status.NEEDS_INFO: [*REVIEW, Status.NEEDS_INFO],
    Status.ACCEPTED: [*REVIEW, Status.ACCEPTED],
    Status.PLANNED: [*REVIEW, Status.ACCEPTED, Status.PLANNED],
    Status.IN_PROGRESS: [*REVIEW, Status.ACCEPTED, Status.PLANNED, Status.IN_PROGRESS],
    Status.DELIVERED: [
        *REVIEW,
        Status.ACCEPTED,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.DELIVERED,
    ],
    Status.CLOSED: [
        *REVIEW,
        Status.ACCEPTED,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.DELIVERED,
        Status.CLOSED,
    ],
    Status.REFERRED: [*REVIEW, Status.REFERRED],
    Status.DECLINED: [*REVIEW, Status.DECLINED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.WITHDRAWN],
}
SYSTEMS = ["Koha 23.11", "PMB 7", "Bokeh", "Omeka S", "Syracuse", "Orphée", "Decalog", ""]
# (title, domain codes, a detail of the description): text and domains tell the same story,
# as in real requests, so that suggestions and similar requests have something to find.
SUBJECTS = [
    (
        "Migration de notre SIGB vers {system}",
        ("C1", "A5"),
        "la reprise des exemplaires et des lecteurs",
    ),
    ("Paramétrage du catalogue public {system}", ("D2", "D1"), "les facettes et la pertinence"),
    ("Formation de l'équipe à {system}", ("A1", "K1"), "le prêt, les réservations et les relances"),
    (
        "Audit du réseau informatique de la médiathèque",
        ("H3", "K1"),
        "les sauvegardes et le pare-feu",
    ),
    ("Import des notices depuis la BnF dans {system}", ("B2", "B1"), "le protocole SRU et UNIMARC"),
    ("Mise en place du prêt numérique", ("E1", "E3"), "PNB, Dilicom et les DRM LCP"),
    ("Nettoyage des données d'exemplaires", ("B3", "B7"), "les doublons et les cotes Dewey"),
    ("Conseil pour le renouvellement des postes publics", ("H1", "H2"), "l'EPN et le wifi public"),
    ("Rapport annuel NeoScrib à partir de {system}", ("I1", "A4"), "les requêtes SQL de prêts"),
    ("Conformité RGPD du fichier des lecteurs", ("J1", "A2"), "la purge des inscrits inactifs"),
    ("Étiquettes RFID et automates de prêt", ("G1", "G2"), "l'encodage ISO 28560"),
    ("Bibliothèque numérique patrimoniale sous Omeka S", ("F1", "F2"), "la numérisation et IIIF"),
]
CONTEXTS = [
    "Le réseau compte plusieurs annexes et un portail public.",
    "Nous sommes une petite équipe sans informaticien.",
    "La communauté de communes reprend la compétence lecture publique.",
    "Le prestataire actuel ne répond plus à nos demandes.",
    "Le chantier doit aboutir avant la réouverture au public.",
    "Notre bibliothèque départementale nous a orientés vers vous.",
]
TOWNS = [
    ("75011", "Paris"),
    ("69003", "Lyon"),
    ("13001", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("59000", "Lille"),
    ("35000", "Rennes"),
    ("29200", "Brest"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("21000", "Dijon"),
    ("45000", "Orléans"),
    ("76000", "Rouen"),
    ("80000", "Amiens"),
    ("63000", "Clermont-Ferrand"),
    ("34000", "Montpellier"),
    ("06000", "Nice"),
    ("20000", "Ajaccio"),
    ("97400", "Saint-Denis"),
    ("87000", "Limoges"),
    ("86000", "Poitiers"),
    ("51100", "Reims"),
    ("25000", "Besançon"),
    ("14000", "Caen"),
]


def log(message: str) -> None:
    print(f"[bench.seed] {message}", flush=True)


def database_kind() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def ensure_database() -> None:
    """Create the PostgreSQL database DATABASE_URL names when it does not exist yet."""
    if connection.vendor != "postgresql":
        return
    try:
        connection.ensure_connection()
    except OperationalError:
        import psycopg
        from psycopg import sql

        params = settings.DATABASES["default"]
        with psycopg.connect(
            dbname="postgres",
            user=params.get("USER") or None,
            password=params.get("PASSWORD") or None,
            host=params.get("HOST") or None,
            port=params.get("PORT") or None,
            autocommit=True,
        ) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"])))
        log(f"created the PostgreSQL database {params['NAME']}")


def seeded_count() -> int:
    try:
        return Request.objects.filter(contact_email__endswith="@" + SEED_EMAIL_DOMAIN).count()
    except Exception:  # no table yet: a fresh database
        connection.close()
        return -1


def reset_database() -> None:
    """Start from an empty database: delete the SQLite file, or empty PostgreSQL's schema."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()
        return
    connection.close()
    name = Path(settings.DATABASES["default"]["NAME"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)


def batched(rows: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def history_of(
    request: Request, rng: random.Random, members: list[User], now: datetime.datetime
) -> list[RequestEvent]:
    """The events that brought `request` to its status, to be saved once it has its key."""
    events = []
    when = request.submitted_at
    previous = ""
    for step in PATHS[request.status]:
        party = Party.LIBRARY if step in (Status.SUBMITTED, Status.WITHDRAWN) else Party.TEAM
        events.append(
            RequestEvent(
                from_status=previous,
                to_status=step,
                actor_party=party,
                actor_user=rng.choice(members) if party == Party.TEAM and members else None,
                created_at=when,
            )
        )
        previous = step
        when = min(when + datetime.timedelta(hours=rng.randint(2, 96)), now)
    return events


def seed(n: int) -> None:
    rng = random.Random(20000)  # noqa: S311 - bench data, not secrets
    now = timezone.now()
    domains = list(Domain.objects.all())
    cells = list(Cell.objects.all())
    national = Cell.objects.get(slug=NATIONAL_CELL_SLUG)
    members = [m.person for m in Membership.objects.select_related("person").filter(cell=national)]
    others = [c for c in cells if c.pk != national.pk]

    # --- Institutions: ~2000 across regions, department and region derived like save() ----
    started = time.monotonic()
    kinds = [k for k, _label in Institution.Kind.choices]
    institutions = []
    for index in range(max(200, min(2000, n // 10))):
        postcode, city = TOWNS[index % len(TOWNS)]
        library = Institution(
            name=f"Médiathèque bench {index:04d} de {city}",
            kind=kinds[index % len(kinds)],
            city=city,
            postcode=postcode,
        )
        library.department, library.region = library.derive_department_and_region()
        institutions.append(library)
    institutions = Institution.objects.bulk_create(institutions, batch_size=BATCH)
    log(f"{len(institutions)} institutions in {time.monotonic() - started:.1f} s")

    # --- Requests, oldest first; references numbered per year after the demo's ----------
    started = time.monotonic()
    span = datetime.timedelta(days=365 * YEARS)
    times = sorted(now - span * rng.random() - datetime.timedelta(hours=1) for _ in range(n))
    last = dict(ReferenceSequence.objects.values_list("year", "last_number"))
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    requests, subject_domains, histories = [], [], []
    for index, submitted in enumerate(times):
        year = timezone.localtime(submitted).year
        last[year] = last.get(year, 0) + 1
        system = rng.choice(SYSTEMS)
        token = private_links.new_token()
        cell = national if not others or rng.random() < 0.8 else rng.choice(others)
        subject, subject_codes, detail = rng.choice(SUBJECTS)
        subject_domains.append(subject_codes)
        title = subject.format(system=system or "Koha")
        requests.append(
            Request(
                reference=f"G2ID-{year}-{last[year]:04d}",
                cell=cell,
                institution=rng.choice(institutions),
                contact_name=f"Contact {index}",
                contact_email=f"contact{index}@{SEED_EMAIL_DOMAIN}",
                contact_role="Responsable informatique",
                title=f"{title} ({index})",
                description=(
                    f"{title}. Nous utilisons {system or 'un logiciel libre'} depuis plusieurs "
                    f"années ; la question porte surtout sur {detail}. "
                    f"{rng.choice(CONTEXTS)} Pourriez-vous nous conseiller ?"
                ),
                kind=rng.choice(list(Kind)),
                systems=system,
                status=rng.choices(statuses, weights)[0],
                language="fr",
                consent_at=submitted,
                tracking_selector=token[:TRACKING_SELECTOR_LENGTH],
                tracking_token=token,
                submitted_at=submitted,
            )
        )
        # The history first: the request is filed with the clock it gives.
        request = requests[-1]
        histories.append(history_of(request, rng, members, now))
        clock = clock_from_history(histories[-1], target_days=request.cell.positioning_target_days)
        request.positioning_deadline = clock.deadline
        request.positioning_used_days = clock.used_days
        request.positioning_paused = clock.paused
        request.positioning_stopped = clock.stopped
    with transaction.atomic():
        requests = Request.objects.bulk_create(requests, batch_size=BATCH)
        for year, number in last.items():
            ReferenceSequence.objects.update_or_create(year=year, defaults={"last_number": number})
    log(f"{len(requests)} requests in {time.monotonic() - started:.1f} s")

    # --- Domains, history, messages ----------------------------------------------------
    started = time.monotonic()
    through = Request.domains.through
    links, events, messages, opinions = [], [], [], []
    domains_by_code = {domain.code: domain for domain in domains}
    for position, request in enumerate(requests):
        for code in subject_domains[position][: rng.randint(1, 2)]:
            links.append(through(request_id=request.pk, domain_id=domains_by_code[code].pk))
        for event in histories[position]:
            event.request_id = request.pk
            events.append(event)
        if request.status != Status.SUBMITTED and members:
            for author in rng.sample(members, k=min(len(members), rng.randint(1, 4))):
                stance = rng.choice(list(Stance))
                opinions.append(
                    Opinion(
                        request_id=request.pk,
                        author=author,
                        stance=stance,
                        role=Role.CONTRIBUTOR if stance == Stance.TAKE else "",
                        comment="Avis donné en point hebdomadaire.",
                        given_at=request.submitted_at,
                    )
                )
        at = request.submitted_at
        for number in range(rng.choice((1, 2, 2, 3))):
            at = min(at + datetime.timedelta(hours=rng.randint(1, 48)), now)
            internal = number == 1 and rng.random() < 0.3
            team = internal or number % 2 == 1
            messages.append(
                Message(
                    request_id=request.pk,
                    author_party=Party.TEAM if team else Party.LIBRARY,
                    author=rng.choice(members) if team and members else None,
                    body=(
                        "Note interne : à voir en point hebdomadaire."
                        if internal
                        else "Bonjour, pouvez-vous nous préciser la version installée ? Merci."
                    ),
                    is_internal=internal,
                    created_at=at,
                )
            )
    with transaction.atomic():
        through.objects.bulk_create(links, batch_size=BATCH)
        RequestEvent.objects.bulk_create(events, batch_size=BATCH)
        Message.objects.bulk_create(messages, batch_size=BATCH)
        Opinion.objects.bulk_create(opinions, batch_size=BATCH)
    log(
        f"{len(links)} domain links, {len(events)} history events, {len(messages)} messages, "
        f"{len(opinions)} opinions "
        f"in {time.monotonic() - started:.1f} s"
    )

    # --- Agenda: a year of one-off meetings per cell, sessions per member ----------------
    agenda = []
    for cell in cells:
        for week in range(-26, 26):
            start = now + datetime.timedelta(weeks=week, hours=rng.randint(0, 72))
            agenda.append(
                Event(
                    cell=cell,
                    kind=Event.Kind.MEETING,
                    title=f"Réunion de suivi {week + 27}",
                    location="Visioconférence",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=1),
                )
            )
    for person in members:
        for week in range(-8, 8):
            start = now + datetime.timedelta(weeks=week, days=rng.randint(0, 4))
            agenda.append(
                Event(
                    person=person,
                    kind=Event.Kind.ON_SITE,
                    title="Séance de travail avec une bibliothèque",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=3),
                    created_by=person,
                )
            )
    Event.objects.bulk_create(agenda, batch_size=BATCH)
    log(f"{len(agenda)} agenda events")


def main() -> int:
    n = int(os.environ.get("BENCH_N", "20000"))
    log(f"database: {database_kind()} ({settings.DATABASES['default']['NAME']}), N={n}")
    ensure_database()
    count = seeded_count()
    if 0 <= count != n:
        log(f"found N={count}: resetting the database")
        reset_database()
    started = time.monotonic()
    # Always: new migrations of the project apply to an already seeded database too.
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated in {time.monotonic() - started:.1f} s")
    if count == n:
        # Requests filed by the POST endpoints of earlier runs go: every run starts alike.
        removed = Request.objects.filter(contact_email__endswith="@" + RUN_EMAIL_DOMAIN).delete()
        log(f"already seeded with N={n}; removed {removed[0]} rows filed by earlier runs")
        return 0
    load_demo()
    if not User.objects.filter(username=COORDINATOR).exists():
        raise SystemExit("The demo coordinator is missing after load_demo.")
    started = time.monotonic()
    seed(n)
    with connection.cursor() as cursor:  # fresh statistics for the query planner
        cursor.execute("ANALYZE")
    log(f"seeded N={n} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
