"""Suggestions that help the group decide: who could take a request, where to refer it, and
which past requests looked like it.

Each suggestion carries a score (higher is better, comparable within its list) and the
reasons a person reads on the request page. A handful of queries whatever the number of
past requests: the similar ones come from the full-text index (g2id/suggestions/index.py).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from g2id.agenda.schedule import Week, busy_free_weeks_of
from g2id.directory.models import Partner
from g2id.lib.geography import region_name
from g2id.public.cache import remembered_for_team
from g2id.requests.models import Request, Status
from g2id.suggestions import index, text
from g2id.taxonomy.models import Domain
from g2id.team.governance import open_requests_followed
from g2id.team.models import Membership, Skill

MEMBERS_SHOWN = 5
PARTNERS_SHOWN = 5
SIMILAR_SHOWN = 5
AVAILABILITY_WEEKS = 4
# How much each open request a member already follows lowers their score.
LOAD_PENALTY = 0.15
# A regional partner knows the library's ground: a little ahead of a national one.
REGIONAL_BONUS = 0.1
SKILL_SHARE = 0.7  # of a member's relevance; the rest comes from their keywords


@dataclass(frozen=True)
class MemberSuggestion:
    username: str
    name: str
    slug: str
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class PartnerSuggestion:
    code: str
    name: str
    region: str
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class SimilarRequest:
    reference: str
    title: str
    outcome: str
    outcome_label: str
    score: float


@dataclass(frozen=True)
class Suggestions:
    members: list[MemberSuggestion] = field(default_factory=list)
    partners: list[PartnerSuggestion] = field(default_factory=list)
    similar: list[SimilarRequest] = field(default_factory=list)

    def as_json(self) -> dict[str, list[dict[str, Any]]]:
        """The shape of the API and of `g2id suggest --json`, best first in each list."""
        return {
            "members": [
                {"username": m.username, "name": m.name, "score": m.score, "reasons": m.reasons}
                for m in self.members
            ],
            "partners": [
                {"code": p.code, "name": p.name, "score": p.score, "reasons": p.reasons}
                for p in self.partners
            ],
            "similar": [
                {"reference": s.reference, "title": s.title, "outcome": s.outcome, "score": s.score}
                for s in self.similar
            ],
        }


def suggestions_of(request: Request) -> Suggestions:
    """`suggest(request)` as of today, kept until G2ID's data changes.

    The same for every member who may see the request; the reasons are in the reader's language.
    """
    today = timezone.localdate()
    return remembered_for_team(f"suggestions {request.pk}", lambda: suggest(request, today=today))


def suggest(request: Request, *, today: datetime.date | None = None) -> Suggestions:
    """Members, partners and similar past requests for `request`, best first."""
    today = today or timezone.localdate()
    domains = list(request.domains.all())
    return Suggestions(
        members=suggest_members(request, domains, today=today),
        partners=suggest_partners(request, domains),
        similar=similar_requests(request),
    )


# --- Members ------------------------------------------------------------------------------


def mentions(haystack: str, needle: str) -> bool:
    """True when the folded `haystack` contains the folded `needle` as whole words."""
    folded = text.fold(needle).strip()
    return bool(folded) and re.search(rf"\b{re.escape(folded)}\b", haystack) is not None


def suggest_members(
    request: Request, domains: list[Domain], *, today: datetime.date
) -> list[MemberSuggestion]:
    """Active members of the request's cell whose skills or keywords fit, weighed by load
    and free time; a member seconded by the requesting library is never suggested."""
    memberships = [
        membership
        for membership in Membership.objects.active_on(today)
        .filter(cell_id=request.cell_id)
        .select_related("person")
        # Conflict of interest: nobody assesses a request of their own institution.
        if membership.home_institution_id != request.institution_id
    ]
    people = [membership.person for membership in memberships]
    if not people:
        return []
    skills = Skill.objects.filter(person__in=people, domain__in=domains).select_related("domain")
    skills_of: dict[int, list[Skill]] = {}
    for skill in skills:
        skills_of.setdefault(skill.person_id, []).append(skill)
    request_text = text.fold(f"{request.systems} {request.title} {request.description}")

    candidates = []
    for person in people:
        own_skills = sorted(skills_of.get(person.pk, []), key=lambda s: (-s.level, s.domain.code))
        keywords = [word for word in person.keyword_list if mentions(request_text, word)]
        skill_fit = sum(s.level for s in own_skills) / (3 * len(domains)) if domains else 0.0
        keyword_fit = min(1.0, 0.5 * len(keywords))
        relevance = SKILL_SHARE * skill_fit + (1 - SKILL_SHARE) * keyword_fit
        if relevance > 0:
            candidates.append((person, own_skills, keywords, relevance))
    # Load and agenda are read only for the people worth suggesting, of them all at once.
    load = open_requests_followed(request.cell_id, [person.pk for person, *_rest in candidates])
    agendas = busy_free_weeks_of(
        [person for person, *_rest in candidates], today=today, weeks=AVAILABILITY_WEEKS
    )
    suggestions = []
    for person, own_skills, keywords, relevance in candidates:
        followed = load.get(person.pk, 0)
        free, total = free_half_days(agendas[person.pk], today=today)
        availability = free / total if total else 0.0
        score = relevance * (0.75 + 0.25 * availability) / (1 + LOAD_PENALTY * followed)
        reasons = [
            _("Skill “%(domain)s”, %(level)s level")
            % {"domain": skill.domain.label, "level": skill.get_level_display().lower()}
            for skill in own_skills
        ]
        reasons += [_("Knows “%(keyword)s”") % {"keyword": keyword} for keyword in keywords]
        reasons.append(
            ngettext(
                "%(count)d open request followed",
                "%(count)d open requests followed",
                followed,
            )
            % {"count": followed}
        )
        reasons.append(
            _("Free %(free)d half-days out of %(total)d in the next %(weeks)d weeks")
            % {"free": free, "total": total, "weeks": AVAILABILITY_WEEKS}
        )
        suggestions.append(
            MemberSuggestion(
                username=person.username,
                name=person.get_full_name() or person.username,
                slug=person.slug or "",
                score=round(score, 3),
                reasons=reasons,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.name))
    return suggestions[:MEMBERS_SHOWN]


def free_half_days(weeks: list[Week], *, today: datetime.date) -> tuple[int, int]:
    """Free and total working half-days from today to the end of these weeks."""
    free = total = 0
    for week in weeks:
        for day in week.days:
            if day.day < today:
                continue
            total += 2
            free += (not day.morning_busy) + (not day.afternoon_busy)
    return free, total


# --- Partners -----------------------------------------------------------------------------


def suggest_partners(request: Request, domains: list[Domain]) -> list[PartnerSuggestion]:
    """Active partners serving the library's region (or the whole country) whose
    specialities cover the request's domains or who work with its systems; those whose
    "when to refer" speaks of the request come first, then public bodies, associations and
    communities before companies (the cell refers to the private sector for heavy work)."""
    systems = [word for _folded, word in text.meaningful_words(request.systems)]
    fits = Q(specialities__in=domains)
    for word in systems:
        fits |= Q(name__icontains=word) | Q(when_to_refer__icontains=word)
    if not domains and not systems:
        return []
    region = request.institution.region
    partners = (
        Partner.objects.listed()
        .serving(region)
        .filter(fits)
        .distinct()
        .prefetch_related(
            Prefetch("specialities", queryset=Domain.objects.only("id"), to_attr="all_specialities")
        )
    )
    wanted = {domain.pk: domain for domain in domains}
    request_words = {
        folded
        for folded, _written in text.meaningful_words(f"{request.title} {request.description}")
    }
    suggestions = []
    for partner in partners:
        speciality_ids = {speciality.pk for speciality in partner.all_specialities}  # type: ignore[attr-defined]
        covered = [wanted[pk] for pk in sorted(speciality_ids & wanted.keys())]
        coverage = len(covered) / len(domains) if domains else 0.0
        # A partner doing few things well beats one doing everything, at equal coverage.
        focus = len(covered) / len(speciality_ids) if speciality_ids else 0.0
        about = f"{partner.name} {partner.when_to_refer}"
        named = [word for word in systems if mentions(text.fold(about), word)]
        echoed = sorted(
            request_words
            & {folded for folded, _written in text.meaningful_words(about)}
            - {text.fold(word) for word in named}
        )
        score = (
            coverage
            + 0.2 * focus
            + (0.3 if named else 0.0)
            + 0.1 * min(len(echoed), 3)
            + (0.0 if partner.kind == Partner.Kind.PRIVATE else 0.1)
        )
        reasons = [_("Speciality “%(domain)s”") % {"domain": domain.label} for domain in covered]
        reasons += [_("Works with “%(system)s”") % {"system": word} for word in named]
        if echoed:
            reasons.append(_("Its field mentions: %(words)s") % {"words": ", ".join(echoed[:3])})
        if partner.region:
            score += REGIONAL_BONUS
            reasons.append(
                _("Covers the region %(region)s") % {"region": region_name(partner.region)}
            )
        else:
            reasons.append(_("National scope"))
        suggestions.append(
            PartnerSuggestion(
                code=partner.code,
                name=partner.name,
                region=partner.region,
                score=round(score, 3),
                reasons=reasons,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.name))
    return suggestions[:PARTNERS_SHOWN]


# --- Similar past requests -------------------------------------------------------------------


def similar_requests(request: Request) -> list[SimilarRequest]:
    """Past requests whose title and description share the most salient words of this one.

    The index ranks candidates; the score shown is the share of this request's salient
    words found in each, the same on both databases.
    """
    salient = text.salient_words(request.title, request.description)
    ids = index.similar_request_ids(salient, exclude=request.pk)
    if not ids:
        return []
    found = Request.objects.filter(pk__in=ids).only("reference", "title", "description", "status")
    by_id = {candidate.pk: candidate for candidate in found}
    wanted = {text.fold(word) for word in salient}
    scored = []
    for position, pk in enumerate(ids):
        candidate = by_id.get(pk)
        if candidate is None:  # deleted between the two queries
            continue
        shared = wanted & {
            folded
            for folded, _written in text.meaningful_words(
                f"{candidate.title} {candidate.description}"
            )
        }
        scored.append((len(shared) / len(wanted), -position, candidate))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [
        SimilarRequest(
            reference=candidate.reference,
            title=candidate.title,
            outcome=candidate.status,
            outcome_label=str(Status(candidate.status).label),
            score=round(share, 3),
        )
        for share, _position, candidate in scored[:SIMILAR_SHOWN]
    ]
