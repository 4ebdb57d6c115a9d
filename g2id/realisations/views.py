"""Deliverables and case studies: the team's pages, then the public realisations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from g2id.institutions.models import TechnicalProfile
from g2id.interventions.models import Intervention
from g2id.lib.http import TeamRequest
from g2id.public.cache import cached_page
from g2id.realisations.forms import (
    CaseStudyForm,
    DeliverableForm,
    RealisationFilterForm,
    ReuseForm,
    VersionForm,
)
from g2id.realisations.models import (
    CaseStudy,
    Deliverable,
    DeliverableVersion,
    Reuse,
    team_interventions,
)
from g2id.realisations.services import (
    CaseStudyRefused,
    add_deliverable,
    add_version,
    confirm_reuse,
    declare_reuse,
    draft_case_study,
    may_edit_case_study,
    publish_case_study,
    unpublish_case_study,
)

PAGE_SIZE = 20


def intervention_for(user: Any, reference: str) -> Intervention:
    """The intervention of this request reference, if the user works on it; a 404 otherwise."""
    return get_object_or_404(
        Intervention.objects.select_related("request__institution", "request__cell"),
        pk__in=team_interventions(user).values("pk"),
        request__reference=reference,
    )


def _with_versions(deliverables: QuerySet[Deliverable]) -> QuerySet[Deliverable]:
    return deliverables.prefetch_related(
        Prefetch("versions", queryset=DeliverableVersion.objects.order_by("-created_at", "-id"))
    )


# Team pages ---------------------------------------------------------------------------------


@login_required
@require_GET
def deliverables(request: TeamRequest, reference: str) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    found = _with_versions(intervention.deliverables.all()).prefetch_related(
        Prefetch("reuses", queryset=Reuse.objects.select_related("institution"))
    )
    case_study = CaseStudy.objects.filter(intervention=intervention).first()
    try:
        survey = intervention.survey
    except ObjectDoesNotExist:
        survey = None
    return render(
        request,
        "realisations/team_deliverables.html",
        {
            "intervention": intervention,
            "deliverables": found,
            "case_study": case_study,
            "consented": survey is not None and survey.consent_case_study,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add(request: TeamRequest, reference: str) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    form = DeliverableForm(request.POST or None)
    version_form = VersionForm(request.POST or None, request.FILES or None, prefix="version")
    if request.method == "POST" and form.is_valid() and version_form.is_valid():
        data = version_form.cleaned_data
        try:
            add_deliverable(
                intervention,
                form.save(commit=False),
                version_label=data["label"],
                notes=data["notes"],
                repository_url=data["repository_url"],
                upload=data.get("upload"),
                by=request.user,
            )
        except ValidationError as error:
            version_form.add_error(None, error)
        else:
            messages.success(request, _("The deliverable was added."))
            return redirect("realisations:team_deliverables", reference)
    return render(
        request,
        "realisations/deliverable_form.html",
        {"intervention": intervention, "form": form, "version_form": version_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: TeamRequest, reference: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    deliverable = get_object_or_404(intervention.deliverables, pk=pk)
    form = DeliverableForm(request.POST or None, instance=deliverable)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The deliverable was saved."))
        return redirect("realisations:team_deliverables", reference)
    return render(
        request,
        "realisations/deliverable_form.html",
        {"intervention": intervention, "form": form, "deliverable": deliverable},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_version(request: TeamRequest, reference: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, reference)
    deliverable = get_object_or_404(intervention.deliverables, pk=pk)
    form = VersionForm(request.POST or None, request.FILES or None, prefix="version")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_version(
                deliverable,
                label=data["label"],
                notes=data["notes"],
                repository_url=data["repository_url"],
                upload=data.get("upload"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new version was added."))
            return redirect("realisations:team_deliverables", reference)
    return render(
        request,
        "realisations/version_form.html",
        {"intervention": intervention, "deliverable": deliverable, "version_form": form},
    )


@login_required
@require_GET
def team_file(request: TeamRequest, reference: str, pk: int, version_id: int) -> FileResponse:
    intervention = intervention_for(request.user, reference)
    version = get_object_or_404(
        DeliverableVersion.objects.exclude(file=""),
        pk=version_id,
        deliverable__pk=pk,
        deliverable__intervention=intervention,
    )
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def case_study(request: TeamRequest, reference: str) -> HttpResponse:
    """Draft (any member), then review, edit and publish (the lead) the case study."""
    intervention = intervention_for(request.user, reference)
    found = CaseStudy.objects.filter(intervention=intervention).first()
    if request.method == "POST" and request.POST.get("action") == "draft":
        try:
            draft_case_study(intervention)
        except CaseStudyRefused as refusal:
            messages.error(request, str(refusal))
        return redirect("realisations:case_study_edit", reference)
    if found is None:
        return redirect("realisations:team_deliverables", reference)
    editable = may_edit_case_study(found, request.user)
    form = CaseStudyForm(request.POST or None, instance=found)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "unpublish":
                unpublish_case_study(found, by=request.user)
                messages.success(request, _("The case study was withdrawn from the public site."))
                return redirect("realisations:case_study_edit", reference)
            if form.is_valid():
                form.save()
                if action == "publish":
                    publish_case_study(found, by=request.user)
                    messages.success(request, _("The case study is published."))
                else:
                    messages.success(request, _("The case study was saved."))
                return redirect("realisations:case_study_edit", reference)
        except CaseStudyRefused as refusal:
            messages.error(request, str(refusal))
    return render(
        request,
        "realisations/case_study_form.html",
        {"intervention": intervention, "case_study": found, "form": form, "editable": editable},
    )


@login_required
@require_GET
def register(request: TeamRequest) -> HttpResponse:
    """Every deliverable of the user's interventions, with versions and reuses."""
    found = _with_versions(
        Deliverable.objects.visible_to(request.user).select_related(
            "intervention__request__institution"
        )
    ).prefetch_related(Prefetch("reuses", queryset=Reuse.objects.select_related("institution")))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "realisations/register.html", {"page": page})


@login_required
@require_POST
def confirm(request: TeamRequest, reuse_id: int) -> HttpResponse:
    reuse = get_object_or_404(
        Reuse, pk=reuse_id, deliverable__in=Deliverable.objects.visible_to(request.user)
    )
    confirm_reuse(reuse, by=request.user)
    messages.success(request, _("The reuse is confirmed and shown publicly."))
    return redirect("realisations:register")


# Public pages -------------------------------------------------------------------------------


def _system_filter(prefix: str, system: str) -> Q:
    """Interventions for a library running this ILS, from its profile or the request's words."""
    label = TechnicalProfile.Ils(system).label
    return Q(**{f"{prefix}request__institution__technical_profile__ils": system}) | Q(
        **{f"{prefix}request__systems__icontains": label}
    )


def filtered_realisations(
    data: dict[str, Any],
) -> tuple[QuerySet[CaseStudy], QuerySet[Deliverable]]:
    """The published case studies and public deliverables matching the filters."""
    studies = CaseStudy.objects.published()
    public = Deliverable.objects.public()
    if query := data.get("q"):
        studies = studies.filter(Q(title__icontains=query) | Q(body__icontains=query))
        public = public.filter(Q(title__icontains=query) | Q(how_to__icontains=query))
    if domain := data.get("domain"):
        studies = studies.filter(intervention__request__domains=domain)
        public = public.filter(intervention__request__domains=domain)
    if kind := data.get("type"):
        studies = studies.filter(
            intervention__deliverables__in=Deliverable.objects.public().filter(type=kind)
        )
        public = public.filter(type=kind)
    if system := data.get("system"):
        studies = studies.filter(_system_filter("intervention__", system))
        public = public.filter(_system_filter("intervention__", system))
    return studies.distinct(), public.distinct()


def _page(items: QuerySet, number: str | None) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(number)


@require_GET
@cached_page
def index(request: HttpRequest) -> HttpResponse:
    form = RealisationFilterForm(request.GET or None)
    form.is_valid()
    # A bad value drops out of cleaned_data: that filter is ignored.
    studies, public = filtered_realisations(getattr(form, "cleaned_data", {}))
    studies_page = _page(studies.order_by("-published_at", "-id"), request.GET.get("etudes"))
    deliverables_page = _page(
        _with_versions(public).prefetch_related(
            Prefetch("reuses", queryset=Reuse.objects.confirmed().select_related("institution"))
        ),
        request.GET.get("livrables"),
    )
    query = request.GET.copy()
    query.pop("etudes", None)
    query.pop("livrables", None)
    return render(
        request,
        "realisations/index.html",
        {
            "form": form,
            "studies": studies_page,
            "deliverables": deliverables_page,
            "query": query.urlencode(),
        },
    )


def _published_case_study(pk: int) -> CaseStudy:
    return get_object_or_404(
        CaseStudy.objects.published().select_related("intervention__request"), pk=pk
    )


def _public_deliverable(pk: int) -> Deliverable:
    return get_object_or_404(
        _with_versions(Deliverable.objects.public()).prefetch_related(
            Prefetch("reuses", queryset=Reuse.objects.confirmed().select_related("institution"))
        ),
        pk=pk,
    )


@require_GET
@cached_page
def case_study_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = _published_case_study(pk)
    intervention = found.intervention
    try:
        impact = intervention.impact_check
    except ObjectDoesNotExist:
        impact = None
    return render(
        request,
        "realisations/case_study.html",
        {
            "case_study": found,
            "deliverables": _with_versions(
                Deliverable.objects.public().filter(intervention=intervention)
            ),
            "impact": impact if impact is not None and impact.is_answered else None,
        },
    )


@require_GET
@cached_page
def deliverable_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = _public_deliverable(pk)
    return render(
        request,
        "realisations/deliverable.html",
        {
            "deliverable": found,
            "case_study": CaseStudy.objects.published()
            .filter(intervention_id=found.intervention_id)
            .first(),
        },
    )


@require_GET
def public_file(request: HttpRequest, pk: int, version_id: int) -> FileResponse:
    version = get_object_or_404(
        DeliverableVersion.objects.exclude(file=""),
        pk=version_id,
        deliverable__in=Deliverable.objects.public().filter(pk=pk),
    )
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name)


@require_http_methods(["GET", "POST"])
def we_use_it(request: HttpRequest, pk: int) -> HttpResponse:
    """A library says it uses this deliverable too; the team confirms before it is shown."""
    found = get_object_or_404(Deliverable.objects.public(), pk=pk)
    form = ReuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        institution = form.known_institution()
        try:
            declare_reuse(
                found,
                institution=institution,
                library_name=form.cleaned_data["library"],
                contact_email=form.cleaned_data["contact_email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. The team will confirm your reuse before it is shown on this page."),
            )
            return redirect(found.get_absolute_url())
    return render(request, "realisations/we_use_it.html", {"deliverable": found, "form": form})
