"""What a saved view finds now that a kept copy of it did not, and what it no longer finds."""

from dataclasses import dataclass, field

from django.db.models import F
from django.http import QueryDict

from resources.finder import Finder
from resources.models import Resource, ResourceStatus

ADDED_SHOWN = 100  # the most resources listed as added; the rest are counted

DELETED = "removed from the directory"
UNPUBLISHED = "no longer published in the directory"
FILTERED_OUT = "no longer in the view"


@dataclass
class Gone:
    item: object  # a KeptCopyItem
    reason: str


@dataclass
class Changes:
    items: list  # every item of the copy, in order, each with `in_directory_slug` (or None)
    added: list  # resources in the live view that the copy does not hold (the first ADDED_SHOWN)
    added_count: int
    gone: list = field(default_factory=list)  # Gone, for each item the live view no longer holds
    is_view_changed: bool = False  # whether the saved view's filters differ from the copy's
    description: str = ""  # the saved view now, in words


def changes_since(copy, saved_view, vocabularies):
    """The copy's items and how the saved view differs now: three queries besides the finder's
    own (a fourth to count the added when there are more than ADDED_SHOWN)."""
    finder = Finder(QueryDict(saved_view.query_string), vocabularies, counting=True)
    live = finder.filtered().values("pk")
    items = list(
        copy.items.annotate(now_slug=F("resource__slug"), now_status=F("resource__status"))
    )
    kept_ids = copy.items.filter(resource__isnull=False).values("resource_id")
    still_in_view = set(
        Resource.objects.filter(pk__in=live).filter(pk__in=kept_ids).values_list("pk", flat=True)
    )
    added_query = (
        Resource.objects.filter(pk__in=live)
        .exclude(pk__in=kept_ids)
        .select_related("publisher")
        .order_by("sort_title", "pk")
    )
    added = list(added_query[: ADDED_SHOWN + 1])
    added_count = len(added) if len(added) <= ADDED_SHOWN else added_query.count()
    gone = []
    for item in items:
        is_published = item.now_status == ResourceStatus.PUBLISHED
        item.in_directory_slug = item.now_slug if is_published else None
        if item.resource_id in still_in_view:
            continue
        if item.resource_id is None:
            gone.append(Gone(item, DELETED))
        elif not is_published:
            gone.append(Gone(item, UNPUBLISHED))
        else:
            gone.append(Gone(item, FILTERED_OUT))
    return Changes(
        items=items,
        added=added[:ADDED_SHOWN],
        added_count=added_count,
        gone=gone,
        is_view_changed=finder.query_string() != copy.query_string,
        description=finder.description(),
    )
