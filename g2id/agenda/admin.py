from __future__ import annotations

from django.contrib import admin

from g2id.agenda.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cell", "person", "starts_at", "ends_at", "recurrence"]
    list_filter = ["kind", "recurrence", "cell"]
    search_fields = ["title", "person__username", "person__last_name"]
    list_select_related = ["cell", "person"]
    autocomplete_fields = ["person"]
    date_hierarchy = "starts_at"
