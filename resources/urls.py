from django.urls import path, re_path

from resources.views import (
    alerts,
    catalogue,
    finder,
    kept_copies,
    saved_views,
    submissions,
    take_away,
    ways_in,
)

app_name = "resources"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("resources/", finder.resource_list, name="list"),
    # Before the resource pages: these names are reserved as slugs (resources.models.RESERVED_SLUGS).
    path("resources/feed/", take_away.ViewFeed(), name="feed"),
    re_path(
        r"^resources/export\.(?P<format>csv|ris|bib)$", take_away.resource_export, name="export"
    ),
    path("resources/reading-list/", take_away.reading_list, name="reading-list"),
    path("resources/embed/", take_away.embed, name="embed"),
    path("resources/<slug:slug>/", catalogue.resource_detail, name="detail"),
    path("resources/<slug:slug>/go/", catalogue.resource_go, name="go"),
    path("resources/<slug:slug>/report/", submissions.resource_report, name="report"),
    path("suggest/", submissions.suggest, name="suggest"),
    path("suggest/thanks/", submissions.suggest_thanks, name="suggest-thanks"),
    path("organisations/", catalogue.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", catalogue.organisation_detail, name="organisation"),
    path("saved/", saved_views.saved_view_list, name="saved-views"),
    path("saved/new/", saved_views.saved_view_new, name="saved-view-new"),
    path("saved/<int:pk>/", saved_views.saved_view_open, name="saved-view"),
    path("saved/<int:pk>/results/", saved_views.saved_view_results, name="saved-view-results"),
    path("saved/<int:pk>/update/", saved_views.saved_view_update, name="saved-view-update"),
    path("saved/<int:pk>/edit/", saved_views.saved_view_edit, name="saved-view-edit"),
    path("saved/<int:pk>/delete/", saved_views.saved_view_delete, name="saved-view-delete"),
    path("saved/<int:pk>/alert/", alerts.saved_view_alert, name="saved-view-alert"),
    path("saved/<int:pk>/alert/stop/", alerts.saved_view_alert_stop, name="saved-view-alert-stop"),
    path("alerts/stop/<str:token>/", alerts.alert_unsubscribe, name="alert-unsubscribe"),
    path("saved/<int:pk>/copies/", kept_copies.kept_copy_list, name="kept-copies"),
    path("saved/<int:pk>/copies/new/", kept_copies.kept_copy_new, name="kept-copy-new"),
    path("saved/<int:pk>/copies/<int:number>/", kept_copies.kept_copy_detail, name="kept-copy"),
    re_path(
        r"^saved/(?P<pk>[0-9]+)/copies/(?P<number>[0-9]+)/export\.(?P<format>csv|ris|bib)$",
        kept_copies.kept_copy_export,
        name="kept-copy-export",
    ),
    path(
        "saved/<int:pk>/copies/<int:number>/delete/",
        kept_copies.kept_copy_delete,
        name="kept-copy-delete",
    ),
    path("teams/<slug:slug>/", saved_views.team_detail, name="team"),
    path("for/", ways_in.way_in_list, name="ways-in"),
    path("for/<slug:slug>/", ways_in.way_in_detail, name="way-in"),
]
