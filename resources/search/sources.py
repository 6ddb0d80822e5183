"""What each resource's search data is made from, as plain values: read from a saved resource
(with what was prefetched for it), or set-wise for many resources at once.

The set-wise reading is what makes indexing a million resources take minutes rather than hours:
a few statements per few thousand resources, returning tuples, with the terms, organisations
and keywords looked up from dictionaries read once, instead of model instances and prefetches.
Both readings give the same SearchSource, so both give the same search data
(tests/resources/test_indexing_at_scale.py compares them)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from resources.models import Organisation, Resource
from taxonomy.models import Term


@dataclass(frozen=True, slots=True)
class SearchSource:
    """A resource's own searched text and the names of what it is tagged with, in the order
    its pages list them: terms by position then name, partners by name."""

    pk: int
    title: str
    alternative_titles: list[str]
    authors: list[str]
    keywords: list[str]
    terms: list[tuple[str, list[str]]]  # (name, synonyms)
    partners: list[tuple[str, str]]  # (name, acronym)
    publisher: tuple[str, str] | None  # (name, acronym)
    successor: tuple[str, str] | None  # who carries the publisher's work today, if another


def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def source_of(resource):
    """The SearchSource of a saved resource, from its prefetched terms, keywords and partners."""
    publisher = resource.publisher
    successor = None
    if publisher is not None and publisher.current != publisher:
        successor = (publisher.current.name, publisher.current.acronym)
    return SearchSource(
        pk=resource.pk,
        title=resource.title,
        alternative_titles=lines(resource.alternative_titles),
        authors=resource.author_names,
        keywords=[tag.name for tag in resource.keywords.all()],
        terms=[(term.name, term.synonym_list) for term in resource.terms.all()],
        partners=[(partner.name, partner.acronym) for partner in resource.partners.all()],
        publisher=None if publisher is None else (publisher.name, publisher.acronym),
        successor=successor,
    )


class SetWiseReader:
    """Reads SearchSources for batches of resources with four statements a batch: the resources'
    own columns and their term, keyword and partner links as id pairs. Terms, organisations and
    keyword names are read once, whole: the vocabularies and publishers are small next to the
    resources (hundreds and thousands against a million)."""

    def __init__(self):
        self.terms = {
            pk: (rank, name, lines(synonyms))
            for rank, (pk, name, synonyms) in enumerate(
                Term.objects.order_by("position", "name", "pk").values_list(
                    "pk", "name", "synonyms"
                )
            )
        }
        rows = Organisation.objects.order_by("name", "pk").values_list(
            "pk", "name", "acronym", "succeeded_by_id"
        )
        self.organisations = {
            pk: (rank, name, acronym, successor)
            for rank, (pk, name, acronym, successor) in enumerate(rows)
        }
        self.tags = dict(Tag.objects.values_list("pk", "name"))
        self.content_type = ContentType.objects.get_for_model(Resource)

    def batches(self, queryset, size):
        """Lists of up to `size` SearchSources, in id order, for the resources of `queryset`."""
        rows = queryset.order_by("pk").values_list(
            "pk", "title", "alternative_titles", "authors", "publisher_id"
        )
        last_pk = 0
        while batch := list(rows.filter(pk__gt=last_pk)[:size]):
            first_pk, last_pk = batch[0][0], batch[-1][0]
            ids = queryset.filter(pk__gte=first_pk, pk__lte=last_pk).values("pk")
            yield self.sources(batch, ids)

    def sources(self, batch, ids):
        terms, keywords, partners = {}, {}, {}
        links = Resource.terms.through.objects.filter(resource_id__in=ids)
        for resource_id, term_id in links.values_list("resource_id", "term_id"):
            terms.setdefault(resource_id, []).append(self.terms[term_id])
        tagged = TaggedItem.objects.filter(content_type=self.content_type, object_id__in=ids)
        for resource_id, tag_id in tagged.values_list("object_id", "tag_id"):
            keywords.setdefault(resource_id, []).append(self.tags[tag_id])
        links = Resource.partners.through.objects.filter(resource_id__in=ids)
        for resource_id, organisation_id in links.values_list("resource_id", "organisation_id"):
            partners.setdefault(resource_id, []).append(self.organisations[organisation_id])
        return [
            self.source(
                row, terms.get(row[0], ()), keywords.get(row[0], []), partners.get(row[0], ())
            )
            for row in batch
        ]

    def source(self, row, terms, keywords, partners):
        pk, title, alternative_titles, authors, publisher_id = row
        publisher = successor = None
        if publisher_id is not None:
            _, name, acronym, _ = self.organisations[publisher_id]
            publisher = (name, acronym)
            current = self.current(publisher_id)
            if current != publisher_id:
                successor = self.organisations[current][1:3]
        return SearchSource(
            pk=pk,
            title=title,
            alternative_titles=lines(alternative_titles),
            authors=lines(authors),
            keywords=keywords,
            terms=[(name, synonyms) for _, name, synonyms in sorted(terms)],
            partners=[(name, acronym) for _, name, acronym, _ in sorted(partners)],
            publisher=publisher,
            successor=successor,
        )

    def current(self, pk):
        """As Organisation.current: follow succeeded_by to the end, stopping at a loop."""
        seen = {pk}
        while (successor := self.organisations[pk][3]) and successor not in seen:
            seen.add(successor)
            pk = successor
        return pk
