"""Email alerts in the admin: read-only, for support (people manage their own on the site)."""

from django.contrib import admin

from resources.models import AlertEmail, AlertSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["user", "saved_view", "frequency", "created_at", "last_sent_at"]
    list_filter = ["frequency"]
    list_select_related = ["user", "saved_view"]
    search_fields = ["user__username", "user__email", "saved_view__name"]


@admin.register(AlertEmail)
class AlertEmailAdmin(ReadOnlyAdmin):
    """What `send_alerts` wrote and sent: one row per subscription and day (or week)."""

    list_display = ["subscription", "period", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["subscription__user", "subscription__saved_view"]
    search_fields = ["subscription__user__username", "subscription__saved_view__name", "message_id"]
