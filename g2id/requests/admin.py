from django.contrib import admin

from g2id.requests.models import Attachment, Message, Request, RequestEvent


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "from_status",
        "to_status",
        "actor_party",
        "actor_user",
        "reason",
        "created_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False  # history is written by the lifecycle only


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "institution", "cell", "status", "submitted_at"]
    list_filter = ["status", "kind", "cell"]
    search_fields = ["reference", "title", "contact_email", "institution__name"]
    readonly_fields = ["reference", "status", "tracking_selector", "tracking_token", "submitted_at"]
    autocomplete_fields = ["institution"]
    filter_horizontal = ["domains"]
    inlines = [RequestEventInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["request", "author_party", "author", "is_internal", "created_at"]
    list_filter = ["author_party", "is_internal"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "request", "content_type", "size", "created_at"]
