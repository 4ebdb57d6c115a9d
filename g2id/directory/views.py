"""The public partner directory."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from g2id.directory.forms import PartnerFilterForm
from g2id.directory.models import Partner
from g2id.public.cache import cached_page

PAGE_SIZE = 25


@require_GET
@cached_page
def index(request: HttpRequest) -> HttpResponse:
    """The active partners, filtered by speciality, region and name."""
    form = PartnerFilterForm(request.GET or None)
    form.is_valid()
    # A bad value (unknown code or region) drops out of cleaned_data: that filter is ignored.
    data = getattr(form, "cleaned_data", {})
    partners = Partner.objects.listed().search(data.get("q") or "")
    if data.get("speciality"):
        partners = partners.filter(specialities=data["speciality"])
    if data.get("region"):
        partners = partners.serving(data["region"])
    partners = partners.prefetch_related("specialities")
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "directory/index.html", {"form": form, "page": page, "query": query.urlencode()}
    )
