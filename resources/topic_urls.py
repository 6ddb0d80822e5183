"""The topic pages, at /topics/. The namespace stays `taxonomy` (taxonomy:index,
taxonomy:vocabulary, taxonomy:term): the pages are the taxonomy's public face, and the models'
get_absolute_url names them. The views are in resources because they list resources."""

from django.urls import path

from resources.views import topics

app_name = "taxonomy"

urlpatterns = [
    path("", topics.vocabulary_list, name="index"),
    path("<slug:vocabulary>/", topics.vocabulary_detail, name="vocabulary"),
    path("<slug:vocabulary>/<slug:term>/", topics.term_detail, name="term"),
]
