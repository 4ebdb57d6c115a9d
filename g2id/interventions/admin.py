from django.contrib import admin

from g2id.interventions.models import ImpactCheck, Intervention, Participation, Survey


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["request", "lead", "mode", "planned_start", "planned_end", "closed_at"]
    list_filter = ["mode", "request__status"]
    search_fields = ["request__reference", "request__title"]
    raw_id_fields = ["request", "lead"]
    # The state moves only through the services: nothing here changes it.
    readonly_fields = ["closed_at"]
    inlines = [ParticipationInline]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["intervention", "score", "would_recommend", "consent_case_study", "answered_at"]
    readonly_fields = ["intervention", "sent_at", "expires_at", "answered_at"]
    exclude = ["selector", "token"]


@admin.register(ImpactCheck)
class ImpactCheckAdmin(admin.ModelAdmin):
    list_display = ["intervention", "still_in_use", "sent_at", "answered_at"]
    readonly_fields = ["intervention", "sent_at", "expires_at", "answered_at"]
    exclude = ["selector", "token"]
