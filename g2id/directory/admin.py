from __future__ import annotations

import io

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from g2id.directory.csv_io import export_partners
from g2id.directory.models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "active"]
    list_filter = ["kind", "region", "active"]
    search_fields = ["name", "code", "when_to_refer", "notes"]
    filter_horizontal = ["specialities"]
    actions = ["export_as_csv"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Export selected as CSV"))
    def export_as_csv(self, request: HttpRequest, queryset: QuerySet[Partner]) -> HttpResponse:
        buffer = io.StringIO()
        export_partners(
            queryset.prefetch_related("specialities").order_by("code", "region"), buffer
        )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="partners.csv"'
        return response
