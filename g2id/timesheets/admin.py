from django.contrib import admin

from g2id.timesheets.models import Referent, TimeEntry


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ["user", "institution"]
    search_fields = ["user__username", "user__last_name", "institution__name"]
    autocomplete_fields = ["user", "institution"]


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are logged by the members, under the rules of `log_time`."""

    list_display = ["date", "member", "minutes", "activity", "cell", "intervention", "cell_work"]
    list_filter = ["activity", "cell", "cell_work"]
    search_fields = ["member__username", "member__last_name", "intervention__request__reference"]
    date_hierarchy = "date"
    list_select_related = ["member", "cell", "intervention__request"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
