"""Kept copies of saved views in the admin: read-only, for support. People keep and delete their
copies on the site; a copy is a record of a day, so nobody edits it here. Its items are not
listed (a copy may hold thousands): its page on the site lists them, for the people who can open
its saved view."""

from django.contrib import admin

from resources.models import KeptCopy


@admin.register(KeptCopy)
class KeptCopyAdmin(admin.ModelAdmin):
    list_display = ["view_name", "number", "saved_view", "item_count", "created_by", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["saved_view", "created_by"]
    search_fields = ["view_name", "saved_view__name", "created_by__username"]
    fields = [
        "saved_view",
        "number",
        "view_name",
        "description",
        "query_string",
        "item_count",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
