"""Ways in by role in the admin: a role's page, its introduction, and its "start here" picks in
order (a resource found by typing its title; a position for each)."""

from django.contrib import admin
from django.db.models import Count, Max

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

    def get_formset(self, request, obj=None, **kwargs):
        """A new pick goes to the end of the list unless the curator says otherwise."""
        formset = super().get_formset(request, obj, **kwargs)
        last = obj.picks.aggregate(last=Max("position"))["last"] if obj is not None else None
        formset.form.base_fields["position"].initial = (last or 0) + 1
        return formset

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

    list_display = ["role", "is_published", "pick_count", "updated_at"]
    list_filter = ["is_published"]
    list_select_related = ["term__vocabulary"]
    search_fields = ["term__name", "introduction"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["term", "is_published", "introduction"]}),
        ("Provenance", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [WayInPickInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The role is chosen from the audience terms; terms are edited in their own admin."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "term":
            for link in ["add", "change", "delete", "view"]:
                setattr(formfield.widget, f"can_{link}_related", False)
        return formfield

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(pick_count=Count("picks"))
        return queryset.order_by("term__position", "term__name")

    @admin.display(description="Role", ordering="term__position")
    def role(self, way_in):
        return way_in.term.name

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
