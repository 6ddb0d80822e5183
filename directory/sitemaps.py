from django.contrib.sitemaps import Sitemap

from resources.models import Organisation, Resource, WayIn
from taxonomy.models import Term


class ResourceSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Resource.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, resource):
        return resource.updated_at


class OrganisationSitemap(Sitemap):
    def items(self):
        return Organisation.objects.order_by("pk").only("slug")


class TermSitemap(Sitemap):
    def items(self):
        return Term.objects.order_by("pk")


class WayInSitemap(Sitemap):
    def items(self):
        return WayIn.objects.published().select_related("term").order_by("pk")

    def lastmod(self, way_in):
        return way_in.updated_at


SITEMAPS = {
    "resources": ResourceSitemap,
    "organisations": OrganisationSitemap,
    "topics": TermSitemap,
    "roles": WayInSitemap,
}
