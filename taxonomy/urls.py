from django.urls import path

from taxonomy import views

app_name = "taxonomy"

urlpatterns = [
    path("", views.vocabulary_list, name="index"),
    path("<slug:vocabulary>/", views.vocabulary_detail, name="vocabulary"),
    path("<slug:vocabulary>/<slug:term>/", views.term_detail, name="term"),
]
