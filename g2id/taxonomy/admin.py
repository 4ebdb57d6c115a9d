from django.contrib import admin

from g2id.taxonomy.models import Domain, DomainFamily


@admin.register(DomainFamily)
class DomainFamilyAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en"]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "family", "label_fr", "label_en"]
    list_filter = ["family"]
    search_fields = ["code", "label_fr", "label_en"]
