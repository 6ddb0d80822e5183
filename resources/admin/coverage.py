"""The coverage page: for each vocabulary, its terms by type of resource."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from resources.curation.coverage import coverage


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
        """For each vocabulary, its terms by type of resource: where the catalogue has gaps."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Coverage of the published catalogue",
            "opts": self.model._meta,
            "coverage": coverage(),
        }
        return TemplateResponse(request, "admin/resources/resource/coverage.html", context)
