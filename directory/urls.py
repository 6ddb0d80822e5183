from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from directory.sitemaps import SITEMAPS
from resources.api.views import docs as api_docs
from resources.views.catalogue import favicon, robots_txt

admin.site.site_header = "Health Inequalities Resource Directory"
admin.site.site_title = "Resource Directory admin"
admin.site.index_title = "Curate the catalogue"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("topics/", include("resources.topic_urls")),
    path("api/", api_docs, name="api-docs"),
    path("api/v1/", include("resources.api.urls")),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("", include("resources.urls")),
]
