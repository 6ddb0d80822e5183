"""What a write to the catalogue sets off: once per transaction, after it commits.

Every write path (the admin, imports, merges, the shell) sends Django's signals; the receivers
here only note what changed in the transaction's `Changes`: which resources need their search
data rebuilt (and their kept term ids, resources/term_ids.py), and that the catalogue's version
must rise. When the transaction commits, its
`Changes` indexes those resources once, however many signals fired, and raises the version once;
a transaction that rolls back leaves nothing to do. A write outside a transaction is a
transaction of its own. Fixture loading (`raw`) indexes nothing: `load_catalogue` indexes the
whole catalogue once instead. Why: docs/decisions/0012-search-indexing.md.
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import TaggedItem

from resources.caching import catalogue_changed
from resources.models import Organisation, Resource, SavedView, WayIn, WayInPick
from resources.search import index_resources
from resources.search.indexing import SEARCHED_FIELDS as SEARCHED_RESOURCE_FIELDS
from taxonomy.models import Term, Vocabulary, with_narrower

# A way in by role and its picks too: the home page's list of roles is kept per version.
CATALOGUE_MODELS = [Resource, Organisation, Term, Vocabulary, TaggedItem, WayIn, WayInPick]
# What a resource's search data takes from a term or an organisation (see compose_search_fields).
SEARCHED_FIELDS = {Term: ["name", "synonyms"], Organisation: ["name", "acronym", "succeeded_by"]}


class Changes:
    """What one transaction changed, dealt with once when it commits (an on_commit callback)."""

    def __init__(self):
        self.resources = set()  # ids of the resources to index
        self.done = False

    def __call__(self):
        self.done = True
        if self.resources:
            index_resources(pks=self.resources)  # which raises the version too
        else:
            catalogue_changed()


def pending_changes():
    """The changes queued for when the transaction in progress commits, if any. Django drops a
    queued callback when its transaction, or the savepoint it was queued in, rolls back; the next
    change then queues a new one."""
    for _, callback, _ in reversed(connection.run_on_commit):
        if isinstance(callback, Changes) and not callback.done:
            return callback
    return None


def catalogue_written(pks=()):
    """Note a change to the catalogue, and the resources (by id) whose search data it changes."""
    changes = pending_changes()
    if changes is not None:
        changes.resources.update(pks)
        return
    changes = Changes()
    changes.resources.update(pks)
    transaction.on_commit(changes)  # outside a transaction, this runs it at once


@receiver(post_save, sender=Resource)
def index_saved_resource(sender, instance, raw, update_fields=None, **kwargs):
    if raw:
        # A fixture is loading: its many-to-many rows follow on this same instance; skip those too.
        instance._loaded_raw = True
        instance.skip_history_when_saving = True  # the fixture is the history's starting point
        return
    if update_fields is not None and not set(SEARCHED_RESOURCE_FIELDS) & set(update_fields):
        return
    catalogue_written([instance.pk])


@receiver(m2m_changed, sender=Resource.terms.through)
@receiver(m2m_changed, sender=Resource.partners.through)
@receiver(m2m_changed, sender=TaggedItem)
def index_retagged_resource(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if getattr(instance, "_loaded_raw", False):
        return
    if isinstance(instance, Resource) and not reverse:
        catalogue_written([instance.pk])
    elif pk_set:
        catalogue_written(pk_set)


@receiver(pre_save, sender=Term)
@receiver(pre_save, sender=Organisation)
def note_renaming(sender, instance, raw, update_fields=None, **kwargs):
    """Whether this save changes what its resources' search data takes from it (a rename, new
    synonyms, a successor): read before the row is written."""
    names = SEARCHED_FIELDS[sender]
    instance._renamed = False
    if raw or instance._state.adding:
        return  # nothing is tagged with or published by a new row yet
    if update_fields is not None and not set(names) & set(update_fields):
        return
    columns = [sender._meta.get_field(name).attname for name in names]
    stored = sender.objects.filter(pk=instance.pk).values(*columns).first()
    instance._renamed = stored is None or any(
        stored[column] != getattr(instance, column) for column in columns
    )


@receiver(post_save, sender=Term)
def index_resources_of_term(sender, instance, raw, **kwargs):
    if not raw and getattr(instance, "_renamed", False):
        catalogue_written(instance.resources.values_list("pk", flat=True))


@receiver(pre_save, sender=Term)
def note_moving(sender, instance, raw, update_fields=None, **kwargs):
    """Whether this save gives the term another broader term (read before the row is written):
    the term ids kept on a resource's row include its terms' broader terms (resources.term_ids)."""
    instance._moved = False
    if raw or instance._state.adding:
        return
    if update_fields is not None and "parent" not in update_fields:
        return
    stored = Term.objects.filter(pk=instance.pk).values_list("parent", flat=True)
    instance._moved = list(stored) != [instance.parent_id]


@receiver(post_save, sender=Term)
def index_resources_below_moved_term(sender, instance, raw, **kwargs):
    """A term moved: the resources tagged with it or with any term below it keep other broader
    terms now."""
    if not raw and getattr(instance, "_moved", False):
        below = with_narrower([instance], instance.vocabulary.terms.all())
        links = Resource.terms.through.objects.filter(term__in=below)
        catalogue_written(links.values_list("resource", flat=True).distinct())


@receiver(post_save, sender=Organisation)
def index_resources_of_organisation(sender, instance, raw, **kwargs):
    if not raw and getattr(instance, "_renamed", False):
        organisations = [instance.pk, *instance.predecessors.values_list("pk", flat=True)]
        resources = Resource.objects.filter(
            Q(publisher__in=organisations) | Q(partners__in=organisations)
        )
        catalogue_written(resources.values_list("pk", flat=True).distinct())


def note_catalogue_change(sender, **kwargs):
    catalogue_written()


for model in CATALOGUE_MODELS:
    post_save.connect(
        note_catalogue_change, sender=model, dispatch_uid=f"version-save-{model.__name__}"
    )
    post_delete.connect(
        note_catalogue_change, sender=model, dispatch_uid=f"version-delete-{model.__name__}"
    )
for through in [Resource.terms.through, Resource.partners.through]:
    m2m_changed.connect(
        note_catalogue_change, sender=through, dispatch_uid=f"version-m2m-{through.__name__}"
    )


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def delete_personal_saved_views(sender, instance, **kwargs):
    """A deleted account takes its personal views with it; its team views stay with the team."""
    SavedView.objects.filter(owner=instance, team=None).delete()
