from django.urls import path, re_path

from resources import views
from resources.feeds import ViewFeed

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/", views.resource_list, name="list"),
    # Before the resource pages: these names are reserved as slugs (models.RESERVED_SLUGS).
    path("resources/feed/", ViewFeed(), name="feed"),
    re_path(r"^resources/export\.(?P<format>csv|ris|bib)$", views.resource_export, name="export"),
    path("resources/reading-list/", views.reading_list, name="reading-list"),
    path("resources/embed/", views.embed, name="embed"),
    path("resources/<slug:slug>/", views.resource_detail, name="detail"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
