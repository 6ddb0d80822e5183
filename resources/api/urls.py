from django.urls import path, re_path

from resources.api import views as api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("resources/", api.resource_list, name="resources"),
    path("resources/<slug:slug>/", api.resource_detail, name="resource"),
    path("organisations/", api.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", api.organisation_detail, name="organisation"),
    path("vocabularies/", api.vocabulary_list, name="vocabularies"),
    path("vocabularies/<slug:slug>/", api.vocabulary_detail, name="vocabulary"),
    path("openapi.json", api.openapi, name="openapi"),
    # Any address at all, a line break in it too (. alone stops at one).
    re_path(r"^(?P<path>(?s:.*))$", api.no_such_endpoint, name="no-such-endpoint"),
]
