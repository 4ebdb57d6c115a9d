from django.contrib import admin

from g2id.institutions.models import Institution


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "isil", "city", "postcode", "department", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "isil", "city", "postcode"]
    readonly_fields = ["department", "region", "created_at"]
