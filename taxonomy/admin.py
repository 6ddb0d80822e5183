from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from taxonomy.admin_conflicts import RefuseSavingOverNewer
from taxonomy.admin_history import HistoryAdmin
from taxonomy.admin_mixins import RefuseDeletingInUse
from taxonomy.models import Term, Vocabulary


@admin.register(Vocabulary)
class VocabularyAdmin(RefuseSavingOverNewer, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "term_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(term_count=Count("terms")).order_by("position")
        )

    def get_changelist_form(self, request, **kwargs):
        """Each row's position box named for its vocabulary: the column heading is no label."""
        form = super().get_changelist_form(request, **kwargs)

        class PositionForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                label = f"Position of {self.instance.name}"
                self.fields["position"].widget.attrs["aria-label"] = label

        return PositionForm

    @admin.display(description="Terms", ordering="term_count")
    def term_count(self, vocabulary):
        url = reverse("admin:taxonomy_term_changelist") + f"?vocabulary__id__exact={vocabulary.pk}"
        return format_html('<a href="{}">{}</a>', url, vocabulary.term_count)


@admin.register(Term)
class TermAdmin(RefuseSavingOverNewer, RefuseDeletingInUse, HistoryAdmin):
    list_display = ["name", "vocabulary", "parent", "position"]
    list_filter = ["vocabulary"]
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

    def get_queryset(self, request):
        """Each term with its vocabulary and its parent's, in one query. Not list_select_related:
        the change list ignores it when the queryset already selects something, as the terms'
        manager does (their vocabulary), and each row's parent then cost two queries."""
        queryset = super().get_queryset(request).select_related("vocabulary", "parent__vocabulary")
        return queryset.order_by("vocabulary__position", "position", "name")

    def in_use(self, term):
        for resource in term.resources.all():
            yield f"{resource} (tagged “{term.name}”)"
