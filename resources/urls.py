from django.urls import path, re_path

from resources import views
from resources.feeds import ViewFeed

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/", views.resource_list, name="list"),
    # Before the resource pages: these names are reserved as slugs (resources.models.RESERVED_SLUGS).
    path("resources/feed/", ViewFeed(), name="feed"),
    re_path(r"^resources/export\.(?P<format>csv|ris|bib)$", views.resource_export, name="export"),
    path("resources/reading-list/", views.reading_list, name="reading-list"),
    path("resources/embed/", views.embed, name="embed"),
    path("resources/<slug:slug>/", views.resource_detail, name="detail"),
    path("resources/<slug:slug>/report/", views.resource_report, name="report"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/thanks/", views.suggest_thanks, name="suggest-thanks"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("saved/", views.saved_view_list, name="saved-views"),
    path("saved/new/", views.saved_view_new, name="saved-view-new"),
    path("saved/<int:pk>/", views.saved_view_open, name="saved-view"),
    path("saved/<int:pk>/edit/", views.saved_view_edit, name="saved-view-edit"),
    path("saved/<int:pk>/delete/", views.saved_view_delete, name="saved-view-delete"),
    path("teams/<slug:slug>/", views.team_detail, name="team"),
]
