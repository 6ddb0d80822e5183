"""The admin's Insights page (/admin/insights/): what people looked for and missed, for
curators with the view_insights permission (both curator groups have it)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from resources.finder import whole_number
from resources.insights.report import PERIODS, Report


@require_safe
def insights_page(request):
    if not request.user.has_perm("resources.view_insights"):
        raise PermissionDenied
    report = Report(whole_number(request.GET.get("weeks", "")))
    context = {
        **admin.site.each_context(request),
        "title": "Insights: what people look for",
        "report": report,
        "periods": PERIODS.items(),
        "minimum": report.minimum,
    }
    return TemplateResponse(request, "admin/insights.html", context)
