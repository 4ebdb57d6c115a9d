"""The scope guard: the cell does light work only; heavy requests are flagged and referred.

A request is heavy when the team's effort estimate is above its cell's light-work limit, when
it asks for work that is a project in itself (a domain together with a kind of help, see
HEAVY_DOMAINS), or when its title or description say so in plain words (HEAVY_WORDS). A heavy
request comes with the partner structures of the directory it could be referred to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Prefetch
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from g2id.directory.models import Partner
from g2id.lib.geography import region_name
from g2id.requests.models import Kind, Message, Party, Request, Status
from g2id.taxonomy.models import Domain

if TYPE_CHECKING:
    from g2id.accounts.models import User

# The team may estimate (and re-estimate) a request until the group has positioned itself.
ESTIMABLE_STATUSES = frozenset({Status.SUBMITTED, Status.UNDER_REVIEW})
# The directory's structures a heavy request is referred to: companies do heavy work for a
# fee, public bodies fund it or advise on it; associations and communities are no substitute.
REFERRAL_PARTNER_KINDS = (Partner.Kind.PRIVATE, Partner.Kind.PUBLIC)
PARTNERS_PROPOSED = 6


@dataclass(frozen=True)
class HeavyDomain:
    kinds: frozenset[str]  # the kinds of help that turn this domain into heavy work
    reason: str | Promise


# Short on purpose: only domains whose realisation is a project for a company or a public
# procurement. Advice or training on them stays light, except for K2, where "advice" on a
# whole ILS procurement means writing it (assistance à maîtrise d'ouvrage).
HEAVY_DOMAINS: dict[str, HeavyDomain] = {
    "C1": HeavyDomain(
        frozenset({Kind.TECHNICAL}),
        gettext_lazy(
            "Carrying out a data migration between two ILS is a project for the vendor "
            "or a service company, not light work."
        ),
    ),
    "K2": HeavyDomain(
        frozenset({Kind.ADVICE, Kind.AUDIT, Kind.TECHNICAL}),
        gettext_lazy(
            "Writing the specifications or running the public procurement of a whole ILS is "
            "project management support, beyond light help."
        ),
    ),
    "F2": HeavyDomain(
        frozenset({Kind.TECHNICAL}),
        gettext_lazy(
            "A digitisation campaign and its procurement are contracted to specialised companies."
        ),
    ),
}

# Words of a library describing a whole project (matched in the title and the description).
HEAVY_WORDS = re.compile(  # \u2019: the typographic apostrophe
    r"\br[ée]-?informatis\w*"
    r"|\b(?:changement|changer|remplacement|remplacer)\s+(?:de\s+|du\s+|d['\u2019]un\s+|notre\s+"
    r"|le\s+|votre\s+|leur\s+)*sigb\b"
    r"|\bmarch[ée]s?\s+publics?\b"
    r"|\bappels?\s+d['\u2019]offres?\b"
    r"|\bmigration\s+(?:compl[èe]te|totale|int[ée]grale)\b"
    r"|\bnum[ée]risation\s+de\s+masse\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ProposedPartner:
    partner: Partner
    reason: str


@dataclass(frozen=True)
class ScopeCheck:
    reasons: list[str]  # why the request looks heavy, in plain words; empty when light
    partners: list[ProposedPartner]  # where to refer a heavy request, best fit first
    light_work_max_days: int  # the cell's limit, in person-days
    estimate_open: bool  # whether the team may still change the effort estimate

    @property
    def is_heavy(self) -> bool:
        return bool(self.reasons)


def scope_check(request: Request) -> ScopeCheck:
    """Is this request heavy work, why, and which partners could take it on?"""
    domains = list(request.domains.all())
    limit = request.cell.light_work_max_days
    reasons = []
    if request.effort_days is not None and request.effort_days > limit:
        reasons.append(
            _(
                "The team's estimate, %(effort)s person-days, is above the cell's light-work "
                "limit of %(limit)s person-days."
            )
            % {"effort": days_text(request.effort_days), "limit": limit}
        )
    for domain in domains:
        heavy = HEAVY_DOMAINS.get(domain.code)
        if heavy is not None and request.kind in heavy.kinds:
            reasons.append(
                _("Domain %(domain)s, %(kind)s: %(reason)s")
                % {
                    "domain": f"{domain.code} ({domain.label})",
                    "kind": request.get_kind_display().lower(),
                    "reason": heavy.reason,
                }
            )
    words = _heavy_words(request.title, request.description)
    if words:
        reasons.append(
            _("The request speaks of %(words)s: a project of that size is beyond light help.")
            % {"words": ", ".join(f"« {word} »" for word in words)}
        )
    return ScopeCheck(
        reasons=reasons,
        partners=_proposed_partners(request, domains) if reasons else [],
        light_work_max_days=limit,
        estimate_open=request.status in ESTIMABLE_STATUSES,
    )


def _heavy_words(*texts: str) -> list[str]:
    """The heavy-work phrases found, as written, each once (ignoring case)."""
    found: dict[str, str] = {}
    for text in texts:
        for match in HEAVY_WORDS.finditer(text):
            phrase = " ".join(match.group(0).split())
            found.setdefault(phrase.lower(), phrase)
    return list(found.values())


def _proposed_partners(request: Request, domains: list[Domain]) -> list[ProposedPartner]:
    """Companies and public bodies whose specialities fit the domains, serving the library."""
    if not domains:
        return []
    partners = (
        Partner.objects.listed()
        .serving(request.institution.region)
        .filter(kind__in=REFERRAL_PARTNER_KINDS, specialities__in=domains)
        .distinct()
        .prefetch_related(
            # Only the specialities that fit the request: they rank and explain the proposal.
            Prefetch("specialities", queryset=Domain.objects.filter(pk__in=[d.pk for d in domains]))
        )
    )
    fitting = {partner: list(partner.specialities.all()) for partner in partners}
    ranked = sorted(fitting, key=lambda partner: (-len(fitting[partner]), partner.name))
    return [
        ProposedPartner(partner, _partner_reason(partner, fitting[partner]))
        for partner in ranked[:PARTNERS_PROPOSED]
    ]


def _partner_reason(partner: Partner, specialities: list[Domain]) -> str:
    fitting = ", ".join(f"{d.code} ({d.label})" for d in specialities)
    scope = (
        _("nationwide")
        if partner.is_national
        else _("in %(region)s") % {"region": region_name(partner.region)}
    )
    if partner.kind == Partner.Kind.PRIVATE:
        text = _("A private company working on %(domains)s, %(scope)s.")
    else:
        text = _("A public body competent for %(domains)s, %(scope)s.")
    return text % {"domains": fitting, "scope": scope}


def days_text(days: Decimal) -> str:
    """A number of person-days as people write it: 12, 2,5 (in French)."""
    return localize(days.quantize(Decimal(1)) if days % 1 == 0 else days)


class EstimateRefused(Exception):
    """The estimate cannot change any more; its message is for the user."""


def record_effort_estimate(request: Request, days: Decimal, *, by: User) -> Message:
    """Set the team's effort estimate and keep the change in the history as an internal note.

    Only while the request is received or under review: once the group has positioned itself,
    the estimate that led to the decision stays as it was.
    """
    with transaction.atomic():
        current = (
            Request.objects.select_for_update().only("status", "effort_days").get(pk=request.pk)
        )
        if current.status not in ESTIMABLE_STATUSES:
            raise EstimateRefused(
                _(
                    "The estimate can only change while the request is received or under "
                    "review; it is now “%(status)s”."
                )
                % {"status": Status(current.status).label}
            )
        Request.objects.filter(pk=request.pk).update(effort_days=days)
        request.effort_days = days
        if current.effort_days is None:
            body = _("Effort estimate: %(days)s person-days.") % {"days": days_text(days)}
        else:
            body = _("Effort estimate changed from %(previous)s to %(days)s person-days.") % {
                "previous": days_text(current.effort_days),
                "days": days_text(days),
            }
        return Message.objects.create(
            request=request, author_party=Party.TEAM, author=by, body=body, is_internal=True
        )
