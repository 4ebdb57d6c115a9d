from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from g2id.weekly import services
from g2id.weekly.models import WeeklyPoint, WeeklyPointSettings


@admin.register(WeeklyPointSettings)
class WeeklyPointSettingsAdmin(admin.ModelAdmin):
    list_display = ["cell", "weekday", "time", "chat_kind", "email_members", "updated_at"]
    list_filter = ["chat_kind", "weekday"]


@admin.register(WeeklyPoint)
class WeeklyPointAdmin(admin.ModelAdmin):
    list_display = ["cell", "week", "status", "attempts", "posted_at", "last_error"]
    list_filter = ["status", "cell"]
    search_fields = ["week", "cell__name"]
    readonly_fields = [f.name for f in WeeklyPoint._meta.fields]
    list_select_related = ["cell"]
    actions = ["post_again"]

    @admin.action(description=_("Post again"))
    def post_again(self, request, queryset):
        count = services.post_again(queryset)
        self.message_user(
            request,
            ngettext("%d point queued again.", "%d points queued again.", count) % count,
            messages.SUCCESS,
        )
