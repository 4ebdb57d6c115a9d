from __future__ import annotations

from collections.abc import Iterable

from g2id.directory.models import Partner
from g2id.taxonomy.models import Domain


def make_partner(
    code: str,
    *,
    name: str = "",
    region: str = "",
    specialities: Iterable[str] = (),
    **fields: object,
) -> Partner:
    """A partner structure with the given domain codes as specialities."""
    partner = Partner.objects.create(
        code=code,
        region=region,
        name=name or code.title(),
        kind=fields.pop("kind", Partner.Kind.ASSOCIATION),
        when_to_refer=fields.pop("when_to_refer", "Quand il le faut."),
        **fields,
    )
    partner.specialities.set(Domain.objects.filter(code__in=list(specialities)))
    return partner
