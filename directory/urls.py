from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from directory.sitemaps import SITEMAPS
from resources.api.views import docs as api_docs
from resources.views.catalogue import robots_txt

# A database that cannot be reached is a 503 within seconds, not a 500 (directory/errors.py).
handler500 = "directory.errors.server_error"

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
    path("", include("resources.urls")),
]
