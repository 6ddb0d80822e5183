"""Keeping a copy of a saved view's list as it stands now."""

from itertools import islice

from django.db import transaction
from django.db.models import F
from django.http import QueryDict

from resources import exports
from resources.finder import Finder
from resources.models import KeptCopy, KeptCopyItem, SavedView
from taxonomy.models import vocabularies_with_terms

# The most a copy holds. A copy is a list for people to read, print and cite; past a few thousand
# entries it is the catalogue, which the CSV export of the live view already gives.
MAX_ITEMS = 5000
BATCH_SIZE = 500


class TooLarge(Exception):
    """The view finds more than MAX_ITEMS resources; `count` says how many."""

    def __init__(self, count):
        self.count = count
        super().__init__(
            f"This view finds {count:,} resources; a kept copy holds at most {MAX_ITEMS:,}."
        )


def frozen(copy, position, row, vocabulary_names):
    """What a reader of the copy needs from one resource (`row` as exports.exportable gives);
    `vocabulary_names`: vocabulary id → name."""
    resource = row.resource
    return KeptCopyItem(
        kept_copy=copy,
        position=position,
        resource_id=resource.pk,
        slug=resource.slug,
        title=resource.title,
        url=resource.url,
        kind=resource.kind,
        publisher_name=resource.publisher.name if resource.publisher else "",
        year_published=resource.year_published,
        access=resource.access,
        authors=resource.authors,
        summary=resource.summary,
        terms={vocabulary_names[vocabulary]: terms for vocabulary, terms in row.terms.items()},
        keywords=row.keywords,
    )


@transaction.atomic
def keep_copy(saved_view, *, by):
    """A new copy of what `saved_view` finds now, numbered after every copy kept before it (a
    deleted copy's number is not reused). Raises TooLarge above MAX_ITEMS resources."""
    vocabularies = vocabularies_with_terms()
    finder = Finder(QueryDict(saved_view.query_string), vocabularies)
    count = finder.filtered().count()
    if count > MAX_ITEMS:
        raise TooLarge(count)
    # Raising the count in the database locks the view's row until this transaction ends, so two
    # people keeping a copy at once get two numbers.
    SavedView.objects.filter(pk=saved_view.pk).update(copies_kept=F("copies_kept") + 1)
    saved_view.refresh_from_db(fields=["copies_kept"])
    copy = KeptCopy(
        saved_view=saved_view,
        number=saved_view.copies_kept,
        view_name=saved_view.name,
        query_string=finder.query_string(),
        description=finder.description(),
        vocabulary_names=[vocabulary.name for vocabulary in finder.vocabularies],
        created_by=by,
    )
    copy.save()
    names = {vocabulary.pk: vocabulary.name for vocabulary in finder.vocabularies}
    rows = exports.exportable(finder.results(), finder.vocabularies)
    items = (frozen(copy, position, row, names) for position, row in enumerate(rows, start=1))
    kept = 0
    while batch := list(islice(items, BATCH_SIZE)):
        KeptCopyItem.objects.bulk_create(batch)
        kept += len(batch)
    copy.item_count = kept
    copy.save(update_fields=["item_count"])
    return copy
