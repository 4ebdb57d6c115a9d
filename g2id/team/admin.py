from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from g2id.team import governance
from g2id.team.models import Cell, Membership, Skill


class MembershipAdminForm(forms.ModelForm):
    """Operators edit memberships under the same 5x5 rules as the coordinators."""

    class Meta:
        model = Membership
        fields = ["cell", "person", "role", "home_institution", "share_percent", "start_date",
                  "planned_end_date", "end_date"]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        cell, person, start = data.get("cell"), data.get("person"), data.get("start_date")
        if cell and person and start:
            # A ValidationError keyed by field lands on that field of the admin form.
            governance.check_membership_rules(
                cell=cell,
                person=person,
                start=start,
                last_day=data.get("end_date") or data.get("planned_end_date"),
                exclude=self.instance,
            )
        return data


class MembershipInline(admin.TabularInline):
    """The cell's memberships at a glance; they are changed one by one, under the rules."""

    model = Membership
    extra = 0
    readonly_fields = ["person", "role", "home_institution", "share_percent", "start_date",
                       "planned_end_date", "end_date"]  # fmt: skip
    fields = tuple(readonly_fields)
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin):
    list_display = ["name", "speciality", "region", "member_cap", "term_cap_years",
                    "positioning_target_days"]  # fmt: skip
    search_fields = ["name", "speciality"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["person", "cell", "role", "home_institution", "share_percent", "start_date",
                    "planned_end_date", "end_date"]  # fmt: skip
    list_filter = ["cell", "role", ("end_date", admin.EmptyFieldListFilter), "start_date"]
    list_select_related = ["person", "cell", "home_institution"]
    search_fields = ["person__username", "person__first_name", "person__last_name",
                     "person__email", "cell__name", "home_institution__name",
                     "home_institution__isil"]  # fmt: skip
    autocomplete_fields = ["person", "home_institution"]
    date_hierarchy = "start_date"


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["person", "domain", "level"]
    list_filter = ["level", "domain__family"]
    list_select_related = ["person", "domain"]
    search_fields = ["person__username", "person__first_name", "person__last_name",
                     "domain__code", "domain__label_fr", "domain__label_en"]  # fmt: skip
    autocomplete_fields = ["person", "domain"]
