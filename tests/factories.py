"""Factories for the tests: realistic French libraries, people and requests."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from g2id.accounts.models import User
from g2id.directory.models import Partner
from g2id.institutions.models import Institution
from g2id.requests.services import Contact, LibraryDetails, submit_request
from g2id.taxonomy.models import Domain
from g2id.team.models import Cell, Membership, Skill


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"membre{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("motdepasse-solide-2026")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Médiathèque municipale n°{n}")
    kind = Institution.Kind.MUNICIPAL
    city = "Lyon"
    postcode = "69003"


class CellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cell

    name = factory.Sequence(lambda n: f"Cellule {n}")
    slug = factory.Sequence(lambda n: f"cellule-{n}")
    speciality = "Informatique documentaire"


def national_cell() -> Cell:
    return Cell.objects.get(slug="informatique-documentaire")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cell = factory.LazyFunction(national_cell)
    person = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    share_percent = 50
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


def member_of(cell: Cell | None = None, **kwargs) -> User:
    """A person with an active membership of `cell` (the national cell by default)."""
    return MembershipFactory(cell=cell or national_cell(), **kwargs).person


def skilled_member(
    username: str,
    *,
    skills: dict[str, int],
    keywords: str = "",
    cell: Cell | None = None,
    **membership,
) -> User:
    """An active member with skills ({domain code: level 1 to 3}) and keywords."""
    person = UserFactory(username=username, keywords=keywords)
    MembershipFactory(person=person, cell=cell or national_cell(), **membership)
    domains = Domain.objects.in_bulk(list(skills), field_name="code")
    Skill.objects.bulk_create(
        Skill(person=person, domain=domains[code], level=level) for code, level in skills.items()
    )
    return person


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"partenaire-{n}")
    name = factory.Sequence(lambda n: f"Structure partenaire {n}")
    kind = Partner.Kind.ASSOCIATION
    when_to_refer = "Entraide entre bibliothèques"

    @factory.post_generation
    def specialities(self, create: bool, codes: tuple[str, ...] | None, **kwargs) -> None:
        if create and codes:
            self.specialities.set(Domain.objects.filter(code__in=codes))


def file_request(
    *,
    title: str = "Paramétrer les relances de prêt dans Koha",
    description: str = "Nos lettres de relance partent en double depuis la mise à jour.",
    email: str = "bibliothecaire@mediatheque-exemple.fr",
    domains: tuple[str, ...] = ("A1",),
    library: Institution | None = None,
    **kwargs,
):
    """A request filed through the real service, as the form would."""
    return submit_request(
        library=library
        or LibraryDetails(name="Médiathèque Jean-Macé", city="Lyon", postcode="69003"),
        contact=Contact(name="Camille Martin", email=email, role="Responsable SIGB"),
        title=title,
        description=description,
        kind=kwargs.pop("kind", "advice"),
        domains=list(Domain.objects.filter(code__in=domains)),
        **kwargs,
    )


def cell_of_five(*, since: datetime.date | None = None) -> Cell:
    """The "Cellule SIGB": its coordinator "coord" and four members (anne, bruno, chloe,
    denis), in office since `since` (a month ago by default)."""
    cell = CellFactory(name="Cellule SIGB", slug="cellule-sigb", contact_email="sigb@g2id.fr")
    dates = {"start_date": since} if since else {}
    member_of(cell, person=UserFactory(username="coord"), role=Membership.Role.COORDINATOR, **dates)
    for name in ("anne", "bruno", "chloe", "denis"):
        member_of(cell, person=UserFactory(username=name), **dates)
    return cell


def under_review(cell: Cell, **fields):
    """A request of the cell, filed and taken into review by its coordinator "coord"."""
    filed = file_request(cell=cell, **fields)
    filed.take_into_review(by=User.objects.get(username="coord"))
    return filed
