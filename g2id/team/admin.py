from django.contrib import admin

from g2id.team.models import Cell, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "home_institution"]


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin):
    list_display = ["name", "speciality", "region", "positioning_target_days"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
