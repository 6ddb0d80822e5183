from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from directory.accounts import PasswordResetView
from directory.sitemaps import SITEMAPS
from resources.api.views import docs as api_docs
from resources.api.views import no_such_endpoint as no_such_api_endpoint
from resources.insights.page import insights_page
from resources.views.catalogue import favicon, robots_txt

# A database that cannot be reached is a 503 within seconds, not a 500 (directory/errors.py).
handler500 = "directory.errors.server_error"

admin.site.site_header = "Health Inequalities Resource Directory"
admin.site.site_title = "Resource Directory admin"
admin.site.index_title = "Curate the catalogue"
# No app list down the side of every admin page: at a desk's width (1280 px) it took the room
# a change list needs. The admin's home page, reached from the breadcrumbs, lists every model.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    # Staff only (admin_view sends anyone else to sign in), then the view_insights permission.
    path("admin/insights/", admin.site.admin_view(insights_page), name="insights"),
    path("admin/", admin.site.urls),
    # Ahead of django.contrib.auth's own: limited, and as fast for a known address as not.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("topics/", include("resources.topic_urls")),
    path("api/", api_docs, name="api-docs"),
    path("api/v1/", include("resources.api.urls")),
    re_path(r"^api/(?P<path>(?s:.+))$", no_such_api_endpoint),  # JSON 404s under /api/ too
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
