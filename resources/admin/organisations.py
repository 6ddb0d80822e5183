"""Organisations in the admin: their lineage, and how many resources each publishes."""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from resources.models import Organisation
from taxonomy.admin_conflicts import RefuseSavingOverNewer
from taxonomy.admin_history import HistoryAdmin
from taxonomy.admin_mixins import RefuseDeletingInUse


@admin.register(Organisation)
class OrganisationAdmin(RefuseSavingOverNewer, RefuseDeletingInUse, HistoryAdmin):
    list_display = ["name", "acronym", "kind", "succeeded_by", "resource_count"]
    list_filter = ["kind"]
    list_select_related = ["succeeded_by"]
    search_fields = ["name", "acronym", "description"]
    autocomplete_fields = ["succeeded_by", "further_successors"]
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "acronym", "kind", "website", "description"]},
        ),
        ("Lineage", {"fields": ["succeeded_by", "further_successors", "succeeded_on"]}),
        ("Provenance", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(resource_count=Count("resources")).order_by("name")

    @admin.display(description="Resources", ordering="resource_count")
    def resource_count(self, organisation):
        return organisation.resource_count

    def in_use(self, organisation):
        for resource in organisation.partner_resources.all():
            yield f"{resource} (partner: {organisation})"
