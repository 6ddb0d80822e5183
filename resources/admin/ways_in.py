"""Ways in by role in the admin: a role's page, its introduction, and its "start here" picks in
order (a resource found by typing its title; a position for each)."""

from django.contrib import admin
from django.db.models import Count

from resources.models import ResourceStatus, WayIn, WayInPick
from taxonomy.admin_conflicts import RefuseSavingOverNewer
from taxonomy.admin_history import HistoryAdmin

PICKS_CHANGED = "Changed the start-here picks"


class WayInPickInline(admin.TabularInline):
    model = WayInPick
    fields = ["position", "resource", "shown"]
    readonly_fields = ["shown"]
    autocomplete_fields = ["resource"]
    ordering = ["position", "pk"]
    extra = 1
    verbose_name_plural = "Start-here picks (listed by position, lowest first)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resource")

    @admin.display(description="On the page")
    def shown(self, pick):
        if pick.pk is None:
            return "–"
        if pick.resource.status == ResourceStatus.PUBLISHED:
            return "Shown"
        return f"Not shown: {pick.resource.get_status_display().lower()}"


@admin.register(WayIn)
class WayInAdmin(RefuseSavingOverNewer, HistoryAdmin):
    """One page per role at /for/<slug>/: published pages are listed under "Ways in by role"."""

    list_display = ["term", "is_published", "pick_count", "updated_at"]
    list_filter = ["is_published"]
    list_select_related = ["term__vocabulary"]
    search_fields = ["term__name", "introduction"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["term", "is_published", "introduction"]}),
        ("Provenance", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [WayInPickInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(pick_count=Count("picks"))
        return queryset.order_by("term__position", "term__name")

    @admin.display(description="Picks", ordering="pick_count")
    def pick_count(self, way_in):
        return way_in.pick_count

    def save_related(self, request, form, formsets, change):
        """Picks changed with no change to the page itself: its History says so."""
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            latest = form.instance.history.first()
            if latest is not None and not latest.history_change_reason:
                latest.history_change_reason = PICKS_CHANGED
                latest.save(update_fields=["history_change_reason"])
