from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/", views.resource_list, name="list"),
    path("resources/<slug:slug>/", views.resource_detail, name="detail"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
