from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from taxonomy.actions import MERGE_PERMISSIONS, MergeRefused, merge_terms
from taxonomy.admin_mixins import RefuseDeletingInUse
from taxonomy.models import Term, Vocabulary


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "term_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(term_count=Count("terms")).order_by("position")
        )

    @admin.display(description="Terms", ordering="term_count")
    def term_count(self, vocabulary):
        url = reverse("admin:taxonomy_term_changelist") + f"?vocabulary__id__exact={vocabulary.pk}"
        return format_html('<a href="{}">{}</a>', url, vocabulary.term_count)


@admin.register(Term)
class TermAdmin(RefuseDeletingInUse, SimpleHistoryAdmin):
    list_display = ["name", "vocabulary", "parent", "position", "resource_count"]
    list_filter = ["vocabulary"]
    list_select_related = ["vocabulary", "parent__vocabulary"]
    search_fields = ["name", "slug", "synonyms", "vocabulary__name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ("name",)}
    fields = [
        "vocabulary",
        "name",
        "slug",
        "definition",
        "synonyms",
        "parent",
        "position",
    ]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(resource_count=Count("resources"))
        return queryset.order_by("vocabulary__position", "position", "name")

    @admin.display(description="Resources", ordering="resource_count")
    def resource_count(self, term):
        return term.resource_count

    def in_use(self, term):
        for resource in term.resources.all():
            yield f"{resource} (tagged “{term.name}”)"

    @admin.action(description="Merge selected terms into…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Ask which term survives (showing each one's resources), then merge the others into it."""
        terms = list(queryset)
        if len(terms) < 2:
            self.message_user(request, "Choose two or more terms to merge.", messages.WARNING)
            return None
        vocabularies = sorted({term.vocabulary.name for term in terms})
        if len(vocabularies) > 1:
            self.message_user(
                request,
                "Only terms of the same vocabulary can be merged; these come from "
                + " and ".join(vocabularies)
                + ".",
                messages.ERROR,
            )
            return None
        chosen = request.POST.get("survivor", "")
        survivor = next((term for term in terms if str(term.pk) == chosen), None)
        if survivor is not None and "confirm" in request.POST:
            others = [term for term in terms if term.pk != survivor.pk]
            try:
                report = merge_terms(survivor, others, by=request.user)
            except MergeRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, str(report), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge terms",
            "opts": self.model._meta,
            "terms": terms,
            "vocabulary": terms[0].vocabulary,
            "survivor": survivor,
            "error": "Choose the term that stays." if "confirm" in request.POST else "",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/taxonomy/term/merge.html", context)

    def has_merge_permission(self, request):
        return all(request.user.has_perm(name) for name in MERGE_PERMISSIONS)
