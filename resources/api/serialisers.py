"""How the API writes a resource, an organisation and a vocabulary as JSON."""

from django.urls import reverse
from django.utils.encoding import iri_to_uri

from resources.finder import Finder
from resources.models import OrganisationKind, ResourceAccess, ResourceFormat, ResourceKind


def choice(choices, value):
    return {"value": value, "label": choices(value).label} if value else None


def organisation_brief(organisation):
    if organisation is None:
        return None
    return {"slug": organisation.slug, "name": organisation.name, "acronym": organisation.acronym}


def resource_data(request, resource):
    terms = {}
    for term in sorted(
        resource.terms.all(), key=lambda term: (term.vocabulary.position, term.vocabulary.name)
    ):
        terms.setdefault(term.vocabulary.slug, []).append({"slug": term.slug, "name": term.name})
    publisher = resource.publisher
    current = publisher.current if publisher else None
    return {
        "slug": resource.slug,
        "title": resource.title,
        "url": request.build_absolute_uri(resource.get_absolute_url()),
        "web_address": iri_to_uri(resource.url) or None,
        "kind": choice(ResourceKind, resource.kind),
        "summary": resource.summary,
        "publisher": organisation_brief(publisher),
        "current_publisher": organisation_brief(current) if current != publisher else None,
        "authors": resource.author_names,
        "partners": [organisation_brief(partner) for partner in resource.partners.all()],
        "year_published": resource.year_published,
        "last_updated_on": resource.last_updated_on,
        "access": choice(ResourceAccess, resource.access),
        "format": choice(ResourceFormat, resource.format),
        "terms": terms,
        "keywords": sorted(tag.name for tag in resource.keywords.all()),
        "published_at": resource.published_at,
    }


def organisation_data(request, organisation, resource_count):
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "kind": choice(OrganisationKind, organisation.kind),
        "website": iri_to_uri(organisation.website) or None,
        "description": organisation.description,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
        "succeeded_by": organisation.succeeded_by.slug if organisation.succeeded_by else None,
        "successors": [other.slug for other in organisation.successors],
        "succeeded_on": organisation.succeeded_on,
        "predecessors": sorted(
            {other.slug for other in organisation.predecessors.all()}
            | {other.slug for other in organisation.partial_predecessors.all()}
        ),
        "resource_count": resource_count,
    }


def vocabulary_data(request, vocabulary):
    terms = Finder.in_tree_order(vocabulary.terms.all())
    slugs = {term.pk: term.slug for term in terms}
    return {
        "slug": vocabulary.slug,
        "name": vocabulary.name,
        "description": vocabulary.description,
        "url": request.build_absolute_uri(vocabulary.get_absolute_url()),
        "terms": [
            {
                "slug": term.slug,
                "name": term.name,
                "definition": term.definition,
                "synonyms": term.synonym_list,
                "parent": slugs.get(term.parent_id),
                "url": request.build_absolute_uri(
                    reverse("taxonomy:term", args=[vocabulary.slug, term.slug])
                ),
            }
            for term in terms
        ],
    }
