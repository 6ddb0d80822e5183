"""The Term admin with its merge action. Merging retags resources, so the action is added here,
on the resources side: taxonomy's own TermAdmin knows nothing of resources, and this one takes
its place in the admin."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse

from resources.curation.merging import (
    MERGE_PERMISSIONS,
    MergeRefused,
    check_one_vocabulary,
    merge_terms,
)
from taxonomy import admin as taxonomy_admin
from taxonomy.models import Term

admin.site.unregister(Term)


@admin.register(Term)
class TermAdmin(taxonomy_admin.TermAdmin):
    actions = ["merge_selected"]

    @admin.action(description="Merge selected terms into…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Ask which term survives (showing each one's resources), then merge the others into it."""
        terms = list(queryset)
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
