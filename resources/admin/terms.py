"""The Term admin with its merge action and each term's resources. Merging retags resources and
counting reads the catalogue's kept counts, so both are added here, on the resources side:
taxonomy's own TermAdmin knows nothing of resources, and this one takes its place in the admin."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.template.response import TemplateResponse

from resources.curation.merging import (
    MERGE_PERMISSIONS,
    MergeRefused,
    check_one_vocabulary,
    merge_terms,
)
from resources.finder.catalogue_counts import term_sizes
from taxonomy import admin as taxonomy_admin
from taxonomy.models import Term

admin.site.unregister(Term)


class TermChangeList(ChangeList):
    """Each listed term's resources, read with one query from the kept term sizes: counting
    every term link on each request took most of the page's time at 100,000 resources."""

    def get_results(self, request):
        super().get_results(request)
        sizes = term_sizes()
        for term in self.result_list:
            term.resource_count = sizes.get(str(term.pk), 0)


@admin.register(Term)
class TermAdmin(taxonomy_admin.TermAdmin):
    list_display = [*taxonomy_admin.TermAdmin.list_display, "resource_count"]
    actions = ["merge_selected"]

    def get_changelist(self, request, **kwargs):
        return TermChangeList

    @admin.display(description="Resources")
    def resource_count(self, term):
        """Resources tagged with the term, drafts included (see TermChangeList). Not sortable:
        the counts are kept outside the table, which is what keeps the page quick."""
        return term.resource_count

    @admin.action(description="Merge selected terms into…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Ask which term survives (showing each one's resources), then merge the others into it."""
        terms = list(queryset)
        sizes = term_sizes()
        for term in terms:
            term.resource_count = sizes.get(str(term.pk), 0)
        if len(terms) < 2:
            self.message_user(request, "Choose two or more terms to merge.", messages.WARNING)
            return None
        try:
            check_one_vocabulary(terms)
        except MergeRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
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
