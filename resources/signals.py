"""Keep each resource's search data in step with what it is tagged with and who publishes it.

Every write path (admin, shell, imports) goes through these. Fixture loading (`raw`) is skipped;
`load_catalogue` indexes the whole catalogue once instead. Bulk writes (a spreadsheet import, a
term merge) run inside `deferred_indexing()`, which indexes each touched resource once at the end.
"""

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import TaggedItem

from resources.caching import catalogue_changed
from resources.models import Organisation, Resource, SavedView
from resources.search import index_resources
from taxonomy.models import Term, Vocabulary

CATALOGUE_MODELS = [Resource, Organisation, Term, Vocabulary, TaggedItem]

_deferred = threading.local()


@contextmanager
def deferred_indexing():
    """Collect the resources written inside the block and index them once, when it ends without
    an error; the catalogue's version is raised once then too, not on every row. Call
    `index_deferred()` inside the block to index early (inside a transaction)."""
    outer = getattr(_deferred, "pending", None)
    _deferred.pending = set() if outer is None else outer
    try:
        yield
        if outer is None:
            index_deferred()
    finally:
        if outer is None:
            del _deferred.pending
            _deferred.changed = False


def index_deferred(*, discard=False):
    """Index (or, with `discard`, forget) what `deferred_indexing()` has collected so far."""
    pending = getattr(_deferred, "pending", None)
    if pending and not discard:
        pks = sorted(pending)
        for start in range(0, len(pks), 500):  # well inside SQLite's limit on parameters
            index_resources(Resource.objects.filter(pk__in=pks[start : start + 500]))
    if getattr(_deferred, "changed", False) and not discard:
        catalogue_changed()
    if pending is not None:
        pending.clear()
    _deferred.changed = False


def reindex(queryset=None, *, pks=None):
    """Index `queryset` (or the resources with `pks`) now, or at the end of deferred indexing."""
    pending = getattr(_deferred, "pending", None)
    if pending is None:
        index_resources(Resource.objects.filter(pk__in=pks) if queryset is None else queryset)
    elif queryset is None:
        pending.update(pks)
    else:
        pending.update(queryset.values_list("pk", flat=True))


@receiver(post_save, sender=Resource)
def index_saved_resource(sender, instance, raw, update_fields=None, **kwargs):
    if raw:
        # A fixture is loading: its many-to-many rows follow on this same instance; skip those too.
        instance._loaded_raw = True
        instance.skip_history_when_saving = True  # the fixture is the history's starting point
        return
    if update_fields is not None and not {"title", "summary", "publisher"} & set(update_fields):
        return
    reindex(pks=[instance.pk])


@receiver(m2m_changed, sender=Resource.terms.through)
@receiver(m2m_changed, sender=Resource.partners.through)
@receiver(m2m_changed, sender=TaggedItem)
def index_retagged_resource(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if getattr(instance, "_loaded_raw", False):
        return
    if isinstance(instance, Resource) and not reverse:
        reindex(pks=[instance.pk])
    elif pk_set:
        reindex(pks=pk_set)


@receiver(post_save, sender=Term)
def index_resources_of_term(sender, instance, raw, **kwargs):
    if not raw:
        reindex(instance.resources.all())


@receiver(post_save, sender=Organisation)
def index_resources_of_organisation(sender, instance, raw, **kwargs):
    if not raw:
        organisations = [
            instance.pk,
            *instance.predecessors.values_list("pk", flat=True),
        ]
        reindex(
            Resource.objects.filter(
                Q(publisher__in=organisations) | Q(partners__in=organisations)
            ).distinct()
        )


def bump_catalogue_version(sender, **kwargs):
    if getattr(_deferred, "pending", None) is None:
        catalogue_changed()
    else:
        _deferred.changed = True


for model in CATALOGUE_MODELS:
    post_save.connect(
        bump_catalogue_version, sender=model, dispatch_uid=f"version-save-{model.__name__}"
    )
    post_delete.connect(
        bump_catalogue_version, sender=model, dispatch_uid=f"version-delete-{model.__name__}"
    )
for through in [Resource.terms.through, Resource.partners.through]:
    m2m_changed.connect(
        bump_catalogue_version, sender=through, dispatch_uid=f"version-m2m-{through.__name__}"
    )


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def delete_personal_saved_views(sender, instance, **kwargs):
    """A deleted account takes its personal views with it; its team views stay with the team."""
    SavedView.objects.filter(owner=instance, team=None).delete()
