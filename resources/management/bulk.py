"""What a bulk command does after writing many rows outside the app's own writes: the only place
the planner's statistics and the whole catalogue's counts are refreshed
(docs/decisions/0012-search-indexing.md), and where rows loaded without history get their first
version (docs/decisions/0006-change-history.md)."""

from simple_history.utils import get_m2m_field_name

from resources.curation.coverage import keep_coverage
from resources.finder import keep_catalogue_counts
from resources.models import Organisation, Resource, WayIn, WayInPick
from resources.search import index_resources, refresh_statistics
from taxonomy.models import Term


def index_and_recount(queryset=None):
    """Index `queryset` (every resource when None) for search, refresh the planner's statistics,
    and count the whole catalogue now (the coverage page's counts too), so no visitor waits. Returns how many were indexed."""
    count = index_resources(queryset)
    recount()
    return count


def recount():
    """Refresh the planner's statistics and count the whole catalogue (the coverage page's
    counts too), after a bulk write."""
    refresh_statistics()
    keep_catalogue_counts()
    keep_coverage()


def record_first_versions(*, reason):
    """Give every organisation, term, resource and way in by role (and its picks) that has no
    history a first version, as it is now (a resource's with its terms and partners), so that its
    first change can be reverted.
    Loading a fixture writes rows without history. Returns how many versions were recorded."""
    recorded = 0
    for model in (Organisation, Term, Resource, WayIn, WayInPick):
        unrecorded = model._default_manager.exclude(pk__in=model.history.values("id"))
        versions = model.history.bulk_history_create(
            list(unrecorded), default_change_reason=reason, batch_size=500
        )
        version_ids = {version.id: version.history_id for version in versions}
        for field in model.history.model._history_m2m_fields:
            record_first_links(model, field, version_ids)
        recorded += len(versions)
    return recorded


def record_first_links(model, field, version_ids):
    """The many-to-many rows of `field` (a resource's terms, say) as they are now, in the first
    versions `version_ids` ({object id: version id})."""
    through = field.remote_field.through
    owner = get_m2m_field_name(field)
    link_history = getattr(model.history.model, field.name).model
    links = through.objects.filter(**{f"{owner}__in": list(version_ids)})
    link_history.objects.bulk_create(
        [
            link_history(
                history_id=version_ids[getattr(link, f"{owner}_id")],
                **{
                    column.attname: getattr(link, column.attname) for column in through._meta.fields
                },
            )
            for link in links
        ],
        batch_size=500,
    )
