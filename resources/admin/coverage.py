"""The coverage page: for each vocabulary, its terms by type of resource."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path

from resources.curation.coverage import coverage, keep_coverage


class CoverageView:
    """Admin mixin: /admin/resources/resource/coverage/, for anyone who may view resources."""

    def get_urls(self):
        coverage_url = path(
            "coverage/",
            self.admin_site.admin_view(self.coverage_view),
            name="resources_resource_coverage",
        )
        return [coverage_url, *super().get_urls()]

    def coverage_view(self, request):
        """For each vocabulary, its terms by type of resource: where the catalogue has gaps. A
        POST counts again now (the page may show counts made before the latest changes)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            keep_coverage()
            messages.success(request, "Counted again: these counts include every change so far.")
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Coverage of the published catalogue",
            "opts": self.model._meta,
            "coverage": coverage(),
        }
        return TemplateResponse(request, "admin/resources/resource/coverage.html", context)
