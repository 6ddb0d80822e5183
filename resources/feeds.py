"""Any finder view as an Atom feed of its newest additions."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from resources.exports import DIRECTORY_NAME
from resources.finder import Finder
from resources.models import Resource
from resources.views import (
    NEWEST_SIZE,
    finder_url,
    listing_in_order,
    newest_ids,
    vocabularies_with_terms,
    with_query,
)


def feed_title(finder):
    return f"{finder.headline()} – {DIRECTORY_NAME}"


class ViewFeed(Feed):
    """The view's newest additions, most recently published first. Bad values in the query
    string are ignored, as the finder ignores them."""

    feed_type = Atom1Feed
    author_name = DIRECTORY_NAME

    def get_object(self, request):
        return Finder(request.GET, vocabularies_with_terms())

    def title(self, finder):
        return feed_title(finder)

    def subtitle(self, finder):
        return f"The {NEWEST_SIZE} newest additions to this view of the catalogue."

    def link(self, finder):
        return finder_url(finder.query_string())

    def feed_url(self, finder):
        return with_query(reverse("resources:feed"), finder.query_string())

    def items(self, finder):
        with_terms = Resource.objects.for_listing().prefetch_related("terms")
        return listing_in_order(newest_ids(finder), with_terms)

    def item_title(self, resource):
        return resource.title  # the feed writer escapes it (Django's default escapes twice)

    def item_description(self, resource):
        return resource.summary

    def item_link(self, resource):
        return resource.get_absolute_url()

    def item_author_name(self, resource):
        return resource.publisher.name if resource.publisher else None

    def item_pubdate(self, resource):
        return resource.published_at or resource.created_at

    def item_updateddate(self, resource):
        return resource.updated_at

    def item_categories(self, resource):
        return [term.name for term in resource.terms.all()]
