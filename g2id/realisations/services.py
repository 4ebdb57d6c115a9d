"""The rules of deliverables, reuses and case studies; every change in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from g2id.institutions.models import Institution
from g2id.lib.uploads import check_upload
from g2id.realisations.models import CaseStudy, Deliverable, DeliverableVersion, Reuse

if TYPE_CHECKING:
    from g2id.accounts.models import User
    from g2id.interventions.models import Intervention


def _attach(version: DeliverableVersion, upload: UploadedFile | None) -> None:
    """Check the upload (size, real type) and put it on the version, or raise."""
    if upload is None:
        return
    checked = check_upload(upload)
    version.original_name = checked.name
    version.content_type = checked.content_type
    version.size = checked.size
    version.file.save(checked.name, upload, save=False)


def _link_or_file(repository_url: str, upload: UploadedFile | None) -> None:
    if bool(repository_url) == bool(upload):
        raise ValidationError(
            _("Give either a repository link or a file for this version, not both nor neither."),
            code="link_or_file",
        )


@transaction.atomic
def add_deliverable(
    intervention: Intervention,
    deliverable: Deliverable,
    *,
    version_label: str,
    notes: str = "",
    repository_url: str = "",
    upload: UploadedFile | None = None,
    by: User,
) -> Deliverable:
    """Save a new deliverable with its first version; nothing is saved if anything is wrong."""
    _link_or_file(repository_url, upload)
    deliverable.intervention = intervention
    deliverable.created_by = by
    deliverable.full_clean()
    version = DeliverableVersion(
        label=version_label, notes=notes, repository_url=repository_url, created_by=by
    )
    version.full_clean(exclude=["deliverable", "file"])
    deliverable.save()
    version.deliverable = deliverable
    _attach(version, upload)
    version.save()
    return deliverable


@transaction.atomic
def add_version(
    deliverable: Deliverable,
    *,
    label: str,
    notes: str = "",
    repository_url: str = "",
    upload: UploadedFile | None = None,
    by: User,
) -> DeliverableVersion:
    """Release a new version of a deliverable: a new link or file, earlier ones kept."""
    _link_or_file(repository_url, upload)
    version = DeliverableVersion(
        deliverable=deliverable,
        label=label,
        notes=notes,
        repository_url=repository_url,
        created_by=by,
    )
    version.full_clean(exclude=["file"])
    _attach(version, upload)
    version.save()
    return version


@transaction.atomic
def declare_reuse(
    deliverable: Deliverable,
    *,
    institution: Institution | None,
    library_name: str,
    contact_email: str,
) -> Reuse:
    """A library says it uses a public deliverable too; the team confirms it later."""
    if not Deliverable.objects.public().filter(pk=deliverable.pk).exists():
        raise ValidationError(_("This deliverable is not offered for reuse."), code="not_public")
    reuse = Reuse(
        deliverable=deliverable,
        institution=institution,
        library_name="" if institution else library_name.strip(),
        contact_email=contact_email,
    )
    if institution is None and not reuse.library_name:
        raise ValidationError(
            _("Choose your library from the list or write its name."), code="no_library"
        )
    reuse.full_clean()
    reuse.save()
    return reuse


@transaction.atomic
def confirm_reuse(reuse: Reuse, *, by: User) -> Reuse:
    """The team confirms a declared reuse; from then on it is shown publicly."""
    reuse = Reuse.objects.select_for_update().get(pk=reuse.pk)
    if reuse.confirmed_at is None:
        reuse.confirmed_at = timezone.now()
        reuse.confirmed_by = by
        reuse.save(update_fields=["confirmed_at", "confirmed_by"])
    return reuse


# The way a case study names a library it must not name: its kind, then its region.
ANONYMOUS_KINDS: dict[str, Promise] = {
    Institution.Kind.MUNICIPAL: gettext_lazy("a municipal library"),
    Institution.Kind.MUNICIPAL_CLASSIFIED: gettext_lazy("a classified municipal library"),
    Institution.Kind.BMVR: gettext_lazy("a regional-scale municipal library"),
    Institution.Kind.INTERCOMMUNAL: gettext_lazy("an intercommunal library network"),
    Institution.Kind.NETWORK_HEAD: gettext_lazy("a network head library"),
    Institution.Kind.DEPARTMENTAL: gettext_lazy("a departmental library"),
    Institution.Kind.UNIVERSITY: gettext_lazy("a university library"),
    Institution.Kind.SPECIALISED: gettext_lazy("a specialised library"),
    Institution.Kind.READING_POINT: gettext_lazy("a reading point"),
    Institution.Kind.OTHER: gettext_lazy("a library"),
}
# French region names that take "du" or "des" rather than "de"/"d'".
FRENCH_ARTICLES = {"Grand Est": "du", "Centre-Val de Loire": "du"}
FRENCH_PLURALS = ("Hauts-de-France", "Pays de la Loire")


def _from_region(name: str) -> str:
    """ "de Bretagne", "d'Occitanie", "du Grand Est" in French; "in Bretagne" otherwise."""
    if not (translation.get_language() or "fr").startswith("fr"):
        return _("in %(region)s") % {"region": name}
    if name in FRENCH_ARTICLES:
        return f"{FRENCH_ARTICLES[name]} {name}"
    if name in FRENCH_PLURALS:
        return f"des {name}"
    if name[:1].upper() in "AEIOUYÎÉ":
        return f"d’{name}"  # noqa: RUF001 - French typographic apostrophe
    return f"de {name}"


def anonymous_library(institution: Institution) -> str:
    """ "une bibliothèque municipale de Bretagne": the kind and the region, nothing else."""
    kind = str(ANONYMOUS_KINDS.get(institution.kind, ANONYMOUS_KINDS[Institution.Kind.OTHER]))
    region = institution.region_name
    return f"{kind} {_from_region(region)}" if region else kind


class CaseStudyRefused(Exception):
    """A case study that cannot be drafted or published; its message is for the user."""


def _survey(intervention: Intervention):
    try:
        return intervention.survey
    except ObjectDoesNotExist:
        return None


def _markdown_line(text: str) -> str:
    return " ".join(text.split())


def case_study_text(intervention: Intervention, *, anonymise: bool) -> tuple[str, str]:
    """The draft's title and Markdown body, from the request, decision, deliverables, transfer."""
    from g2id.positioning.models import Decision, Outcome

    request = intervention.request
    institution = request.institution
    library = anonymous_library(institution) if anonymise else str(institution)
    # gettext calls stay outside the f-strings: makemessages cannot see into them.
    need, systems = _("The library and its need"), _("Systems")
    why, delivered = _("Why the cell took it on"), _("What was delivered")
    domains_label, taught = _("Domains"), _("What was taught")
    sections = [
        f"## {need}",
        _("This intervention was asked for by %(library)s.") % {"library": library},
        request.description.strip(),
    ]
    domains = ", ".join(domain.label for domain in request.domains.all())
    if domains:
        sections.append(f"**{domains_label}** : {domains}")
    if request.systems:
        sections.append(f"**{systems}** : {_markdown_line(request.systems)}")
    decision = (
        Decision.objects.filter(request=request, outcome=Outcome.ACCEPTED)
        .order_by("-decided_at")
        .first()
    )
    if decision is not None:
        sections += [f"## {why}", decision.rationale.strip()]
    deliverables = list(intervention.deliverables.all())
    if deliverables:
        sections.append(f"## {delivered}")
        sections.append(
            "\n".join(
                f"- {_markdown_line(d.title)} ({d.get_type_display()}, {d.licence})"
                for d in deliverables
            )
        )
    try:
        transfer = intervention.transfer_record
    except ObjectDoesNotExist:
        transfer = None
    if transfer is not None:
        sections += [
            f"## {taught}",
            transfer.what_taught.strip(),
            _("To: %(roles)s.") % {"roles": _markdown_line(transfer.taught_to)},
        ]
        if transfer.how:
            sections.append(transfer.how.strip())
    if anonymise:
        sections = [_strip_names(section, institution, request) for section in sections]
    return request.title if not anonymise else _strip_names(request.title, institution, request), (
        "\n\n".join(section for section in sections if section)
    )


def _strip_names(text: str, institution: Institution, request) -> str:
    """Take the library's name, city and contact out of a text the library wrote."""
    for secret in (
        institution.name,
        institution.city,
        request.contact_name,
        request.contact_email,
        request.contact_phone,
    ):
        if secret and len(secret.strip()) > 1:
            text = _replace_casefold(text, secret.strip(), "[…]")
    return text


def _replace_casefold(text: str, secret: str, by: str) -> str:
    lowered, needle = text.casefold(), secret.casefold()
    if len(lowered) != len(text):  # casefold changed the length: exact matches only
        return text.replace(secret, by)
    parts, start = [], 0
    while (found := lowered.find(needle, start)) != -1:
        parts += [text[start:found], by]
        start = found + len(needle)
    return "".join([*parts, text[start:]])


@transaction.atomic
def draft_case_study(intervention: Intervention) -> CaseStudy:
    """The intervention's case study, drafted once the library consented in its survey.

    A draft that exists already is returned as it is: the lead's edits are kept.
    """
    survey = _survey(intervention)
    if survey is None or not survey.consent_case_study:
        raise CaseStudyRefused(
            _("The library has not agreed to a case study in its survey: none can be written.")
        )
    existing = CaseStudy.objects.select_for_update().filter(intervention=intervention).first()
    if existing is not None:
        return existing
    title, body = case_study_text(intervention, anonymise=survey.anonymise)
    return CaseStudy.objects.create(
        intervention=intervention, title=title[:200], body=body, anonymised=survey.anonymise
    )


def may_edit_case_study(case_study: CaseStudy, user: User) -> bool:
    return user.is_superuser or case_study.intervention.lead_id == user.pk


@transaction.atomic
def publish_case_study(case_study: CaseStudy, *, by: User) -> CaseStudy:
    """The lead publishes the reviewed case study on /realisations/."""
    if not may_edit_case_study(case_study, by):
        raise PermissionDenied(_("Only the intervention's lead may publish its case study."))
    survey = _survey(case_study.intervention)
    if survey is None or not survey.consent_case_study:
        raise CaseStudyRefused(_("The library no longer agrees to a case study."))
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if case_study.published_at is None:
        case_study.published_at = timezone.now()
        case_study.save(update_fields=["published_at", "updated_at"])
    return case_study


@transaction.atomic
def unpublish_case_study(case_study: CaseStudy, *, by: User) -> CaseStudy:
    if not may_edit_case_study(case_study, by):
        raise PermissionDenied(_("Only the intervention's lead may withdraw its case study."))
    case_study.published_at = None
    case_study.save(update_fields=["published_at", "updated_at"])
    return case_study
