"""Teams and saved views in the admin."""

from django.contrib import admin
from django.db.models import Count

from resources.models import SavedView, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Teams share saved views. Add people here; a person may be in several teams."""

    list_display = ["name", "member_count", "created_at"]
    search_fields = ["name", "description", "members__username", "members__last_name"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["members"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team):
        return team.member_count


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    """For support: people manage their own views on the site; staff can see and tidy them."""

    list_display = ["name", "team", "owner", "updated_at"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["team", "owner"]
    search_fields = ["name", "description", "owner__username"]
    autocomplete_fields = ["team"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
